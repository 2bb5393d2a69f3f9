/**
 * The real Alertmanager and Prometheus tools on every fixture env's rendered config: `amtool
 * check-config` on the config Alertmanager runs with (the Helm values over the chart default,
 * verify/contracts/alertmanager-routing.ts), `promtool check rules` on the groups of every
 * PrometheusRule. Each test is skipped when its tool is not on PATH (Debian bookworm:
 * `apt-get install prometheus-alertmanager prometheus` gives amtool 0.25 and promtool 2.42).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { objectsOfFile } from '../../scripts/lib/verify/hydration/collect.ts';
import { alertmanagerApp, effectiveAlertmanagerConfig, helmValues } from '../../scripts/lib/verify/contracts/index.ts';
import { renderFixture, type Obj } from '../helpers/render.ts';

const onPath = (tool: string): boolean => spawnSync(tool, ['--version'], { encoding: 'utf8' }).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'catalyst-amtool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ENVS = ['dev', 'staging', 'prod'];

function runTool(tool: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync(tool, args, { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('rendered monitoring configs under the real tools', () => {
  it.skipIf(!onPath('amtool')).each(ENVS)('amtool check-config accepts the Alertmanager config of %s', (env) => {
    const out = renderFixture(env);
    const apps = [...out.files].filter(([p]) => p.startsWith('apps/')).flatMap(([p, t]) => objectsOfFile(`generated/${env}/${p}`, t));
    const file = join(dir, `alertmanager-${env}.yaml`);
    writeFileSync(file, stringify(effectiveAlertmanagerConfig(helmValues(alertmanagerApp(apps)!))));
    const r = runTool('amtool', ['check-config', file]);
    expect(r.out).toContain('SUCCESS');
    expect(r.status, r.out).toBe(0);
  });

  it.skipIf(!onPath('amtool'))('amtool check-config refuses a route to an undefined receiver (the tool really checks)', () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, stringify({ route: { receiver: 'nobody' }, receivers: [{ name: 'null' }] }));
    expect(runTool('amtool', ['check-config', file]).status).not.toBe(0);
  });

  it.skipIf(!onPath('promtool')).each(ENVS)('promtool check rules accepts every PrometheusRule of %s', (env) => {
    const out = renderFixture(env);
    const rules = [...out.files].flatMap(([p, t]) => (p.endsWith('.yaml') ? objectsOfFile(p, t) : [])).filter((o) => o.obj.kind === 'PrometheusRule');
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) {
      const file = join(dir, `rules-${env}-${r.obj.metadata.name}.yaml`);
      writeFileSync(file, stringify({ groups: (r.obj.spec as Obj).groups }));
      const res = runTool('promtool', ['check', 'rules', file]);
      expect(res.status, `${r.file}: ${res.out}`).toBe(0);
    }
  });
});
