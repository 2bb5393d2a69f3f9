/**
 * Every health script has fixtures, every status value the pinned upstream controllers write
 * (test/health/upstream-reasons.ts) has a fixture that shows it mapping to the documented
 * health, and docs/HEALTH.md names each value and its source file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixtureDir, fixturesFor, healthScripts, occursIn } from './fixtures.ts';
import { UPSTREAM_VALUES } from './upstream-reasons.ts';

const docs = readFileSync('docs/HEALTH.md', 'utf8');

describe('health-check coverage', () => {
  it('every health script (base/argocd-health, apps/<name>/health) has fixtures and an upstream table', () => {
    for (const script of healthScripts()) {
      expect(fixturesFor(script).length, `${script}: add ${fixtureDir(script)}/*.yaml`).toBeGreaterThanOrEqual(3);
      expect(UPSTREAM_VALUES[script], `${script}: add its upstream values to test/health/upstream-reasons.ts`).toBeDefined();
    }
  });

  it('every upstream table belongs to a script', () => {
    expect(Object.keys(UPSTREAM_VALUES).sort()).toEqual(healthScripts());
  });

  it.each(healthScripts())('%s: each fixture starts from a fresh object case and covers only upstream values', (script) => {
    const fixtures = fixturesFor(script);
    expect(fixtures.map((f) => f.name)).toContain('fresh');
    const known = new Set((UPSTREAM_VALUES[script] ?? []).map((u) => u.value));
    for (const f of fixtures) {
      if (f.covers === undefined) continue;
      expect(known.has(f.covers), `${f.file}: covers ${f.covers}, which is not in upstream-reasons.ts`).toBe(true);
      expect(occursIn(f.object, f.covers), `${f.file}: the object never mentions ${f.covers}`).toBe(true);
    }
  });

  it.each(Object.entries(UPSTREAM_VALUES).flatMap(([script, values]) => values.map((u) => [script, u.value, u] as const)))(
    '%s: %s has a fixture and a docs row',
    (script, value, upstream) => {
      const covering = fixturesFor(script).filter((f) => f.covers === value);
      expect(covering.length, `no fixture in test/fixtures/health/${script} has covers: ${value}`).toBeGreaterThan(0);
      for (const f of covering) expect(f.expect.status, f.file).toBe(upstream.health);
      expect(docs).toContain(`\`${value}\``);
      expect(docs).toContain(upstream.source.slice(upstream.source.lastIndexOf('/') + 1));
    },
  );
});
