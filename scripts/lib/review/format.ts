/** A diff report as text for a terminal or Markdown for a PR comment / $GITHUB_STEP_SUMMARY. */
import type { EnvDiff } from './compare.ts';
import { firstLines } from '../tools/unified-diff.ts';
import { hostLines, type HostsDiff } from './hosts-diff.ts';

export interface DiffReport {
  base: { ref: string; commit: string };
  head: string;
  /** The network allow-list (apps/_hosts.yaml): hosts added and removed. */
  hosts?: HostsDiff;
  envs: EnvDiff[];
}

/** Lines of one object's diff kept in the report (the rest is counted). */
const MAX_DIFF_LINES = 200;

const changed = (envs: EnvDiff[]): EnvDiff[] => envs.filter((e) => e.status !== 'unchanged');

/** `--affected`: one line per env whose hydrated output changes, with the apps that do. */
export function affectedText(r: DiffReport): string {
  // (the allow-list changes no env's output: it shows in the full report and as findings)
  const lines = changed(r.envs).map((e) => `${e.env}${e.status === 'changed' ? '' : ` (${e.status})`}: ${e.affected.join(' ') || '(components re-waved only)'}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function componentLines(e: EnvDiff): string[] {
  return [
    ...e.components.added.map((c) => `+ ${c}`),
    ...e.components.removed.map((c) => `- ${c}`),
    ...e.components.rewaved.map((c) => `~ ${c.name}: wave ${c.from} → ${c.to}`),
  ];
}

function counts(e: EnvDiff): string {
  const n = (c: string): number => e.objects.filter((o) => o.change === c).length;
  const noise = e.noiseOnly ? `, ${e.noiseOnly} with only checksum annotations changed (folded)` : '';
  return `${n('added')} added, ${n('removed')} removed, ${n('changed')} changed${noise}`;
}

export function diffText(r: DiffReport): string {
  const out: string[] = [`diff: ${r.base.ref} (${r.base.commit.slice(0, 12)}) → ${r.head}`];
  const hosts = r.hosts ? hostLines(r.hosts) : [];
  if (hosts.length) out.push('', 'security-relevant (project):', ...hosts.map((s) => `  ! ${s}`));
  const envs = changed(r.envs);
  for (const e of envs) {
    out.push('', `== ${e.env}${e.status === 'changed' ? '' : ` (${e.status})`} ==`);
    for (const a of e.admin) out.push(`admin: ${a}`);
    for (const n of e.notes) out.push(`note: ${n}`);
    const comps = componentLines(e);
    if (comps.length) out.push('components:', ...comps.map((l) => `  ${l}`));
    if (e.security.length) out.push('security-relevant:', ...e.security.map((s) => `  ! ${s}`));
    out.push(`objects: ${counts(e)}`);
    for (const o of e.objects) {
      out.push(`  ${o.change === 'added' ? '+' : o.change === 'removed' ? '-' : '~'} ${o.label} (${o.apiVersion}) [${o.component}]${o.operator ? ` operator-created (${o.operator})` : ''}`);
      if (o.change === 'changed') out.push(...firstLines(o.diff, MAX_DIFF_LINES).split('\n').map((l) => `    ${l}`));
    }
  }
  const same = r.envs.filter((e) => e.status === 'unchanged').map((e) => e.env);
  if (same.length) out.push('', `unchanged: ${same.join(', ')}`);
  if (!envs.length) out.push('', 'no changes in any environment');
  return `${out.join('\n')}\n`;
}

const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

export function diffMarkdown(r: DiffReport): string {
  const envs = changed(r.envs);
  const out: string[] = [`## catalyst diff: ${code(r.base.ref)} (${r.base.commit.slice(0, 12)}) → ${r.head}`, ''];
  const hosts = r.hosts ? hostLines(r.hosts) : [];
  if (hosts.length) out.push('**Security-relevant (project)**', '', ...hosts.map((s) => `- :warning: ${s}`), '');
  if (!envs.length) out.push('No changes in any environment.', '');
  for (const e of envs) {
    out.push(`### ${e.env}${e.status === 'changed' ? '' : ` (${e.status})`}`, '');
    for (const a of e.admin) out.push(`> **Admin action:** ${a}`, '');
    for (const n of e.notes) out.push(`> ${n}`, '');
    if (e.security.length) out.push('**Security-relevant**', '', ...e.security.map((s) => `- :warning: ${s}`), '');
    const comps = componentLines(e);
    if (comps.length) out.push('**Components**', '', ...comps.map((l) => `- ${code(l)}`), '');
    out.push(`**Objects**: ${counts(e)}`, '');
    for (const o of e.objects) {
      const title = `${o.change} ${code(o.label)} (${o.apiVersion}) in ${code(o.component)}${o.operator ? `, operator-created (${o.operator})` : ''}`;
      if (o.change !== 'changed') {
        out.push(`- ${title}`);
        continue;
      }
      out.push(`<details><summary>${title}</summary>`, '', '```diff', firstLines(o.diff, MAX_DIFF_LINES).replace(/```/g, "'''"), '```', '</details>', '');
    }
    out.push('');
  }
  const same = r.envs.filter((e) => e.status === 'unchanged').map((e) => e.env);
  if (same.length) out.push(`Unchanged: ${same.join(', ')}`, '');
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n')}`;
}
