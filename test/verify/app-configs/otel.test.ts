/**
 * The same app-config mechanism on the OpenTelemetry Collector config (ConfigMap
 * otel-collector-config): the rendered config validates, and a pipeline reference to an
 * unconfigured component (what otelcol/config.go Validate refuses at v0.153.0) is reported at
 * its line in the generated file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFinding } from '../../../scripts/lib/findings.ts';
import { ROOT } from '../../../scripts/lib/paths.ts';
import { objectsOfFile } from '../../../scripts/lib/verify/hydration/collect.ts';
import { validateAppConfigs } from '../../../scripts/lib/verify/app-configs/index.ts';
import type { TempProject } from '../../helpers/project.ts';
import { lineAt } from '../../helpers/render.ts';
import { FIXTURE_ENV, labProject, renderLab } from '../../render/infer-lab.ts';

let tp: TempProject;
let text: string;
const FILE = `generated/${FIXTURE_ENV}/otel-collector/config.yaml`;
beforeAll(() => {
  tp = labProject();
  text = renderLab(tp).files.get('otel-collector/config.yaml')!;
});
afterAll(() => tp.cleanup());

const check = (t: string) => validateAppConfigs(objectsOfFile(FILE, t), { root: ROOT });

describe('OpenTelemetry Collector config', () => {
  it('the rendered config validates', () => {
    expect(check(text).map(formatFinding)).toEqual([]);
  });

  it('a pipeline processor that is not configured is reported at its line', () => {
    const bad = text.replace(/( +)processors:\n( +)- memory_limiter\n/, '$1processors:\n$2- memory_limitr\n');
    expect(bad).not.toBe(text);
    const found = check(bad);
    expect(found).toHaveLength(1);
    const at = lineAt(bad, /- memory_limitr$/, 'memory_limitr');
    expect(found[0]).toMatchObject({ file: FILE, line: at.line, col: at.col, kind: 'ConfigMap', name: 'otel-collector-config' });
    // Pipeline ids are type[/name] (e.g. traces/metrics): the JSON pointer escapes the slash as ~1 (RFC 6901).
    const m = /^OpenTelemetry Collector 0\.153\.0 config: \/service\/pipelines\/([a-z0-9_~-]+)\/processors\/0 pipeline ([a-z0-9/_-]+) references processor "memory_limitr" which is not configured$/.exec(found[0]!.message);
    expect(m, found[0]!.message).not.toBeNull();
    expect(m![1]!.replaceAll('~1', '/')).toBe(m![2]);
  });

  it('an unknown top-level key is reported at the key', () => {
    const bad = text.replace(/^( +)receivers:$/m, '$1recievers: {}\n$1receivers:');
    const found = check(bad);
    expect(found.map((f) => [f.path, f.line])).toEqual([['/data/config.yaml/recievers', lineAt(bad, /recievers:/).line]]);
  });
});
