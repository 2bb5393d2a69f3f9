/**
 * The parts of ValidateService (kubernetes v1.35 `pkg/apis/core/validation/validation.go`) no
 * OpenAPI schema expresses: validateServicePort (a name on every port once there are several, a
 * DNS-1123 label, unique; the port 1..65535; the protocol; targetPort a port number or name) and
 * the selector's labels (ValidateLabels).
 */
import { labelProblems } from './metadata.ts';
import { isDNS1123Label, isValidPortName, isValidPortNum } from '../../../config/kube/names.ts';
import { invalid, isObj, KV_PORTS, objs, str, type KvProblem } from './types.ts';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export function serviceProblems(spec: unknown): KvProblem[] {
  if (!isObj(spec)) return [];
  const out: KvProblem[] = [];
  const ports = objs(spec.ports);
  const names = new Set<string>();
  const p = (path: string, message: string): number => out.push({ path, rule: KV_PORTS, fn: 'validateServicePort', message });
  for (const [i, port] of ports) {
    const at = `/spec/ports/${i}`;
    const name = str(port.name) ?? '';
    if (ports.length > 1 && !name) p(`${at}/name`, 'Required value');
    else if (name) {
      isDNS1123Label(name).forEach((m) => p(`${at}/name`, invalid(name, m)));
      if (names.has(name)) p(`${at}/name`, `Duplicate value: ${JSON.stringify(name)}`);
      names.add(name);
    }
    if (typeof port.port === 'number') isValidPortNum(port.port).forEach((m) => p(`${at}/port`, invalid(port.port, m)));
    const protocol = str(port.protocol);
    // An unset or empty protocol is defaulted to TCP (SetDefaults_Service).
    if (protocol && !PROTOCOLS.includes(protocol)) p(`${at}/protocol`, `Unsupported value: ${JSON.stringify(protocol)}: supported values: ${PROTOCOLS.map((x) => `"${x}"`).join(', ')}`);
    // An unset (or 0) targetPort defaults to the port.
    const target = port.targetPort;
    if (typeof target === 'number' && target !== 0) isValidPortNum(target).forEach((m) => p(`${at}/targetPort`, invalid(target, m)));
    if (typeof target === 'string') isValidPortName(target).forEach((m) => p(`${at}/targetPort`, invalid(target, m)));
  }
  out.push(...labelProblems(spec.selector, '/spec/selector'));
  return out;
}
