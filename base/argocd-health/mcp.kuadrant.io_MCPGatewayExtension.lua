-- Kuadrant MCP gateway (chart 0.9.0, mcp.kuadrant.io/v1) MCPGatewayExtension: Ready once the
-- controller has validated the target Gateway listener and deployed the broker/router.
-- Degraded when the extension is invalid or conflicts with an older one on the same Gateway,
-- or needs a ReferenceGrant it does not have; otherwise still progressing.
-- Argo CD runs health scripts without the string library: reasons are matched exactly.
local degraded = { Invalid = true, InvalidMCPGatewayExtension = true, Conflict = true, ReferenceGrantRequired = true }
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
