/**
 * The catalog's talksTo edges that reach operator-created pods, against the rendered
 * NetworkPolicies (FLOW001): Llama Stack (its operator's pod) -> PostgreSQL (CloudNativePG's
 * instance pod) in the fixture env, allowed as rendered and denied without the ingress rule.
 */
import { describe, expect, it } from 'vitest';
import { componentFlowFindings } from '../../../scripts/lib/verify/expansion/component-flows.ts';
import { expandOperators, FLOW001, type SourceObject } from '../../../scripts/lib/verify/expansion/index.ts';
import { hydrateFixture } from '../../helpers/render.ts';
import { catalogImagesOf } from './sources.ts';

const EDGE = { from: 'llama-stack', to: 'postgres', ports: [5432] };

describe('talksTo flows to and from operator-created pods', () => {
  const sources = async (): Promise<SourceObject[]> => (await hydrateFixture('dev')).map((o) => ({ obj: o.obj, file: o.file, line: o.line }));

  it('llama-stack -> postgres: both ends are operator-created and the edge policies allow 5432', async () => {
    const src = await sources();
    const { objects: expanded } = expandOperators(src, catalogImagesOf());
    const ls = expanded.filter((e) => e.from.obj.kind === 'LlamaStackDistribution' && e.obj.kind === 'Deployment');
    const pg = expanded.filter((e) => e.from.obj.kind === 'Cluster' && e.obj.kind === 'Pod');
    expect(ls.length).toBe(1);
    expect(pg.length).toBeGreaterThan(0);
    expect(ls[0]!.from.obj.metadata.labels?.['catalyst.dev/component']).toBe('llama-stack');
    expect(pg[0]!.from.obj.metadata.labels?.['catalyst.dev/component']).toBe('postgres');
    const namespaces = src.filter((s) => s.obj.kind === 'Namespace').map((s) => s.obj);
    expect(componentFlowFindings(src, expanded, namespaces, [EDGE])).toEqual([]);
  });

  it('without the ingress rule of catalyst-data the flow to the CNPG instance is denied (FLOW001)', async () => {
    const src = (await sources()).filter((s) => !(s.obj.kind === 'NetworkPolicy' && s.obj.metadata.namespace === 'catalyst-data' && s.obj.metadata.annotations?.['catalyst.dev/edges'] === 'llama-stack -> postgres'));
    const { objects: expanded } = expandOperators(src, catalogImagesOf());
    const f = componentFlowFindings(src, expanded, src.filter((s) => s.obj.kind === 'Namespace').map((s) => s.obj), [EDGE]);
    expect(f.length).toBeGreaterThan(0);
    expect(f.every((x) => x.rule === FLOW001)).toBe(true);
    expect(f.some((x) => x.kind === 'Cluster' && x.file.includes('postgres'))).toBe(true);
    expect(f.map((x) => x.message)).toContainEqual(expect.stringMatching(/flow talksTo llama-stack -> postgres from the pods of Deployment catalyst-llama-stack\/llama-stack \(operator-created\) to the pods of Pod catalyst-data\/catalyst-pg-1 \(operator-created\) on TCP 5432 is not allowed: no NetworkPolicy of namespace catalyst-data/));
  });
});
