/**
 * `env add NAME --from ENV [--instance I]`: a new environment file from an existing one, with
 * every per-env identity derived from NAME (config/env-new.ts), validated with every other env
 * before it is kept (nothing written on a finding), and the list of what an admin must do
 * outside this repository for the new env to work.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_NAME, listEnvironments } from '../config/load.ts';
import { instanceOf } from '../config/cross-env.ts';
import { newEnvText, type NewEnv } from '../config/env-new.ts';
import type { ResolvedEnv } from '../config/environment.ts';
import { compareFindings, UsageError } from '../findings.ts';
import { loadProject, otherEnvs, planOne } from '../render/environment.ts';
import { didYouMean } from '../suggest.ts';
import { printable } from '../config/yaml-source.ts';
import { EXIT_FINDINGS, EXIT_OK, type CommandOptions } from './common.ts';
import { dedupe, emitOutcome } from './report.ts';
import { createProgress } from './progress.ts';

export function envCommand(opts: CommandOptions): number {
  const [sub, name, ...extra] = opts.args ?? [];
  if (sub !== 'add') throw new UsageError(sub ? `env: unknown subcommand "${printable(sub)}"${didYouMean(sub, ['add'])}` : 'env: no subcommand given (env add NAME --from ENV)');
  if (extra.length) throw new UsageError(`env add: unexpected argument "${printable(extra[0]!)}"`);
  if (!name) throw new UsageError('env add: no NAME given (env add NAME --from ENV)');
  if (!ENV_NAME.test(name)) throw new UsageError(`env add: "${printable(name)}" is not a valid environment name (a DNS label: lowercase letters, digits and '-', at most 32)`);
  const all = listEnvironments(opts.paths);
  if (all.includes(name)) throw new UsageError(`env add: environments/${name}.yaml already exists`);
  if (!opts.from) throw new UsageError('env add: --from ENV is required (the environment to copy)');
  if (!all.includes(opts.from)) throw new UsageError(`env add: --from "${printable(opts.from)}": environments/${printable(opts.from)}.yaml does not exist${didYouMean(opts.from, all)}`);
  const progress = createProgress(opts);
  progress.step(`env add: validating ${opts.from}`);
  const project = loadProject(opts.paths);
  const source = planOne(project, opts.from);
  progress.done();
  if (!source.ok) {
    const findings = dedupe(source.findings).sort(compareFindings);
    emitOutcome(opts, { command: 'env add', findings, summary: `env add: ${opts.from} has ${findings.length} finding(s); fix it first, nothing written` });
    return EXIT_FINDINGS;
  }
  const srcFile = join(opts.paths.root, source.value.env.file);
  const made = newEnvText(readFileSync(srcFile, 'utf8'), source.value.env, name, opts.instance);
  const file = join(opts.paths.environments, `${name}.yaml`);
  writeFileSync(file, made.text, { flag: 'wx' });
  progress.step(`env add: validating ${name} with every other env`);
  const fresh = loadProject(opts.paths);
  const planned = planOne(fresh, name);
  progress.done();
  if (!planned.ok) {
    unlinkSync(file);
    const findings = dedupe(planned.findings).sort(compareFindings);
    emitOutcome(opts, { command: 'env add', findings, summary: `env add: environments/${name}.yaml would have ${findings.length} finding(s); nothing written` });
    return EXIT_FINDINGS;
  }
  const env = planned.value.env;
  const peers = otherEnvs(fresh, name).filter((e) => instanceOf(e) === instanceOf(env));
  const todo = adminSteps(env, opts.from, made, peers);
  if (opts.format === 'json') {
    emitOutcome(opts, {
      command: 'env add',
      findings: [],
      summary: `env add: wrote environments/${name}.yaml`,
      data: { file: `environments/${name}.yaml`, from: opts.from, instance: instanceOf(env), identities: made.identities.map((i) => ({ field: i.path.join('.'), what: i.what, from: i.from, value: i.to })), keptMentions: made.keptMentions, todo },
    });
    return EXIT_OK;
  }
  const width = Math.max(...made.identities.map((i) => i.path.join('.').length));
  opts.out(
    [
      `env add: wrote environments/${name}.yaml from ${opts.from}; every per-env identity derived from "${name}":`,
      ...made.identities.map((i) => `  ${i.path.join('.').padEnd(width)}  ${i.to}`),
      ...(made.keptMentions.length
        ? ['', `kept as written (they mention "${opts.from}" but are not per-env identities; change them if they should differ):`, ...made.keptMentions.map((k) => `  ${k.pointer}: ${k.value}`)]
        : []),
      '',
      'what an admin must do:',
      ...todo.map((t, i) => `  ${i + 1}. ${t}`),
      '',
    ].join('\n'),
  );
  return EXIT_OK;
}

/** The steps outside this repository, in order, for the new env. */
export function adminSteps(env: ResolvedEnv, from: string, made: NewEnv, peers: ResolvedEnv[]): string[] {
  const c = env.config;
  const id = (field: string): string | undefined => made.identities.find((i) => i.path.join('.') === field)?.to;
  const steps: string[] = [];
  steps.push(`set cluster.apiServerCidrs (copied from ${from}: ${(c.cluster.apiServerCidrs ?? []).join(', ') || 'none'}) to the control-plane endpoints of the ${env.name} cluster`);
  if (id('cluster.server')) steps.push(`check cluster.server ${id('cluster.server')}: the API server of the ${env.name} cluster`);
  if (c.argocd.cluster) steps.push(`in the secret store "${c.argocd.cluster.store.name}" of the Argo CD cluster: create key ${c.argocd.cluster.key} with properties token (a ServiceAccount token on the ${env.name} cluster) and caData (its CA, base64 PEM)`);
  const vault = (c.secrets.store.provider as { vault?: { server?: string; path?: string; role?: string } } | undefined)?.vault;
  if (vault?.role) steps.push(`in Vault ${vault.server}: create the role ${vault.role} for the ${env.name} cluster, allowed to read ${vault.path ?? 'kv'}/${c.secrets.keyPrefix ?? ''}*`);
  const issuer = id('components.mcp-gateway.auth.issuerUrl');
  if (issuer) steps.push(`in the SSO: create the issuer (realm) ${issuer} for ${env.name}'s users`);
  steps.push(`DNS: point the hosts under ${c.cluster.domain} (listed in generated/${env.name}/PREREQUISITES.md) at the ingress of the ${env.name} cluster`);
  steps.push(`npm run render, then create every secret-store key listed in generated/${env.name}/PREREQUISITES.md (under ${JSON.stringify(c.secrets.keyPrefix ?? '')} in the store ${c.secrets.store.name})`);
  if (made.droppedRevision) steps.push(`argocd.targetRevision was ${made.droppedRevision} in ${from} (its own branch): removed, ${env.name} follows the default; set one if it should be pinned`);
  steps.push(`as an Argo CD admin: kubectl apply -f generated/${env.name}/root.yaml`);
  const manager = peers.find((p) => p.config.argocd.manager === true);
  if (manager) steps.push(`${env.name} joins the Argo CD instance "${c.argocd.instance}": re-apply generated/${manager.name}/root.yaml too (its ApplicationSet lists every root of the instance and takes effect only when applied)`);
  return steps;
}

