/** The progress line: in place on a terminal, plain lines in CI or a pipe, nothing for JSON. */
import { describe, expect, it } from 'vitest';
import { createProgress, progressMode } from '../../scripts/lib/commands/progress.ts';

function capture(mode: 'tty' | 'lines' | 'off'): { text: () => string; p: ReturnType<typeof createProgress> } {
  let s = '';
  const p = createProgress({ format: 'text', err: (x) => (s += x) }, mode);
  return { text: () => s, p };
}

describe('progress', () => {
  it('picks the mode from the format, CI, the terminal and CATALYST_PROGRESS', () => {
    const text = { format: 'text', err: () => {} };
    expect(progressMode(text, {}, true)).toBe('tty');
    expect(progressMode(text, { CI: 'true' }, true)).toBe('lines');
    expect(progressMode(text, {}, false)).toBe('lines');
    expect(progressMode({ format: 'json', err: () => {} }, {}, true)).toBe('off');
    expect(progressMode(text, { CATALYST_PROGRESS: '0' }, true)).toBe('off');
  });

  it('overwrites one line on a terminal and clears it when done', () => {
    const { p, text } = capture('tty');
    p.step('render dev (1/2)');
    p.step('render prod (2/2)');
    p.done();
    expect(text()).toBe('\r\x1b[Krender dev (1/2)\r\x1b[Krender prod (2/2)\r\x1b[K');
  });

  it('prints plain lines in CI and nothing when off', () => {
    const lines = capture('lines');
    lines.p.step('a');
    lines.p.step('b');
    lines.p.done();
    expect(lines.text()).toBe('a\nb\n');
    const off = capture('off');
    off.p.step('a');
    off.p.done();
    expect(off.text()).toBe('');
  });
});
