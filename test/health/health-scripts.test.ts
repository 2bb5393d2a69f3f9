/**
 * Runs every Argo CD health script (base/argocd-health, apps/<name>/health) against its fixtures in a real Lua VM
 * (fengari) set up like Argo CD v3.3.14's sandbox, and checks the status and message.
 */
import { describe, expect, it } from 'vitest';
import { runHealthScript } from './argo-lua-vm.ts';
import { fixturesFor, healthScripts, readScript } from './fixtures.ts';

describe.each(healthScripts())('%s.lua', (script) => {
  const code = readScript(script);
  it.each(fixturesFor(script).map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    const result = runHealthScript(code, fixture.object, `${script}.lua`);
    expect(result.status).toBe(fixture.expect.status);
    expect(result.message).toContain(fixture.expect.message);
  });

  it('does not fail on an object with an empty status or metadata', () => {
    for (const object of [{}, { metadata: {} }, { metadata: {}, status: {} }, { status: { conditions: [] } }]) {
      expect(runHealthScript(code, object).status).toBe('Progressing');
    }
  });
});
