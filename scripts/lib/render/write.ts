/**
 * Writing generated/<env>/: the new tree goes to a temp dir next to it and is swapped
 * in with renames, so a failed or killed render leaves the previous tree in place.
 * Files no longer produced disappear with the old tree.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const TMP_PREFIX = '.tmp-';
const OLD_PREFIX = '.old-';

/** Put back a tree left half-swapped by a render that was killed between the two renames. */
export function recoverInterruptedSwap(generatedDir: string): void {
  if (!existsSync(generatedDir)) return;
  for (const e of readdirSync(generatedDir)) {
    if (e.startsWith(OLD_PREFIX)) {
      const env = e.slice(OLD_PREFIX.length);
      const target = join(generatedDir, env);
      if (!existsSync(target)) renameSync(join(generatedDir, e), target);
      else rmSync(join(generatedDir, e), { recursive: true, force: true });
    } else if (e.startsWith(TMP_PREFIX)) {
      rmSync(join(generatedDir, e), { recursive: true, force: true });
    }
  }
}

/** Replace generated/<env>/ with exactly these files. */
export function writeEnvTree(generatedDir: string, env: string, files: Map<string, string>): void {
  mkdirSync(generatedDir, { recursive: true });
  recoverInterruptedSwap(generatedDir);
  const tmp = join(generatedDir, `${TMP_PREFIX}${env}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  for (const [path, text] of files) {
    const abs = join(tmp, path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
  const target = join(generatedDir, env);
  const old = join(generatedDir, `${OLD_PREFIX}${env}`);
  if (existsSync(target)) renameSync(target, old);
  renameSync(tmp, target);
  rmSync(old, { recursive: true, force: true });
}

/** Remove generated/<name>/ folders of environments that no longer exist. */
export function removeStaleEnvs(generatedDir: string, envs: string[]): string[] {
  if (!existsSync(generatedDir)) return [];
  const stale = readdirSync(generatedDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !envs.includes(e.name))
    .map((e) => e.name);
  for (const s of stale) rmSync(join(generatedDir, s), { recursive: true, force: true });
  return stale;
}

/** Every file under a directory, keyed by relative path with forward slashes. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  const walk = (d: string, prefix: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), p);
      else out.set(p, readFileSync(join(d, e.name), 'utf8'));
    }
  };
  walk(dir, '');
  return out;
}
