-- Kuadrant mcp-gateway v0.9.0 MCPServerRegistration (mcp.kuadrant.io/v1).
-- internal/controller/mcpserverregistration_controller.go (updateStatus) writes one condition,
-- Ready, with exactly three reasons: Ready (True), Disabled (False, spec.state: Disabled) and
-- NotReady (False) for everything else, from "no valid gateways for httproute" to a missing
-- credential Secret. NotReady cannot be told apart without matching messages, and the condition
-- carries no observedGeneration, so NotReady stays Progressing.
-- Sandbox (Argo CD util/lua/lua.go): base, table, package, safe os; no string library.
local hs = { status = "Progressing", message = "Waiting for the MCP gateway controller" }
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Ready" then
    local message = c.message or ""
    if c.status == "True" then
      hs.status = "Healthy"
      hs.message = message ~= "" and message or "Ready"
    elseif c.reason == "Disabled" then
      hs.status = "Suspended"
      hs.message = message ~= "" and message or "Disabled"
    else
      hs.message = (c.reason or "NotReady") .. ": " .. message
    end
    return hs
  end
end
return hs
