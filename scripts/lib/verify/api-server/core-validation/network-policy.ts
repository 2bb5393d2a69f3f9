/**
 * NetworkPolicy ports as the API server validates them (kubernetes v1.35
 * `pkg/apis/networking/validation/validation.go`, ValidateNetworkPolicyPort): the protocol, a port
 * number 1..65535 or a port name, an endPort only after a numeric port and not below it.
 */
import { isValidPortName, isValidPortNum } from '../../../config/kube/names.ts';
import { invalid, isObj, KV_PORTS, objs, type KvProblem } from './types.ts';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export function networkPolicyProblems(spec: unknown): KvProblem[] {
  if (!isObj(spec)) return [];
  const out: KvProblem[] = [];
  const p = (path: string, message: string): number => out.push({ path, rule: KV_PORTS, fn: 'ValidateNetworkPolicyPort', message });
  for (const dir of ['ingress', 'egress']) {
    for (const [i, rule] of objs(spec[dir])) {
      for (const [j, port] of objs(rule.ports)) {
        const at = `/spec/${dir}/${i}/ports/${j}`;
        const proto = port.protocol;
        if (typeof proto === 'string' && !PROTOCOLS.includes(proto)) p(`${at}/protocol`, `Unsupported value: ${JSON.stringify(proto)}: supported values: ${PROTOCOLS.map((x) => `"${x}"`).join(', ')}`);
        const end = port.endPort;
        if (typeof port.port === 'number') {
          isValidPortNum(port.port).forEach((m) => p(`${at}/port`, invalid(port.port, m)));
          if (typeof end === 'number') {
            if (end < port.port) p(`${at}/endPort`, invalid(end, 'must be greater than or equal to `port`'));
            isValidPortNum(end).forEach((m) => p(`${at}/endPort`, invalid(end, m)));
          }
        } else if (typeof port.port === 'string') {
          if (end !== undefined && end !== null) p(`${at}/endPort`, invalid(end, 'may not be specified when `port` is non-numeric'));
          isValidPortName(port.port).forEach((m) => p(`${at}/port`, invalid(port.port, m)));
        } else if (end !== undefined && end !== null) p(`${at}/endPort`, invalid(end, 'may not be specified when `port` is not specified'));
      }
    }
  }
  return out;
}
