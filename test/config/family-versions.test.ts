/**
 * One version for a family (issue #27): the KServe entries take their version from apps/kserve/app.yaml
 * (source.versionOf), and the images the tool itself uses are the owning entry's `images`, so a
 * KServe patch bump is one line, which this test performs on a copy of the project.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tempProject, type TempProject } from '../helpers/project.ts';
import { docs, renderOk, renderTemp, type Obj } from '../helpers/render.ts';
import type { EnvOutput } from '../../scripts/lib/render/environment.ts';

let tp: TempProject | undefined;
afterEach(() => {
  tp?.cleanup();
  tp = undefined;
});

/** The KServe family: the catalog entries whose source takes its version from kserve, and kserve. */
const family = (out: EnvOutput): string[] =>
  out.plan!.apps.filter((a) => a.name === 'kserve' || (a.app.source.type !== 'local' && a.app.source.versionOf === 'kserve')).map((a) => a.name).sort();

/** The pinned revision of each family member's Application. */
const revisions = (out: EnvOutput): Record<string, string> =>
  Object.fromEntries(family(out).map((n) => [n, (parse(out.files.get(`apps/${n}.yaml`)!) as Obj).spec.source.targetRevision as string]));

/** The fill Jobs' images (staging caches a model). */
const fillImages = (out: EnvOutput): string[] =>
  [...out.files.keys()].flatMap((f) => docs(out, f)).filter((o) => o?.kind === 'Job' && /fill/.test(o.metadata.name)).map((j) => j.spec.template.spec.containers[0].image as string);

describe('a KServe patch bump is one line', () => {
  it('moves all five KServe Applications and the storage initializer with one edited line', () => {
    tp = tempProject();
    const before = renderOk(tp, 'staging');
    expect(family(before)).toEqual(['kserve', 'kserve-crds', 'kserve-llmisvc', 'kserve-llmisvc-crds', 'kserve-runtime-configs']);
    expect(new Set(Object.values(revisions(before)))).toEqual(new Set(['v0.20.0']));
    expect(fillImages(before)).toContain('kserve/storage-initializer:v0.20.0');

    const text = tp.read('apps/kserve/app.yaml');
    tp.edit('apps/kserve/app.yaml', /^ {2}version: v0\.20\.0$/m, '  version: v0.20.1');
    const changed = text.split('\n').filter((l, i) => l !== tp!.read('apps/kserve/app.yaml').split('\n')[i]);
    expect(changed).toEqual(['  version: v0.20.0']);

    const after = renderOk(tp, 'staging');
    expect(revisions(after)).toEqual(Object.fromEntries(family(before).map((n) => [n, 'v0.20.1'])));
    expect(fillImages(after)).toContain('kserve/storage-initializer:v0.20.1');
    expect(fillImages(after)).not.toContain('kserve/storage-initializer:v0.20.0');
  });

  it('refuses a versionOf that names no entry, or one without a version of its own', () => {
    tp = tempProject();
    tp.edit('apps/kserve-crds/app.yaml', /versionOf: kserve\b/, 'versionOf: kserv');
    tp.edit('apps/kserve-llmisvc/app.yaml', /versionOf: kserve\b/, 'versionOf: kserve-crds');
    const messages = renderTemp(tp, 'dev').findings.map((f) => `${f.file} ${f.path} ${f.message}`);
    expect(messages).toContainEqual('apps/kserve-crds/app.yaml /source/versionOf versionOf "kserv": not in apps/');
    expect(messages).toContainEqual(expect.stringMatching(/^apps\/kserve-llmisvc\/app\.yaml \/source\/versionOf versionOf "kserve-crds": apps\/kserve-crds\/app\.yaml states no version of its own/));
  });
});
