/** Run a command as a user would (a child process) and measure its wall time and CPU time (with its children). */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/paths.ts';

export interface Timing {
  wall: number;
  cpu: number;
}

/** CPU seconds of this process's waited-for children (Linux /proc; 0 elsewhere). */
function childCpu(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the name: state is field 3, so cutime (16) and cstime (17) are at 13 and 14 here.
    return (Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return 0;
  }
}

export function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, okCodes = [0]): Timing {
  const cpu0 = childCpu();
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const wall = (performance.now() - t0) / 1000;
  if (r.error || !okCodes.includes(r.status ?? -1)) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}: ${(r.stderr || String(r.error)).slice(-2000)}`);
  }
  return { wall, cpu: childCpu() - cpu0 };
}

/** The CLI from the compiled dist/ (as `npm run <command>` runs it), for the project at `root`. */
export function cli(args: string[], root: string, cacheDir: string): Timing {
  return timed(process.execPath, [join(ROOT, 'bin', 'catalyst.mjs'), ...args], { CATALYST_ROOT: root, CATALYST_CACHE_DIR: cacheDir, CATALYST_PROGRESS: '0' });
}
