/**
 * Run an external tool (helm, kustomize) with a deadline and bounded output. The child gets its own
 * process group so a timeout kills it and anything it started (a shell script's `sleep` included).
 * Every failure is a `ToolError` carrying the command line.
 */
import { spawn } from 'node:child_process';

export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

export type ToolErrorKind = 'timeout' | 'exit' | 'signal' | 'spawn' | 'output-limit';

export class ToolError extends Error {
  constructor(
    public readonly kind: ToolErrorKind,
    /** The command line, shell-quoted for reading (not for running). */
    public readonly command: string,
    message: string,
    public readonly stderr = '',
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

export interface RunOptions {
  timeoutMs?: number;
  maxOutputBytes?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

function quote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(cmd: string, args: readonly string[]): string {
  return [cmd, ...args].map(quote).join(' ');
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** Run `cmd args`; resolve on exit 0, else reject with a `ToolError`. */
export function runTool(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const line = commandLine(cmd, args);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let bytes = 0;
    let failure: ToolError | undefined;
    const fail = (e: ToolError): void => {
      if (!failure) failure = e;
      killGroup(child.pid);
    };
    const timer = setTimeout(
      () => fail(new ToolError('timeout', line, `\`${line}\` timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        fail(new ToolError('output-limit', line, `\`${line}\` wrote more than ${maxBytes} bytes`));
        return;
      }
      into.push(chunk);
    };
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(failure ?? new ToolError('spawn', line, `\`${line}\` could not start: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (failure) return reject(failure);
      if (signal) return reject(new ToolError('signal', line, `\`${line}\` was killed by ${signal}`, stderr));
      if (code !== 0) {
        const why = stderr.trim().split('\n').slice(-5).join('\n');
        return reject(new ToolError('exit', line, `\`${line}\` exited with ${code}: ${why}`, stderr));
      }
      resolve({ stdout, stderr });
    });
  });
}
