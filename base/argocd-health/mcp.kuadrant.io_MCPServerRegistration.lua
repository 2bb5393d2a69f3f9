-- Kuadrant MCP gateway (chart 0.9.0, mcp.kuadrant.io/v1) MCPServerRegistration: the controller
-- sets condition Ready once the broker has registered the server and discovered its tools.
-- Healthy when Ready; Degraded when the registration is invalid (bad route, bad credential
-- Secret); otherwise still progressing (server not up yet, gateway extension not ready).
-- Argo CD runs health scripts without the string library: reasons are matched exactly.
local degraded = { Invalid = true, InvalidMCPServerRegistration = true, InvalidHTTPRoute = true, InvalidCredential = true }
local hs = { status = "Progressing", message = "Waiting for the MCP gateway controller" }
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Ready" then
    local reason = c.reason or ""
    local message = c.message or reason
    if c.status == "True" then
      hs.status = "Healthy"
      hs.message = message ~= "" and message or "Ready"
    elseif degraded[reason] then
      hs.status = "Degraded"
      hs.message = message
    else
      hs.message = message
    end
    return hs
  end
end
return hs
