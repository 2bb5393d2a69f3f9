/**
 * KV001-KV006 on crafted objects: each rule refuses what the API server refuses (the toleration
 * cases are upstream's own, from kubernetes pkg/apis/core/validation/validation_test.go
 * TestValidatePod error cases, with the same expected field), accepts the well-formed shapes,
 * reads values after defaulting, and places the finding at the field's line.
 */
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../../../scripts/lib/findings.ts';
import { coreValidationFindings, objectProblems } from '../../../../scripts/lib/verify/api-server/core-validation/index.ts';
import { objectsOfFile } from '../../../../scripts/lib/verify/hydration/collect.ts';
import { toYaml } from '../../../../scripts/lib/render/yaml-out.ts';

type Any = Record<string, any>;

function deployment(pod: Any = {}): Any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'catalyst-agents', labels: { app: 'web' }, annotations: { 'catalyst.dev/description': 'a web app' } },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          volumes: [{ name: 'tmp', emptyDir: {} }],
          containers: [
            {
              name: 'web',
              image: 'ghcr.io/example/web:1.2.3',
              ports: [{ name: 'http', containerPort: 8080 }],
              env: [{ name: 'MY_ENV.NAME', value: 'x' }, { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'web', key: 'token' } } }],
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
              livenessProbe: { tcpSocket: { port: 8080 }, successThreshold: 1 },
            },
          ],
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          ...pod,
        },
      },
    },
  };
}

const problems = (o: Any) => objectProblems(o).map((p) => [p.rule, p.path, p.fn]);
const withContainer = (patch: Any) => {
  const d = deployment();
  Object.assign(d.spec.template.spec.containers[0], patch);
  return d;
};
const C = '/spec/template/spec/containers/0';

describe('core validation rules', () => {
  it('accept a well-formed workload, Service, Namespace and ClusterRole', () => {
    expect(problems(deployment())).toEqual([]);
    expect(problems({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'n' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'grpc', port: 9000, targetPort: 9000 }] } })).toEqual([]);
    expect(problems({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'catalyst-data' } })).toEqual([]);
    expect(problems({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:aggregate-to-view' } })).toEqual([]);
  });

  it('KV002 tolerations: upstream TestValidatePod error cases, each at its field', () => {
    const tol = (t: Any) => problems(deployment({ tolerations: [t] }));
    const T = '/spec/template/spec/tolerations/0';
    // "invalid toleration key"
    expect(tol({ key: 'nospecialchars^=@', operator: 'Equal', value: 'bar', effect: 'NoSchedule' })).toEqual([['KV002', `${T}/key`, 'ValidateTolerations']]);
    // "invalid toleration operator"
    expect(tol({ key: 'foo', operator: 'In', value: 'bar', effect: 'NoSchedule' })).toEqual([['KV002', `${T}/operator`, 'ValidateTolerations']]);
    // "value must be empty when `operator` is 'Exists'"
    expect(tol({ key: 'foo', operator: 'Exists', value: 'bar', effect: 'NoSchedule' })).toEqual([['KV002', `${T}/operator`, 'ValidateTolerations']]);
    // "operator must be 'Exists' when `key` is empty"
    expect(tol({ operator: 'Equal', value: 'bar', effect: 'NoSchedule' })).toEqual([['KV002', `${T}/operator`, 'ValidateTolerations']]);
    // "effect must be 'NoExecute' when `TolerationSeconds` is set"
    expect(tol({ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 20 })).toEqual([['KV002', `${T}/effect`, 'ValidateTolerations']]);
    // Accepted: the forgiveness toleration on NoExecute, match-all, and an Equal with a label value.
    expect(tol({ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 })).toEqual([]);
    expect(tol({ operator: 'Exists' })).toEqual([]);
    expect(tol({ key: 'foo', value: 'bar', effect: 'PreferNoSchedule' })).toEqual([]);
    expect(tol({ key: 'foo', operator: 'Exists', effect: 'NoRun' })).toEqual([['KV002', `${T}/effect`, 'ValidateTolerations']]);
  });

  it('KV003 ports: container and Service ports 1-65535, port names, duplicates; a quoted number is a port name', () => {
    expect(problems(withContainer({ ports: [{ name: 'http', containerPort: 65536 }, { name: 'http', containerPort: 80 }, { name: 'Metrics_Port', containerPort: 9090, protocol: 'HTTP' }] }))).toEqual([
      ['KV003', `${C}/ports/0/containerPort`, 'validateContainerPorts'],
      ['KV003', `${C}/ports/1/name`, 'validateContainerPorts'],
      ['KV003', `${C}/ports/2/name`, 'validateContainerPorts'],
      ['KV003', `${C}/ports/2/protocol`, 'validateContainerPorts'],
    ]);
    expect(problems({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'n' }, spec: { ports: [{ port: 80 }, { name: 'a', port: 0, targetPort: '8080' }, { name: 'a', port: 81, targetPort: 70000 }] } })).toEqual([
      ['KV003', '/spec/ports/0/name', 'validateServicePort'],
      ['KV003', '/spec/ports/1/port', 'validateServicePort'],
      ['KV003', '/spec/ports/1/targetPort', 'validateServicePort'],
      ['KV003', '/spec/ports/2/name', 'validateServicePort'],
      ['KV003', '/spec/ports/2/targetPort', 'validateServicePort'],
    ]);
    expect(problems(withContainer({ readinessProbe: { httpGet: { path: '/', port: 65536 } } }))).toEqual([['KV003', `${C}/readinessProbe/httpGet/port`, 'validateHTTPGetAction']]);
  });

  it('KV003 container ports: upstream TestValidatePorts cases (field and detail)', () => {
    const ports = (list: Any[]) => objectProblems(withContainer({ ports: list })).map((p) => [p.path.slice(`${C}/ports/`.length), p.message]);
    expect(ports([{ name: 'abc', containerPort: 80, hostPort: 80, protocol: 'TCP' }, { name: 'easy', containerPort: 82, protocol: 'TCP' }, { name: 'as', containerPort: 83, protocol: 'UDP' }, { name: 'do-re-me', containerPort: 84, protocol: 'UDP' }, { containerPort: 85, protocol: 'TCP' }])).toEqual([]);
    expect(ports([{ containerPort: 80, protocol: 'TCP' }])).toEqual([]);
    const cases: [Any[], string, string][] = [
      [[{ name: 'a'.repeat(16), containerPort: 80, protocol: 'TCP' }], '0/name', '15'],
      [[{ name: 'a.b.c', containerPort: 80, protocol: 'TCP' }], '0/name', 'alpha-numeric'],
      [[{ name: '80', containerPort: 80, protocol: 'TCP' }], '0/name', 'at least one letter'],
      [[{ name: 'abc', containerPort: 80, protocol: 'TCP' }, { name: 'abc', containerPort: 81, protocol: 'TCP' }], '1/name', 'Duplicate value'],
      [[{ containerPort: 0, protocol: 'TCP' }], '0/containerPort', 'Required value'],
      [[{ containerPort: 65536, protocol: 'TCP' }], '0/containerPort', 'between'],
      [[{ containerPort: 80, hostPort: 65536, protocol: 'TCP' }], '0/hostPort', 'between'],
      [[{ containerPort: 80, protocol: 'tcp' }], '0/protocol', 'supported values: "SCTP", "TCP", "UDP"'],
      [[{ containerPort: 80, protocol: 'ICMP' }], '0/protocol', 'supported values: "SCTP", "TCP", "UDP"'],
    ];
    for (const [list, field, detail] of cases) {
      const got = ports(list);
      expect(got.map(([f]) => f), JSON.stringify(list)).toEqual([field]);
      expect(got[0]![1]).toContain(detail);
    }
  });

  it('KV003 NetworkPolicy ports: numbers 1-65535 (a trace store on 65536 would land here), names, endPort', () => {
    const np = (ports: Any[]) => problems({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'n' }, spec: { podSelector: {}, egress: [{ ports }] } });
    expect(np([{ protocol: 'TCP', port: 4317 }, { port: 'otlp-grpc' }, { port: 8000, endPort: 9000 }])).toEqual([]);
    expect(np([{ protocol: 'TCP', port: 65536 }, { port: 'http', endPort: 90 }, { port: 9000, endPort: 8000 }, { protocol: 'ICMP', port: 1 }])).toEqual([
      ['KV003', '/spec/egress/0/ports/0/port', 'ValidateNetworkPolicyPort'],
      ['KV003', '/spec/egress/0/ports/1/endPort', 'ValidateNetworkPolicyPort'],
      ['KV003', '/spec/egress/0/ports/2/endPort', 'ValidateNetworkPolicyPort'],
      ['KV003', '/spec/egress/0/ports/3/protocol', 'ValidateNetworkPolicyPort'],
    ]);
  });

  it('KV004 env: names, one source per valueFrom, not with a value; key selectors', () => {
    expect(problems(withContainer({ env: [{ name: 'A=B', value: '1' }, { name: 'X', value: 'v', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'Y', valueFrom: {} }, { name: 'Z', valueFrom: { secretKeyRef: { name: 'Bad_Name', key: 'a*b' } } }] }))).toEqual([
      ['KV004', `${C}/env/0/name`, 'ValidateEnv'],
      ['KV004', `${C}/env/1/valueFrom`, 'validateEnvVarValueFrom'],
      ['KV004', `${C}/env/2/valueFrom`, 'validateEnvVarValueFrom'],
      ['KV004', `${C}/env/3/valueFrom/secretKeyRef/name`, 'validateSecretKeySelector'],
      ['KV004', `${C}/env/3/valueFrom/secretKeyRef/key`, 'validateSecretKeySelector'],
    ]);
  });

  it('KV005 probes: one handler, liveness and startup successThreshold 1 (0 defaults to 1), readiness without terminationGracePeriodSeconds', () => {
    expect(problems(withContainer({ livenessProbe: { httpGet: { path: '/', port: 80 }, exec: { command: ['true'] }, successThreshold: 2 }, readinessProbe: { tcpSocket: { port: 80 }, terminationGracePeriodSeconds: 10 }, startupProbe: { periodSeconds: -1 } }))).toEqual([
      ['KV005', `${C}/livenessProbe/httpGet`, 'validateHandler'],
      ['KV005', `${C}/livenessProbe/successThreshold`, 'validateLivenessProbe'],
      ['KV005', `${C}/readinessProbe/terminationGracePeriodSeconds`, 'validateReadinessProbe'],
      ['KV005', `${C}/startupProbe`, 'validateHandler'],
      ['KV005', `${C}/startupProbe/periodSeconds`, 'validateProbe'],
    ]);
    expect(problems(withContainer({ livenessProbe: { tcpSocket: { port: 80 }, successThreshold: 0 } }))).toEqual([]);
    const init = deployment({ initContainers: [{ name: 'init', image: 'x:1', livenessProbe: { tcpSocket: { port: 80 } } }] });
    expect(problems(init)).toEqual([['KV005', '/spec/template/spec/initContainers/0/livenessProbe', 'validateInitContainers']]);
    init.spec.template.spec.initContainers[0].restartPolicy = 'Always';
    expect(problems(init)).toEqual([]);
  });

  it('KV006 names: container and volume names unique DNS labels, mounts of known volumes at unique paths', () => {
    const d = deployment({ volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'tmp', emptyDir: {} }, { name: 'Cache', emptyDir: {} }], initContainers: [{ name: 'web', image: 'x:1' }] });
    d.spec.template.spec.containers.push({ name: 'web', image: 'x:1', volumeMounts: [{ name: 'data', mountPath: '/d' }, { name: 'tmp', mountPath: '/d' }] });
    expect(problems(d)).toEqual([
      ['KV006', '/spec/template/spec/volumes/1/name', 'ValidateVolumes'],
      ['KV006', '/spec/template/spec/volumes/2/name', 'ValidateVolumes'],
      ['KV006', '/spec/template/spec/containers/1/volumeMounts/0/name', 'ValidateVolumeMounts'],
      ['KV006', '/spec/template/spec/containers/1/volumeMounts/1/mountPath', 'ValidateVolumeMounts'],
      ['KV006', '/spec/template/spec/containers/1/name', 'validateContainers'],
      ['KV006', '/spec/template/spec/initContainers/0/name', 'validateInitContainers'],
    ]);
  });

  it('KV001 metadata: names per kind, label and annotation syntax, annotations over 256 KiB in total', () => {
    expect(problems({ apiVersion: 'v1', kind: 'Service', metadata: { name: '1web', namespace: 'n' }, spec: {} })).toEqual([['KV001', '/metadata/name', 'ValidateServiceName (NameIsDNS1035Label)']]);
    expect(problems({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } })).toEqual([['KV001', '/metadata/name', 'ValidateNamespaceName (NameIsDNSLabel)']]);
    expect(problems({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Web', namespace: 'n', labels: { 'bad key!': 'x', ok: '-bad-' }, annotations: { 'a/b/c': 'x' } } })).toEqual([
      ['KV001', '/metadata/name', 'NameIsDNSSubdomain'],
      ['KV001', '/metadata/labels/bad key!', 'ValidateLabels'],
      ['KV001', '/metadata/labels/ok', 'ValidateLabels'],
      ['KV001', '/metadata/annotations/a~1b~1c', 'ValidateAnnotations'],
    ]);
    const big = deployment();
    big.metadata.annotations['catalyst.dev/description'] = 'x'.repeat(256 * 1024);
    const [f, ...rest] = objectProblems(big);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'KV001', path: '/metadata/annotations', fn: 'ValidateAnnotations' });
    expect(f!.message).toMatch(/^Too long: annotations size 262\d{3} is larger than limit 262144 .*"catalyst\.dev\/description"/);
    big.metadata.annotations['catalyst.dev/description'] = 'x'.repeat(256 * 1024 - 'catalyst.dev/description'.length);
    expect(objectProblems(big)).toEqual([]);
    // The pod template's labels and annotations are checked too.
    expect(problems(deployment({})).length).toBe(0);
    const t = deployment();
    t.spec.template.metadata.labels = { app: 'web!' };
    expect(problems(t)).toEqual([['KV001', '/spec/template/metadata/labels/app', 'ValidateLabels']]);
  });

  it('places a finding at the line of the field, naming the rule and the upstream function', () => {
    const bad = withContainer({});
    bad.spec.template.spec.tolerations = [{ key: 'foo', operator: 'Exists', value: 'bar', effect: 'NoSchedule' }];
    const text = toYaml([bad as K8sObject]);
    const [f, ...rest] = coreValidationFindings(objectsOfFile('generated/lab/web/deployment.yaml', text));
    expect(rest).toEqual([]);
    const line = text.split('\n').findIndex((l) => l.includes('operator: Exists')) + 1;
    expect(f).toMatchObject({ file: 'generated/lab/web/deployment.yaml', line, kind: 'Deployment', name: 'web', rule: 'KV002', path: '/spec/template/spec/tolerations/0/operator' });
    expect(f!.message).toBe('Invalid value: "Exists": value must be empty when `operator` is \'Exists\' (the API server refuses it: ValidateTolerations, Kubernetes v1.35)');
  });
});
