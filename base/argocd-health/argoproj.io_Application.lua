-- Argo CD v3.3.14 Application (argoproj.io/v1alpha1), for app-of-apps sync waves: a parent
-- Application waits on its children. Argo CD removed the built-in Application health in v1.8;
-- docs/operator-manual/health.md gives a pass-through of status.health. That pass-through lets a
-- child read Healthy while its own sync is still running or while it is OutOfSync, so the parent
-- moves on too early. Here the child is Healthy only when it is Healthy AND Synced AND no sync
-- operation is pending or running.
-- A Suspended child (e.g. every LLMInferenceService of it stopped on purpose) reads Healthy here:
-- gitops-engine sync_context.go ends a running wave task only on Healthy or Degraded, so Suspended
-- would hold the parent's wave, and every later wave, forever.
-- A finished sync that Failed or Errored is Degraded whatever the health (Missing, Progressing,
-- Unknown, Healthy), unless the child is Synced and Healthy (or Suspended) since. The controller
-- (controller/appcontroller.go processRequestedAppOperation) writes Failed/Error only after the
-- last retry, and autoSync never retries the same revision and source (alreadyAttemptedSync):
-- reading it as Progressing would hold the parent's wave, and its operation, forever.
-- Sandbox (util/lua/lua.go): base, table, package and a safe os only; no string library.
local hs = {}
hs.status = "Progressing"
hs.message = "Waiting for the application controller"

local function with_detail(text, detail)
  if detail ~= nil and detail ~= "" then
    return text .. ": " .. detail
  end
  return text
end

-- obj.operation is set when a sync is requested and cleared when it completes.
if obj.operation ~= nil then
  hs.message = "Sync operation requested"
  return hs
end
local st = obj.status
if st == nil or st.health == nil or st.health.status == nil or st.health.status == "" then
  return hs
end

local op = st.operationState
local phase = nil
if op ~= nil then phase = op.phase end
if phase == "Running" or phase == "Terminating" then
  hs.message = with_detail("Sync " .. phase, op.message)
  return hs
end

local health = obj.status.health.status
local sync = "Unknown"
if st.sync ~= nil and st.sync.status ~= nil and st.sync.status ~= "" then sync = st.sync.status end

if phase == "Failed" or phase == "Error" then
  if not (sync == "Synced" and (health == "Healthy" or health == "Suspended")) then
    hs.status = "Degraded"
    hs.message = with_detail("Last sync " .. phase, op.message) .. " (health " .. health .. ")"
    return hs
  end
end

if health == "Healthy" then
  if sync == "Synced" then
    hs.status = "Healthy"
    hs.message = "Healthy and Synced"
  else
    hs.message = "Healthy but sync status is " .. sync
  end
  return hs
end
if health == "Degraded" then
  hs.status = "Degraded"
  hs.message = with_detail("Application is Degraded", st.health.message)
  return hs
end
if health == "Suspended" then
  if sync == "Synced" then
    hs.status = "Healthy"
    hs.message = with_detail("Application is Suspended (stopped on purpose; the wave moves on)", st.health.message)
  else
    hs.message = with_detail("Application is Suspended, sync status " .. sync, st.health.message)
  end
  return hs
end
-- Progressing, Missing, Unknown: gitops-engine counts a Missing or Unknown resource as created or
-- failed at apply time, so both wait here as Progressing.
hs.message = with_detail("Application health is " .. health .. ", sync status " .. sync, st.health.message)
return hs
