/**
 * The strategic merge KServe applies to presets and to a user's storage-initializer override.
 * The storage-initializer cases are upstream's own: kserve/kserve@v0.20.0
 * pkg/controller/v1alpha2/llmisvc/workload_storage_internal_test.go (TestMergeStorageInitializerContainer,
 * TestExtractAndStripStorageInitializer).
 */
import { describe, expect, it } from 'vitest';
import { extractStorageInitializer, storageInitializerContainer, strategicMerge } from '../../../scripts/lib/verify/expansion/index.ts';

const cfg = { image: 'kserve/storage-initializer:latest', cpuRequest: '100m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '1Gi' };
const ctrlArgs = ['hf://model', '/mnt/models'];
const merged = (user: Record<string, unknown>, ctrlEnv?: unknown[], ctrlMounts?: unknown[]): Record<string, unknown> => {
  const made = storageInitializerContainer(cfg, ctrlArgs, undefined);
  if (ctrlEnv) made.env = ctrlEnv;
  if (ctrlMounts) made.volumeMounts = ctrlMounts;
  return { ...strategicMerge(made, user), name: made.name, args: made.args };
};

describe('storage-initializer override (upstream TestMergeStorageInitializerContainer)', () => {
  it("user overrides resources; name and args stay the controller's", () => {
    const m = storageInitializerContainer(cfg, ctrlArgs, { name: 'storage-initializer', resources: { limits: { cpu: '4', memory: '8Gi' }, requests: { cpu: '2', memory: '4Gi' } } });
    expect(m.resources).toEqual({ limits: { cpu: '4', memory: '8Gi' }, requests: { cpu: '2', memory: '4Gi' } });
    expect(m.name).toBe('storage-initializer');
    expect(m.args).toEqual(ctrlArgs);
  });
  it('user overrides image', () => {
    expect(storageInitializerContainer(cfg, ctrlArgs, { name: 'storage-initializer', image: 'my-registry/custom-storage:v2' }).image).toBe('my-registry/custom-storage:v2');
  });
  it('user adds env vars (merged by name)', () => {
    const m = merged({ name: 'storage-initializer', env: [{ name: 'CUSTOM_VAR', value: 'custom' }] }, [{ name: 'DEFAULT_VAR', value: 'default' }]);
    expect(m.env).toEqual([{ name: 'DEFAULT_VAR', value: 'default' }, { name: 'CUSTOM_VAR', value: 'custom' }]);
  });
  it('user overrides an existing env var', () => {
    const m = merged({ name: 'storage-initializer', env: [{ name: 'SHARED_VAR', value: 'overridden' }] }, [{ name: 'SHARED_VAR', value: 'default' }]);
    expect(m.env).toEqual([{ name: 'SHARED_VAR', value: 'overridden' }]);
  });
  it('user adds volume mounts (merged by mountPath)', () => {
    const m = merged({ name: 'storage-initializer', volumeMounts: [{ name: 'custom-certs', mountPath: '/etc/certs' }] }, undefined, [{ name: 'model-vol', mountPath: '/mnt/models' }]);
    expect(m.volumeMounts).toEqual([{ name: 'model-vol', mountPath: '/mnt/models' }, { name: 'custom-certs', mountPath: '/etc/certs' }]);
  });
  it('controller args and name preserved even if the user sets them', () => {
    const m = storageInitializerContainer(cfg, ctrlArgs, { name: 'different-name', args: ['should-be-ignored', '/wrong/path'], image: 'custom:v1' });
    expect(m.args).toEqual(ctrlArgs);
    expect(m.name).toBe('storage-initializer');
  });
  it('the securityContext of the override reaches the container (the fix this project relies on)', () => {
    const sc = { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } };
    expect(storageInitializerContainer(cfg, ctrlArgs, { name: 'storage-initializer', securityContext: sc }).securityContext).toEqual(sc);
  });
});

describe('extractAndStripStorageInitializer (upstream TestExtractAndStripStorageInitializer)', () => {
  it('extracts and strips when present', () => {
    const pod = { initContainers: [{ name: 'sidecar', image: 'sidecar:v1' }, { name: 'storage-initializer', image: 'custom-storage:v1', env: [{ name: 'CUSTOM_VAR', value: 'value' }] }] };
    expect(extractStorageInitializer(pod)?.image).toBe('custom-storage:v1');
    expect(pod.initContainers).toEqual([{ name: 'sidecar', image: 'sidecar:v1' }]);
  });
  it('returns nothing when absent', () => {
    const pod = { initContainers: [{ name: 'sidecar', image: 'sidecar:v1' }] };
    expect(extractStorageInitializer(pod)).toBeUndefined();
    expect(pod.initContainers).toHaveLength(1);
  });
});

describe('strategic merge of presets (k8s.io/api patch strategies)', () => {
  const preset = { template: { containers: [{ name: 'main', securityContext: { capabilities: { add: ['IPC_LOCK', 'SYS_RAWIO', 'NET_RAW'], drop: ['ALL'] } }, ports: [{ containerPort: 8000 }] }] } };
  it('a list the override omits is kept: capabilities.add survives an override that only drops', () => {
    const m = strategicMerge(preset, { template: { containers: [{ name: 'main', securityContext: { capabilities: { drop: ['ALL'] } } }] } });
    expect((m.template.containers[0]!.securityContext as { capabilities: unknown }).capabilities).toEqual({ add: ['IPC_LOCK', 'SYS_RAWIO', 'NET_RAW'], drop: ['ALL'] });
  });
  it('an empty list is dropped (omitempty), a non-empty one replaces', () => {
    const keep = strategicMerge(preset, { template: { containers: [{ name: 'main', securityContext: { capabilities: { add: [] } } }] } });
    expect((keep.template.containers[0]!.securityContext as { capabilities: { add: string[] } }).capabilities.add).toHaveLength(3);
    const repl = strategicMerge(preset, { template: { containers: [{ name: 'main', securityContext: { capabilities: { add: ['NET_BIND_SERVICE'] } } }] } });
    expect((repl.template.containers[0]!.securityContext as { capabilities: { add: string[] } }).capabilities.add).toEqual(['NET_BIND_SERVICE']);
  });
  it('containers merge by name, a new one is appended; volumes keep only the source the override names', () => {
    const m = strategicMerge(
      { containers: [{ name: 'main', image: 'a' }], volumes: [{ name: 'cache', emptyDir: {} }] },
      { containers: [{ name: 'side', image: 'b' }], volumes: [{ name: 'cache', persistentVolumeClaim: { claimName: 'c' } }] },
    );
    expect(m.containers).toEqual([{ name: 'main', image: 'a' }, { name: 'side', image: 'b' }]);
    expect(m.volumes).toEqual([{ name: 'cache', persistentVolumeClaim: { claimName: 'c' } }]);
  });
});
