/** `hydrate --expanded`: the operator-created objects, each headed by its custom resource, as YAML. */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { expandedYaml } from '../../../scripts/lib/commands/hydrate.ts';
import { main } from '../../../scripts/cli.ts';
import { expandOperators } from '../../../scripts/lib/verify/expansion/index.ts';
import { renderFixture } from '../../helpers/render.ts';
import { catalogImagesOf, HAS_PRESETS, renderedSources, upstreamPresets } from './sources.ts';

describe('hydrate --expanded output', () => {
  it('one document per operator-created object, headed by the resource and the operator it comes from', () => {
    const src = renderedSources(renderFixture('dev'));
    const { objects } = expandOperators(HAS_PRESETS ? [...src, ...upstreamPresets()] : src, catalogImagesOf());
    const text = expandedYaml('dev', objects);
    expect(text.split('\n')[0]).toBe(`# dev operator-created: ${objects.length} object(s) the operators create from the custom resources above`);
    expect(text).toMatch(/# Source: generated\/dev\/llama-stack\/llama-stack\.yaml:\d+ \(LlamaStackDistribution catalyst-llama-stack\/llama-stack, created by llamastack\/llama-stack-k8s-operator@v0\.9\.0\)\napiVersion: apps\/v1\nkind: Deployment/);
    const docs = parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean);
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(objects.map((e) => `${e.obj.kind}/${e.obj.metadata.name}`));
  });

  it('--expanded is an option of hydrate only', async () => {
    let err = '';
    const code = await main(['check', '--expanded'], { out: () => true, err: (s) => ((err += s), true) });
    expect(code).toBe(2);
    expect(err).toContain('--expanded is an option of hydrate, not of check');
  });
});
