// Minimal declarations for luaparse (untyped devDependency of the health-check tests; fengari's are in
// scripts/lib/verify/simulation/fengari.d.ts).

declare module 'luaparse' {
  export interface LuaNode {
    type: string;
    loc?: { start: { line: number; column: number } };
    [key: string]: unknown;
  }
  export function parse(
    code: string,
    options: { luaVersion: '5.1' | '5.2' | '5.3' | 'LuaJIT'; scope?: boolean; locations?: boolean; comments?: boolean },
  ): LuaNode;
}
