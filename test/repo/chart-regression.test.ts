/**
 * A chart change that breaks Pod Security fails the suite: a mirror (named by
 * CATALYST_CHART_MIRROR, as a user would) that is the project's mirror but for an lws chart whose
 * manager Deployment lost its pod securityContext makes `check` of the repository fail, naming
 * the chart, the object and the rule, and the lock says the bytes behind lws 0.9.0 changed.
 * Skipped without the project's chart mirror (test/repo/shared-inputs.test.ts fails in CI then).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectMirror } from '../../scripts/lib/commands/platform-options.ts';
import { untarGz } from '../../scripts/lib/verify/hydration/chart-archive.ts';
import { ROOT } from '../../scripts/lib/paths.ts';
import { runCli } from '../helpers/cli.ts';
import { packageChart, sandbox } from '../verify/hydration/argocd-source/helpers.ts';
import { existsSync } from 'node:fs';

const mirror = projectMirror(ROOT);
// The pinned lws chart, from the catalog (a version bump must not break this test).
const LWS_VERSION = String((parse(readFileSync(path.join(ROOT, 'apps', 'lws', 'app.yaml'), 'utf8')) as { source: { version: unknown } }).source.version);
const LWS = `lws-${LWS_VERSION}.tgz`;
const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// The first env that deploys lws (environments/ is the users' data: none is assumed by name).
const lwsEnv = existsSync(path.join(ROOT, 'generated'))
  ? readdirSync(path.join(ROOT, 'generated')).sort().find((e) => existsSync(path.join(ROOT, 'generated', e, 'apps', 'lws.yaml')))
  : undefined;
const hasLws = mirror !== undefined && existsSync(path.join(mirror, LWS)) && lwsEnv !== undefined;
const work = mkdtempSync(path.join(os.tmpdir(), 'catalyst-lws-regression-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The mirror with lws repacked from its own files, the manager pod's securityContext removed. */
async function brokenMirror(): Promise<string> {
  const files = untarGz(await readFile(path.join(mirror!, LWS)));
  const src = path.join(work, 'src');
  for (const [name, body] of files) {
    const abs = path.join(src, name);
    mkdirSync(path.dirname(abs), { recursive: true });
    let text = body;
    if (name === 'lws/templates/manager/deployment.yaml') {
      const t = body.toString('utf8');
      const cut = t.replace(/\n {6}securityContext:\n {8}\{\{- toYaml \.Values\.podSecurityContext \| nindent 8 \}\}/, '');
      expect(cut, 'the lws template changed shape: update this test').not.toBe(t);
      text = Buffer.from(cut);
    }
    writeFileSync(abs, text);
  }
  const out = path.join(work, 'mirror');
  mkdirSync(out);
  for (const e of readdirSync(mirror!)) if (e !== LWS) symlinkSync(path.join(mirror!, e), path.join(out, e));
  const box = await sandbox();
  try {
    await packageChart(path.join(src, 'lws'), out);
  } finally {
    await box.restore();
  }
  return out;
}

describe.skipIf(!hasLws)('a chart that loses its seccomp profile', () => {
  it('fails check, naming the chart, the object and the rule; the lock names the changed chart', async () => {
    const broken = await brokenMirror();
    const r = await runCli(['check', '--env', lwsEnv!, '--require-all'], ROOT, { CATALYST_CHART_MIRROR: broken });
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(new RegExp(`^helm:lws@${esc(LWS_VERSION)}/lws/templates/manager/deployment\\.yaml Deployment/lws-controller-manager \\[PLAT003\\] .*"restricted:latest" enforced on namespace "lws-system": seccompProfile .*\\[seccompProfile_restricted\\]$`, 'm'));
    expect(out).toContain(`Application/${lwsEnv}-lws [HYD003]`);
    expect(out).toMatch(new RegExp(`\\[HYD003\\] /spec/source chart lws ${esc(LWS_VERSION)} \\([^)]*\\): its content differs from charts\\.lock\\.yaml`));
  });
});
