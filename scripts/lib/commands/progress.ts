/**
 * A one-line status for long work, on stderr:
 * - on a terminal, one line overwritten in place (`\r` + erase line) and cleared by `done()`;
 * - in CI (CI=true) or when stderr is not a terminal, one plain line per step;
 * - nothing with --format json (stdout carries one document, stderr stays empty) or CATALYST_PROGRESS=0.
 *
 *   const p = createProgress(opts);
 *   p.step('render dev (1/3)');
 *   p.done();
 */
export interface Progress {
  /** Report what is being done now. */
  step(label: string): void;
  /** Clear the status line (a no-op for plain lines). Call before printing results. */
  done(): void;
}

export interface ProgressSink {
  format: string;
  err: (s: string) => void;
}

export type ProgressMode = 'tty' | 'lines' | 'off';

export function progressMode(sink: ProgressSink, env: NodeJS.ProcessEnv = process.env, isTTY = process.stderr.isTTY === true): ProgressMode {
  if (sink.format === 'json' || env.CATALYST_PROGRESS === '0') return 'off';
  // TERM=dumb (no cursor control) and NO_COLOR (no escape codes, no-color.org) get plain lines.
  if (env.CI === 'true' || env.CI === '1' || !isTTY || env.TERM === 'dumb' || (env.NO_COLOR ?? '') !== '') return 'lines';
  return 'tty';
}

export function createProgress(sink: ProgressSink, mode: ProgressMode = progressMode(sink)): Progress {
  let shown = false;
  switch (mode) {
    case 'off':
      return { step: () => {}, done: () => {} };
    case 'lines':
      return { step: (label) => sink.err(`${label}\n`), done: () => {} };
    case 'tty':
      return {
        step(label) {
          const width = Math.max(20, (process.stderr.columns ?? 80) - 1);
          sink.err(`\r\x1b[K${label.length > width ? `${label.slice(0, width - 1)}…` : label}`);
          shown = true;
        },
        done() {
          if (shown) sink.err('\r\x1b[K');
          shown = false;
        },
      };
  }
}
