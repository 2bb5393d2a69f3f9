-- Kuadrant mcp-gateway v0.9.0 MCPGatewayExtension (mcp.kuadrant.io/v1).
-- api/v1/mcpgatewayextension_types.go declares the Ready condition and its reasons;
-- SetReadyCondition stamps observedGeneration. internal/controller/mcpgatewayextension_controller.go
-- (reconcileActive) sets ValidMCPGatewayExtension (True), DeploymentNotReady while the
-- broker-router rolls out, and validation failures InvalidMCPGatewayExtension,
-- ReferenceGrantRequired, SecretNotFound and SecretInvalid, after which it does not requeue.
-- Sandbox (Argo CD util/lua/lua.go): base, table, package, safe os; no string library.
local FAILURE_REASONS = {
  InvalidMCPGatewayExtension = true,
  ReferenceGrantRequired = true,
  SecretNotFound = true,
  SecretInvalid = true,
}
local hs = { status = "Progressing", message = "Waiting for the MCP gateway controller" }
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
local generation = nil
if obj.metadata ~= nil then generation = obj.metadata.generation end
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Ready" then
    local message = c.message or ""
    if generation ~= nil and c.observedGeneration ~= nil and c.observedGeneration < generation then
      hs.message = "Waiting for the controller to observe generation " .. generation
    elseif c.status == "True" then
      hs.status = "Healthy"
      hs.message = message ~= "" and message or "Ready"
    elseif c.status == "False" and FAILURE_REASONS[c.reason] then
      hs.status = "Degraded"
      hs.message = c.reason .. ": " .. message
    else
      hs.message = (c.reason or "") .. ": " .. message
    end
    return hs
  end
end
return hs
