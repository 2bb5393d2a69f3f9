/**
 * Issue 24: Llama Stack 0.7.1 keeps uploaded files' metadata in PostgreSQL (files_metadata) and
 * their bytes in inline::localfs storage_dir. On the pod's emptyDir (/.llama) the bytes vanish at
 * the next restart while the records stay, so every env keeps them on a claim mounted there.
 */
import { describe, expect, it } from 'vitest';
import { docs, renderFixture, type Obj } from '../helpers/render.ts';
import { FIXTURE_ENV_NAMES } from '../helpers/project.ts';
import { parse } from 'yaml';

describe('Llama Stack uploaded files live on a volume in every env', () => {
  it.each(FIXTURE_ENV_NAMES)('%s: storage_dir is the mount of a PersistentVolumeClaim of the env', (env) => {
    const out = renderFixture(env);
    const cm = docs(out, 'llama-stack/config.yaml').find((o) => o.kind === 'ConfigMap')!;
    const run = parse(cm.data['config.yaml'] as string) as Obj;
    const localfs = (run.providers.files as Obj[]).find((p) => p.provider_type === 'inline::localfs')!;
    expect(localfs.config.metadata_store.backend).toBe('sql_default');
    const llsd = docs(out, 'llama-stack/llama-stack.yaml').find((o) => o.kind === 'LlamaStackDistribution')!;
    const po = llsd.spec.server.podOverrides;
    const mount = (po.volumeMounts as Obj[] | undefined)?.find((m) => localfs.config.storage_dir.startsWith(m.mountPath));
    expect(mount, `${env}: storage_dir ${localfs.config.storage_dir} is on no mounted volume (the pod's emptyDir)`).toBeDefined();
    const claim = (po.volumes as Obj[]).find((v) => v.name === mount!.name)!.persistentVolumeClaim.claimName;
    const pvc = docs(out, 'llama-stack/files.yaml').find((o) => o.kind === 'PersistentVolumeClaim')!;
    expect(pvc.metadata.name).toBe(claim);
    // More than one replica shares the claim only ReadWriteMany.
    if ((llsd.spec.replicas ?? 1) > 1) expect(pvc.spec.accessModes).toEqual(['ReadWriteMany']);
  });
});
