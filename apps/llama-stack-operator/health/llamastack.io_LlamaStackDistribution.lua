-- llama-stack-k8s-operator v0.9.0 LlamaStackDistribution (llamastack.io/v1alpha1).
-- status.phase is set by controllers/llamastackdistribution_controller.go (updateStatus,
-- updateDeploymentStatus): Failed when reconciling returned an error, Pending while the
-- Deployment does not exist, Initializing while it has fewer (or more) ready replicas than
-- spec.replicas, Ready otherwise. Terminating is declared in api/v1alpha1 but never set.
-- The condition reasons cannot tell pending from failed (DeploymentReady=False always carries
-- reason DeploymentFailed), and the status has no observedGeneration, so the phase decides.
-- Sandbox (Argo CD util/lua/lua.go): base, table, package, safe os; no string library.
local hs = { status = "Progressing", message = "Waiting for the Llama Stack operator" }

local function condition_message(types)
  if obj.status.conditions == nil then return nil end
  for _, wanted in ipairs(types) do
    for _, c in ipairs(obj.status.conditions) do
      if c.type == wanted and c.status == "False" and c.message ~= nil and c.message ~= "" then
        return c.type .. ": " .. c.message
      end
    end
  end
  return nil
end

if obj.spec ~= nil and obj.spec.replicas == 0 then
  -- The operator reports Initializing forever for zero replicas (ReadyReplicas == 0 case).
  hs.status = "Suspended"
  hs.message = "Scaled to zero replicas"
  return hs
end
if obj.status == nil or obj.status.phase == nil or obj.status.phase == "" then
  return hs
end

local phase = obj.status.phase
if phase == "Ready" then
  hs.status = "Healthy"
  hs.message = "Ready"
  if obj.status.serviceURL ~= nil and obj.status.serviceURL ~= "" then
    hs.message = "Ready at " .. obj.status.serviceURL
  end
elseif phase == "Failed" then
  hs.status = "Degraded"
  hs.message = condition_message({ "DeploymentReady", "StorageReady", "ServiceReady" }) or "Failed"
else
  hs.message = phase
  local detail = condition_message({ "DeploymentReady", "StorageReady", "ServiceReady" })
  if detail ~= nil then hs.message = phase .. ": " .. detail end
end
return hs
