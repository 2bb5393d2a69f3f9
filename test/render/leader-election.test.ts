/**
 * An operator run with more than one replica must elect a leader, or every replica reconciles:
 * the external-secrets chart defaults to `leaderElect: false`
 * (external-secrets@helm-chart-2.9.0:deploy/charts/external-secrets/values.yaml), so the
 * values turn it on whenever `components.external-secrets.replicas` is above one.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderFixture, type Obj } from '../helpers/render.ts';
import { FIXTURE_ENV_NAMES } from '../helpers/project.ts';

const values = (env: string): Obj => {
  const app = parse(renderFixture(env).files.get('apps/external-secrets.yaml')!) as Obj;
  return app.spec.source.helm.valuesObject as Obj;
};

describe('external-secrets leader election', () => {
  for (const env of FIXTURE_ENV_NAMES) {
    it(`${env}: leaderElect exactly when more than one replica runs`, () => {
      const v = values(env);
      expect(typeof v.replicaCount).toBe('number');
      expect(v.leaderElect).toBe(v.replicaCount > 1);
    });
  }

  it('the fixtures cover both cases', () => {
    expect(new Set(FIXTURE_ENV_NAMES.map((e) => values(e).leaderElect))).toEqual(new Set([true, false]));
  });
});
