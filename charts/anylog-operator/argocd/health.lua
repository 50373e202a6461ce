-- Argo CD health check for anylog.co/AnyLogMaster (resource.customizations.health.anylog.co_AnyLogMaster).
-- Stalled -> Degraded; not yet observed or Reconciling -> Progressing; Ready=True for the current
-- generation -> Healthy; Ready=False with nothing in flight -> Degraded. Tested by test/unit/chart/argocd-health.test.ts.
local hs = { status = "Progressing", message = "Waiting for the operator" }
if obj.metadata ~= nil and obj.metadata.deletionTimestamp ~= nil then
  hs.message = "Pending deletion"
  return hs
end
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
local byType = {}
for _, c in ipairs(obj.status.conditions) do
  byType[c.type] = c
end
local function text(c)
  return (c.reason or "") .. ": " .. (c.message or "")
end
local stalled, reconciling, ready = byType["Stalled"], byType["Reconciling"], byType["Ready"]
if stalled ~= nil and stalled.status == "True" then
  return { status = "Degraded", message = text(stalled) }
end
if obj.status.observedGeneration ~= obj.metadata.generation then
  return { status = "Progressing", message = "Generation not yet observed" }
end
if reconciling ~= nil and reconciling.status == "True" then
  return { status = "Progressing", message = text(reconciling) }
end
if ready ~= nil and ready.status == "True" and ready.observedGeneration == obj.metadata.generation then
  return { status = "Healthy", message = text(ready) }
end
if ready ~= nil and ready.status == "False" then
  return { status = "Degraded", message = text(ready) }
end
return hs
