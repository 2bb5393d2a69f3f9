-- KServe v0.20.0 LLMInferenceService (serving.kserve.io/v1alpha2, also served as v1alpha1).
-- status is a knative duck Status: observedGeneration plus conditions. Ready rolls up
-- WorkloadsReady and RouterReady (pkg/apis/serving/v1alpha2/llm_inference_service_lifecycle.go);
-- the controller (pkg/controller/v1alpha2/llmisvc) sets each sub-condition's reason. See
-- docs/HEALTH.md for the reason -> status table.
-- Sandbox (Argo CD util/lua/lua.go): base, table, package, safe os; no string library, so the
-- annotation value is matched against every casing strings.EqualFold(v, "true") accepts.
local STOP_ANNOTATION = "serving.kserve.io/stop"
local STOP_VALUES = {
  ["true"] = true, ["truE"] = true, ["trUe"] = true, ["trUE"] = true,
  ["tRue"] = true, ["tRuE"] = true, ["tRUe"] = true, ["tRUE"] = true,
  ["True"] = true, ["TruE"] = true, ["TrUe"] = true, ["TrUE"] = true,
  ["TRue"] = true, ["TRuE"] = true, ["TRUe"] = true, ["TRUE"] = true,
}
-- Reasons the controller sets when reconciling failed or the spec cannot work as written.
local FAILURE_REASONS = {
  ConfigNotFound = true, CombineBaseError = true,
  ReconcileCertsError = true, ReconcileWorkloadPermissionsError = true,
  ReconcileSingleNodeWorkloadError = true, ReconcileMultiNodeWorkloadError = true,
  ReconcileWorkloadServiceError = true, ReconcileScalingError = true, ScalingCRDNotFound = true,
  SchedulerReconcileError = true, GatewayPreconditionNotMet = true,
  HTTPRouteReconcileError = true, PlatformNetworkingReconcileError = true,
  HTTPRouteFetchError = true, RefsInvalid = true,
  ProgressDeadlineExceeded = true,
}
-- ScalingReady / PrefillScalingReady copy the HPA or KEDA ScaledObject reason; only these two
-- mean "not there yet", any other False reason is a broken autoscaler.
local SCALING_TYPES = { ScalingReady = true, PrefillScalingReady = true }
local SCALING_WAITING = { HPAProgressing = true, ScaledObjectProgressing = true }
-- Advisory conditions outside the Ready rollup.
local ADVISORY_TYPES = { OciImageVolumeCompatible = true, GroupReady = true, GroupDegraded = true }
-- Rollups copy the reason of a False sub-condition; the sub-condition names the culprit.
local ROLLUP_TYPES = { WorkloadsReady = true, RouterReady = true }

local hs = { status = "Progressing", message = "Waiting for the LLMInferenceService controller" }

local function describe(c)
  local text = c.type
  if c.reason ~= nil and c.reason ~= "" then text = text .. " " .. c.reason end
  if c.message ~= nil and c.message ~= "" then text = text .. ": " .. c.message end
  return text
end

local meta = obj.metadata or {}
local stopped = meta.annotations ~= nil and STOP_VALUES[meta.annotations[STOP_ANNOTATION]] == true
if stopped then
  hs.status = "Suspended"
  hs.message = "Stopped by the " .. STOP_ANNOTATION .. " annotation"
  return hs
end

local st = obj.status
if st == nil or st.conditions == nil or #st.conditions == 0 then
  return hs
end
if meta.generation ~= nil and (st.observedGeneration == nil or st.observedGeneration < meta.generation) then
  hs.message = "Waiting for the controller to observe generation " .. meta.generation
  return hs
end

local ready, failed, leftover_stop, pending, rollup = nil, nil, nil, nil, nil
for _, c in ipairs(st.conditions) do
  if c.type == "Ready" then
    ready = c
  elseif ROLLUP_TYPES[c.type] then
    if c.status ~= "True" then rollup = rollup or c end
  elseif not ADVISORY_TYPES[c.type] and c.status ~= "True" then
    local reason = c.reason or ""
    if c.status == "False" and reason == "Stopped" then
      leftover_stop = leftover_stop or c
    elseif c.status == "False" and (FAILURE_REASONS[reason] or (SCALING_TYPES[c.type] and not SCALING_WAITING[reason])) then
      failed = failed or c
    else
      pending = pending or c
    end
  end
end

if failed ~= nil then
  hs.status = "Degraded"
  hs.message = describe(failed)
  return hs
end
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = "Ready"
  if st.url ~= nil and st.url ~= "" then hs.message = "Ready at " .. st.url end
  return hs
end
if leftover_stop ~= nil then
  hs.message = "Annotation " .. STOP_ANNOTATION .. " removed; waiting for the controller to restart: " .. describe(leftover_stop)
  return hs
end
if pending ~= nil then
  hs.message = describe(pending)
elseif rollup ~= nil and rollup.reason ~= nil then
  hs.message = describe(rollup)
elseif ready ~= nil then
  hs.message = describe(ready)
end
return hs
