/**
 * Every status value each pinned upstream controller writes that the health scripts look at,
 * with the Argo CD health it must map to and the file at the pinned tag that sets it. The
 * coverage test requires a fixture per entry (fixture field `covers`); docs/HEALTH.md must name
 * each one. Keys are the script names (base/argocd-health, apps/<name>/health) without `.lua`.
 */
import type { HealthCode } from './argo-lua-vm.ts';

export interface UpstreamValue {
  /** The value as written upstream (a reason, phase or status). */
  value: string;
  /** Where it appears, e.g. `MainWorkloadReady.reason`. */
  field: string;
  health: HealthCode;
  /** repo@tag:path that sets or declares it. */
  source: string;
}

const KSERVE = 'kserve/kserve@v0.20.0:pkg/controller/v1alpha2/llmisvc/';
const KSERVE_API = 'kserve/kserve@v0.20.0:pkg/apis/serving/v1alpha2/llm_inference_service_lifecycle.go';
const ARGO = 'argoproj/argo-cd@v3.3.14:';
const GAIE = 'kubernetes-sigs/gateway-api-inference-extension@v1.5.0:api/v1/inferencepool_types.go';
const LLS = 'llamastack/llama-stack-k8s-operator@v0.9.0:';
const MCP = 'Kuadrant/mcp-gateway@v0.9.0:';

const v = (value: string, field: string, health: HealthCode, source: string): UpstreamValue => ({ value, field, health, source });

export const UPSTREAM_VALUES: Record<string, UpstreamValue[]> = {
  'argoproj.io_Application': [
    v('Healthy', 'status.health.status (with sync Synced)', 'Healthy', `${ARGO}gitops-engine/pkg/health/health.go`),
    v('Progressing', 'status.health.status', 'Progressing', `${ARGO}gitops-engine/pkg/health/health.go`),
    v('Degraded', 'status.health.status', 'Degraded', `${ARGO}gitops-engine/pkg/health/health.go`),
    v('Suspended', 'status.health.status (with sync Synced)', 'Healthy', `${ARGO}gitops-engine/pkg/health/health.go`),
    v('Missing', 'status.health.status', 'Progressing', `${ARGO}gitops-engine/pkg/health/health.go`),
    v('Unknown', 'status.health.status', 'Progressing', `${ARGO}gitops-engine/pkg/health/health.go`),
    v('OutOfSync', 'status.sync.status (health Healthy)', 'Progressing', `${ARGO}pkg/apis/application/v1alpha1/types.go`),
    v('Running', 'status.operationState.phase', 'Progressing', `${ARGO}gitops-engine/pkg/sync/common/types.go`),
    v('Terminating', 'status.operationState.phase', 'Progressing', `${ARGO}gitops-engine/pkg/sync/common/types.go`),
    v('Failed', 'status.operationState.phase (any health, unless Synced and Healthy since)', 'Degraded', `${ARGO}gitops-engine/pkg/sync/common/types.go`),
    v('Error', 'status.operationState.phase (any health, unless Synced and Healthy since)', 'Degraded', `${ARGO}gitops-engine/pkg/sync/common/types.go`),
    v('Succeeded', 'status.operationState.phase', 'Healthy', `${ARGO}gitops-engine/pkg/sync/common/types.go`),
    v('sync', 'operation (sync requested, not finished)', 'Progressing', `${ARGO}pkg/apis/application/v1alpha1/types.go`),
  ],
  'serving.kserve.io_LLMInferenceService': [
    v('ConfigNotFound', 'PresetsCombined.reason', 'Degraded', `${KSERVE}config_merge.go`),
    v('CombineBaseError', 'PresetsCombined.reason', 'Degraded', `${KSERVE}config_merge.go`),
    v('ReconcileCertsError', 'MainWorkloadReady.reason', 'Degraded', `${KSERVE}workload.go`),
    v('ReconcileWorkloadPermissionsError', 'MainWorkloadReady.reason', 'Degraded', `${KSERVE}workload.go`),
    v('ReconcileMultiNodeWorkloadError', 'WorkerWorkloadReady.reason', 'Degraded', `${KSERVE}workload.go`),
    v('ReconcileSingleNodeWorkloadError', 'MainWorkloadReady.reason', 'Degraded', `${KSERVE}workload.go`),
    v('ReconcileWorkloadServiceError', 'MainWorkloadReady.reason', 'Degraded', `${KSERVE}workload.go`),
    v('ScalingCRDNotFound', 'MainWorkloadReady.reason', 'Degraded', `${KSERVE}workload.go`),
    v('ReconcileScalingError', 'MainWorkloadReady.reason', 'Degraded', `${KSERVE}workload.go`),
    v('SchedulerReconcileError', 'SchedulerWorkloadReady.reason', 'Degraded', `${KSERVE}router.go`),
    v('GatewayPreconditionNotMet', 'HTTPRoutesReady.reason', 'Degraded', `${KSERVE}router.go`),
    v('HTTPRouteReconcileError', 'HTTPRoutesReady.reason', 'Degraded', `${KSERVE}router.go`),
    v('PlatformNetworkingReconcileError', 'HTTPRoutesReady.reason', 'Degraded', `${KSERVE}router.go`),
    v('HTTPRouteFetchError', 'HTTPRoutesReady.reason', 'Degraded', `${KSERVE}router.go`),
    v('RefsInvalid', 'GatewaysReady/HTTPRoutesReady.reason', 'Degraded', `${KSERVE}router_validation.go`),
    v('ProgressDeadlineExceeded', '*WorkloadReady.reason (from the Deployment)', 'Degraded', `${KSERVE}workload_single_node.go`),
    v('FailedGetResourceMetric', 'ScalingReady.reason (any HPA/KEDA False reason)', 'Degraded', `${KSERVE}scaling.go`),
    v('Stopped', 'every sub-condition .reason (with the stop annotation)', 'Suspended', `${KSERVE}workload.go`),
    v('MinimumReplicasUnavailable', 'MainWorkloadReady.reason (from the Deployment)', 'Progressing', `${KSERVE}workload_single_node.go`),
    v('Progressing', 'MainWorkloadReady.reason (Deployment without conditions)', 'Progressing', `${KSERVE}workload_single_node.go`),
    v('HPAProgressing', 'ScalingReady.reason', 'Progressing', `${KSERVE}scaling.go`),
    v('ScaledObjectProgressing', 'ScalingReady.reason', 'Progressing', `${KSERVE}scaling.go`),
    v('GatewaysNotReady', 'GatewaysReady.reason', 'Progressing', `${KSERVE}router.go`),
    v('HTTPRoutesNotReady', 'HTTPRoutesReady.reason', 'Progressing', `${KSERVE}router.go`),
    v('InferencePoolFetchError', 'InferencePoolReady.reason', 'Progressing', `${KSERVE}router.go`),
    v('WaitingForGateway', 'InferencePoolReady.reason', 'Progressing', `${KSERVE}router.go`),
    v('InferencePoolNotReady', 'InferencePoolReady.reason', 'Progressing', `${KSERVE}router.go`),
    v('NewObservedGenFailure', 'Ready.reason (knative PreProcessReconcile)', 'Progressing', 'knative/pkg@4a022ed9999a:reconciler/reconcile_common.go'),
    v('ImageVolumeUnsupported', 'OciImageVolumeCompatible.reason (advisory)', 'Healthy', `${KSERVE}controller.go`),
    v('ImageVolumeSubPathUnsupported', 'OciImageVolumeCompatible.reason (advisory)', 'Healthy', `${KSERVE}controller.go`),
    v('ImageVolumeAlpha', 'OciImageVolumeCompatible.reason (advisory)', 'Healthy', `${KSERVE}controller.go`),
    v('FinalizationPending', 'GroupReady.reason (outside the Ready rollup)', 'Healthy', `${KSERVE}router_group.go`),
    v('MemberDivergence', 'GroupDegraded.reason (outside the Ready rollup)', 'Healthy', `${KSERVE}router_group_status.go`),
    v('Ready', 'Ready.status True', 'Healthy', KSERVE_API),
  ],
  'llamastack.io_LlamaStackDistribution': [
    v('Pending', 'status.phase', 'Progressing', `${LLS}controllers/llamastackdistribution_controller.go`),
    v('Initializing', 'status.phase', 'Progressing', `${LLS}controllers/llamastackdistribution_controller.go`),
    v('Ready', 'status.phase', 'Healthy', `${LLS}controllers/llamastackdistribution_controller.go`),
    v('Failed', 'status.phase', 'Degraded', `${LLS}controllers/llamastackdistribution_controller.go`),
    v('Terminating', 'status.phase (declared, never set)', 'Progressing', `${LLS}api/v1alpha1/llamastackdistribution_types.go`),
    v('DeploymentFailed', 'DeploymentReady.reason (pending and failed alike)', 'Progressing', `${LLS}controllers/status.go`),
    v('HealthCheckFailed', 'HealthCheck.reason', 'Progressing', `${LLS}controllers/status.go`),
    v('StorageFailed', 'StorageReady.reason', 'Progressing', `${LLS}controllers/status.go`),
    v('ServiceFailed', 'ServiceReady.reason', 'Progressing', `${LLS}controllers/status.go`),
  ],
  'inference.networking.k8s.io_InferencePool': [
    v('Accepted', 'parents[].Accepted True', 'Healthy', GAIE),
    v('Pending', 'parents[].Accepted Unknown', 'Progressing', GAIE),
    v('NotSupportedByParent', 'parents[].Accepted False', 'Degraded', GAIE),
    v('HTTPRouteNotAccepted', 'parents[].Accepted False', 'Degraded', GAIE),
    v('ResolvedRefs', 'parents[].ResolvedRefs True', 'Healthy', GAIE),
    v('InvalidExtensionRef', 'parents[].ResolvedRefs False', 'Degraded', GAIE),
    v('Exported', 'parents[].Exported (ignored)', 'Healthy', GAIE),
    v('NotRequested', 'parents[].Exported False (ignored)', 'Healthy', GAIE),
    v('NotSupported', 'parents[].Exported False (ignored)', 'Healthy', GAIE),
  ],
  'mcp.kuadrant.io_MCPServerRegistration': [
    v('Ready', 'Ready.reason', 'Healthy', `${MCP}internal/controller/mcpserverregistration_controller.go`),
    v('NotReady', 'Ready.reason', 'Progressing', `${MCP}internal/controller/mcpserverregistration_controller.go`),
    v('Disabled', 'Ready.reason', 'Suspended', `${MCP}internal/controller/mcpserverregistration_controller.go`),
  ],
  'mcp.kuadrant.io_MCPGatewayExtension': [
    v('ValidMCPGatewayExtension', 'Ready.reason', 'Healthy', `${MCP}api/v1/mcpgatewayextension_types.go`),
    v('DeploymentNotReady', 'Ready.reason', 'Progressing', `${MCP}internal/controller/mcpgatewayextension_controller.go`),
    v('InvalidMCPGatewayExtension', 'Ready.reason', 'Degraded', `${MCP}internal/controller/mcpgatewayextension_controller.go`),
    v('ReferenceGrantRequired', 'Ready.reason', 'Degraded', `${MCP}internal/controller/mcpgatewayextension_controller.go`),
    v('SecretNotFound', 'Ready.reason', 'Degraded', `${MCP}internal/controller/trusted_headers.go`),
    v('SecretInvalid', 'Ready.reason', 'Degraded', `${MCP}internal/controller/trusted_headers.go`),
  ],
};
