-- Gateway API Inference Extension v1.5.0 InferencePool (inference.networking.k8s.io/v1).
-- api/v1/inferencepool_types.go: status.parents[] (one per Gateway), each with metav1 conditions
-- Accepted (True; False NotSupportedByParent / HTTPRouteNotAccepted; Unknown Pending) and
-- ResolvedRefs (True; False InvalidExtensionRef), each stamped with observedGeneration.
-- Healthy when every parent accepted the current generation and resolved its endpoint picker;
-- Degraded when a parent rejected the current generation; otherwise Progressing (no parent yet,
-- Pending, or a verdict about an older generation). Exported is informational and ignored.
-- Sandbox (Argo CD util/lua/lua.go): base, table, package, safe os; no string library.
local hs = { status = "Progressing", message = "Waiting for a Gateway to accept the pool" }
local generation = nil
if obj.metadata ~= nil then generation = obj.metadata.generation end

local function find(conditions, wanted)
  if conditions == nil then return nil end
  for _, c in ipairs(conditions) do
    if c.type == wanted then return c end
  end
  return nil
end

local function stale(c)
  return generation ~= nil and c.observedGeneration ~= nil and c.observedGeneration < generation
end

local function detail(c)
  local text = c.type .. "=" .. (c.status or "")
  if c.reason ~= nil and c.reason ~= "" then text = text .. " " .. c.reason end
  if c.message ~= nil and c.message ~= "" then text = text .. ": " .. c.message end
  return text
end

if obj.status == nil or obj.status.parents == nil or #obj.status.parents == 0 then
  return hs
end

-- One condition of a parent: nil when it is True for the current generation; else whether it
-- rejects the pool ("Degraded") or is still pending, with the message to show.
local function verdict(name, c, missing, rejects)
  if c == nil then return "Progressing", name .. ": " .. missing end
  if stale(c) then
    return "Progressing", name .. ": " .. c.type .. " reports generation " .. c.observedGeneration .. ", pool is at " .. generation
  end
  if c.status == "False" then return "Degraded", name .. " " .. rejects .. ": " .. detail(c) end
  if c.status ~= "True" then return "Progressing", name .. ": " .. detail(c) end
  return nil
end

local waiting = {}
for _, p in ipairs(obj.status.parents) do
  local name = "parent"
  if p.parentRef ~= nil and p.parentRef.name ~= nil then name = p.parentRef.name end
  -- ResolvedRefs is read only once the parent accepted the current generation.
  local status, message = verdict(name, find(p.conditions, "Accepted"), "not accepted yet", "rejected the pool")
  if status == nil then
    status, message = verdict(name, find(p.conditions, "ResolvedRefs"), "endpoint picker not resolved yet", "cannot resolve the endpoint picker")
  end
  if status == "Degraded" then
    hs.status = "Degraded"
    hs.message = message
    return hs
  elseif status ~= nil then
    table.insert(waiting, message)
  end
end
if #waiting > 0 then
  hs.message = table.concat(waiting, "; ")
  return hs
end
hs.status = "Healthy"
hs.message = "Accepted by " .. #obj.status.parents .. " parent(s)"
return hs
