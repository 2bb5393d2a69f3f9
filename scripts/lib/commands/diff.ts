import type { CommandOptions } from './common.ts';
export async function diffCommand(_opts: CommandOptions): Promise<number> {
  return 2;
}
