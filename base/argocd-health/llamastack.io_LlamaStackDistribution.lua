-- Llama Stack operator (v0.9.0) LlamaStackDistribution: status.phase is
-- Pending | Initializing | Ready | Failed | Terminating.
local hs = { status = "Progressing", message = "Waiting for the Llama Stack operator" }
if obj.status == nil or obj.status.phase == nil then
  return hs
end
local phase = obj.status.phase
if phase == "Ready" then
  hs.status = "Healthy"
  hs.message = "Ready"
  if obj.status.serviceURL ~= nil then hs.message = "Ready at " .. obj.status.serviceURL end
elseif phase == "Failed" then
  hs.status = "Degraded"
  hs.message = "Failed"
  if obj.status.conditions ~= nil then
    for _, c in ipairs(obj.status.conditions) do
      if c.status == "False" and c.message ~= nil and c.message ~= "" then
        hs.message = c.type .. ": " .. c.message
        break
      end
    end
  end
else
  hs.message = phase
end
return hs
