-- KServe LLMInferenceService (v1alpha1/v1alpha2): a knative-style condition set whose top-level
-- Ready aggregates WorkloadsReady, RouterReady, InferencePoolReady, HTTPRoutesReady and
-- GatewaysReady. Healthy only when Ready is True for the current generation, so the waves
-- after the inference layer wait until every model actually serves.
-- Argo CD runs this without Lua's string library, so failures are known reasons, not patterns:
-- the controller's reconcile errors. Anything else not ready (a model still downloading or
-- loading, a route not programmed yet) is Progressing.
local failure_reasons = {
  ReconcileMainWorkloadError = true,
  ReconcileMainWorkerError = true,
  ReconcileSingleNodeWorkloadError = true,
  ReconcileMultiNodeWorkloadError = true,
  ReconcileDisaggregatedServingError = true,
  ReconcileRouterError = true,
  ReconcileSchedulerError = true,
  ReconcileHTTPRouteError = true,
  InvalidSpec = true,
}
local hs = { status = "Progressing", message = "Waiting for the LLMInferenceService controller" }
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
if obj.status.observedGeneration ~= nil and obj.metadata.generation ~= nil
    and obj.status.observedGeneration < obj.metadata.generation then
  hs.message = "Waiting for the controller to observe generation " .. obj.metadata.generation
  return hs
end
local ready = nil
local pending = {}
local failed = {}
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Ready" then
    ready = c
  elseif c.status ~= "True" then
    local text = c.type
    if c.reason ~= nil and c.reason ~= "" then text = text .. " (" .. c.reason .. ")" end
    if c.message ~= nil and c.message ~= "" then text = text .. ": " .. c.message end
    table.insert(pending, text)
    if c.status == "False" and c.reason ~= nil and failure_reasons[c.reason] then
      table.insert(failed, text)
    end
  end
end
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = "Ready"
  if obj.status.url ~= nil then hs.message = "Ready at " .. obj.status.url end
  return hs
end
if #failed > 0 then
  hs.status = "Degraded"
  hs.message = table.concat(failed, "; ")
  return hs
end
if #pending > 0 then
  hs.message = table.concat(pending, "; ")
elseif ready ~= nil and ready.message ~= nil and ready.message ~= "" then
  hs.message = ready.message
end
return hs
