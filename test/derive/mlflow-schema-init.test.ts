/**
 * Issue 13 item 12: `mlflow db upgrade` on an empty database (mlflow#23751, fixed by #23752, fix
 * release unconfirmed for 3.15.1). The init container runs the community chart's migration path
 * instead (community-charts/helm-charts mlflow-1.11.5 charts/mlflow/templates/configmap.yaml),
 * which creates the initial tables and then migrates.
 */
import { describe, expect, it } from 'vitest';
import { docs, renderFixture } from '../helpers/render.ts';

describe('MLflow schema initialisation', () => {
  for (const env of ['dev', 'prod']) {
    it(`${env}: the init container initialises tables, never \`mlflow db upgrade\``, () => {
      const d = docs(renderFixture(env), 'mlflow/deployment.yaml').find((o) => o.kind === 'Deployment')!;
      const init = d.spec.template.spec.initContainers.find((c: { name: string }) => c.name === 'db-upgrade');
      expect(init.command.slice(0, 2)).toEqual(['python', '-c']);
      expect(init.command[2]).toContain('utils._initialize_tables(utils.create_sqlalchemy_engine_with_retry(');
      expect(init.command.join(' ')).not.toMatch(/\bdb upgrade\b/);
    });
  }
});
