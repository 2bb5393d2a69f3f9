-- Application health for app-of-apps sync waves (removed from Argo CD in v1.8).
-- Without it a parent waits only for child Applications to exist, not to be Healthy.
hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil and obj.status.health ~= nil then
  hs.status = obj.status.health.status
  if obj.status.health.message ~= nil then
    hs.message = obj.status.health.message
  end
end
return hs
