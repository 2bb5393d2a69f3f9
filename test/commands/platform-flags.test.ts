/** The new flags are checked before any work: each belongs to its commands, a mirror must be a folder. */
import { describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli.ts';

async function cli(args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await main(args, { out: () => true, err: (s) => ((err += s), true) });
  return { code, err };
}

describe('platform flags', () => {
  it('rejects a flag on a command that has no use for it', async () => {
    expect(await cli(['render', '--require-all'])).toMatchObject({ code: 2, err: expect.stringMatching(/^catalyst: --require-all is an option of check, not of render/) });
    expect(await cli(['check', '--app', 'x'])).toMatchObject({ code: 2, err: expect.stringMatching(/^catalyst: --app is an option of hydrate, not of check/) });
    expect(await cli(['check', '--to', 'x'])).toMatchObject({ code: 2, err: expect.stringMatching(/^catalyst: --to is an option of charts, not of check/) });
  });

  it('wants the chart mirror to be a folder, and never together with --fetch', async () => {
    expect(await cli(['check', '--chart-mirror', '/nonexistent/mirror'])).toMatchObject({ code: 2, err: expect.stringMatching(/--chart-mirror \/nonexistent\/mirror: not a directory/) });
    expect(await cli(['check', '--chart-mirror', '/tmp', '--fetch'])).toMatchObject({ code: 2, err: expect.stringMatching(/--fetch and --chart-mirror exclude each other/) });
  });

  it('lists the commands in the usage text and the flags in their help', async () => {
    let out = '';
    await main(['--help'], { out: (s) => ((out += s), true), err: () => true });
    for (const word of ['hydrate', 'charts']) expect(out).toContain(word);
    let check = '';
    await main(['help', 'check'], { out: (s) => ((check += s), true), err: () => true });
    for (const word of ['--chart-mirror DIR', '--fetch', '--require-all']) expect(check).toContain(word);
  });
});
