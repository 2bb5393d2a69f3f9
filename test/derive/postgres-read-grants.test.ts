/**
 * Issue 13 item 7: grafana_reader and benchmark_reader held pg_read_all_data, which reads every
 * database of the cluster. CNPG 1.30 manages no table privileges (cloudnative-pg v1.30.0
 * api/v1/database_types.go:184-226), so each database's owner grants its readers, in a Job.
 * Issue 24: PostgreSQL grants CONNECT on every database to PUBLIC by default, so a read-only role
 * could still open every database: each owner revokes it, on databases without readers too.
 */
import { describe, expect, it } from 'vitest';
import { docs, renderFixture, type Obj } from '../helpers/render.ts';

describe('readers read only their databases', () => {
  for (const env of ['dev', 'prod']) {
    it(`${env}: no managed role holds pg_read_all_data; every readOn pair is granted by the owner`, () => {
      const out = renderFixture(env);
      const cluster = docs(out, 'postgres/patch-cluster.yaml')[0]!;
      for (const r of cluster.spec.managed.roles as Obj[]) expect(r.inRoles ?? [], r.name).not.toContain('pg_read_all_data');
      const job = docs(out, 'postgres/read-grants-job.yaml').find((o) => o.kind === 'Job')!;
      const dbs = docs(out, 'postgres/databases.yaml');
      const byDb = new Map((job.spec.template.spec.containers as Obj[]).map((c) => [c.env.find((e: Obj) => e.name === 'PGDATABASE').value, c]));
      const pairs: [string, string][] = [['benchmark_reader', 'benchmarks'], ['grafana_reader', 'mlflow'], ['grafana_reader', 'benchmarks']];
      for (const [role, db] of pairs) {
        const c = byDb.get(db)!;
        const owner = dbs.find((d) => d.spec.name === db)!.spec.owner;
        // Logged in as the owner (its role Secret), so the default privileges cover its future tables.
        expect(c.env.find((e: Obj) => e.name === 'PGUSER').valueFrom.secretKeyRef.name).toBe(`postgres-${owner}`);
        const sql = c.args[0] as string;
        expect(sql).toContain(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO "${role}";`);
        expect(sql).toContain(`ALTER DEFAULT PRIVILEGES FOR ROLE "${owner}" IN SCHEMA public GRANT SELECT ON TABLES TO "${role}";`);
      }
      expect(byDb.get('benchmarks')!.args[0]).not.toContain('llamastack');
      // Every database, readers or not: PUBLIC's default CONNECT revoked by its owner, first.
      for (const d of dbs) {
        const sql = byDb.get(d.spec.name)!.args[0] as string;
        expect(sql.split('\n')[0], d.spec.name).toBe(`REVOKE CONNECT ON DATABASE "${d.spec.name}" FROM PUBLIC;`);
      }
      expect(byDb.get('vectors')!.args[0]).not.toContain('GRANT');
    });
  }
});
