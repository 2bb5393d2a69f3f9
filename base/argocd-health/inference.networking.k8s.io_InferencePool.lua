-- Gateway API Inference Extension InferencePool (v1): each parent Gateway reports Accepted and
-- ResolvedRefs. Healthy when every parent accepted the pool and resolved its endpoint picker;
-- Degraded when a parent rejected it; otherwise (no parent yet, picker Service not there yet)
-- still progressing.
local hs = { status = "Progressing", message = "Waiting for a Gateway to accept the pool" }
if obj.status == nil or obj.status.parents == nil or #obj.status.parents == 0 then
  return hs
end
local waiting = {}
for _, p in ipairs(obj.status.parents) do
  local name = "parent"
  if p.parentRef ~= nil and p.parentRef.name ~= nil then name = p.parentRef.name end
  local accepted, resolved = false, false
  if p.conditions ~= nil then
    for _, c in ipairs(p.conditions) do
      if c.type == "Accepted" then
        if c.status == "True" then
          accepted = true
        elseif c.status == "False" then
          hs.status = "Degraded"
          hs.message = name .. " did not accept the pool: " .. (c.message or c.reason or "")
          return hs
        end
      elseif c.type == "ResolvedRefs" and c.status == "True" then
        resolved = true
      end
    end
  end
  if not accepted then table.insert(waiting, name .. ": not accepted yet") end
  if accepted and not resolved then table.insert(waiting, name .. ": endpoint picker not resolved yet") end
end
if #waiting > 0 then
  hs.message = table.concat(waiting, "; ")
  return hs
end
hs.status = "Healthy"
hs.message = "Accepted by " .. #obj.status.parents .. " gateway(s)"
return hs
