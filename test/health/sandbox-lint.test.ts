/**
 * The health scripts must stay inside Argo CD v3.3.14's Lua: gopher-lua (Lua 5.1) with base,
 * package, table and a safe os only. The lint is checked against known-bad snippets, and the VM
 * is checked to refuse what the sandbox refuses, so neither can silently let such code through.
 */
import { describe, expect, it } from 'vitest';
import { runHealthScript } from './argo-lua-vm.ts';
import { healthScripts, readScript } from './fixtures.ts';
import { lintHealthScript } from './lua-sandbox-lint.ts';

describe('health scripts stay inside the Argo CD 3.3 Lua sandbox', () => {
  it.each(healthScripts())('%s.lua', (script) => {
    expect(lintHealthScript(readScript(script))).toEqual([]);
  });
});

const REJECTED: [string, string, RegExp][] = [
  ['goto (Lua 5.2)', 'local i = 1\n::top::\ni = i + 1\nif i < 3 then goto top end\nreturn {}', /not Lua 5\.1/],
  ['floor division // (Lua 5.3)', 'local n = 7 // 2\nreturn {}', /not Lua 5\.1/],
  ['bitwise and (Lua 5.3)', 'local n = 6 & 3\nreturn {}', /not Lua 5\.1/],
  ['bitwise shift (Lua 5.3)', 'local n = 1 << 4\nreturn {}', /not Lua 5\.1/],
  ['string method via colon', 'local s = "abc"\nreturn { status = s:upper() }', /method call ':upper'/],
  ['string library call', 'return { status = "Healthy", message = string.format("%d", 1) }', /global 'string'/],
  ['math library', 'return { message = tostring(math.floor(1.5)) }', /global 'math'/],
  ['utf8 library', 'return { message = tostring(utf8.len("a")) }', /global 'utf8'/],
  ['table.unpack (5.2+, absent in gopher-lua)', 'local a = table.unpack({ 1 })\nreturn {}', /table\.unpack/],
  ['unpack (absent in Lua 5.3)', 'local a = unpack({ 1 })\nreturn {}', /global 'unpack'/],
  ['os.exit', 'os.exit(1)', /os\.exit/],
  ['require', 'local json = require("json")\nreturn {}', /global 'require'/],
  ['global assignment', 'hs = {}\nreturn hs', /assignment to global 'hs'/],
  ['global function', 'function f() return 1 end\nreturn {}', /global function 'f'/],
];

describe('the lint rejects code outside the sandbox', () => {
  it.each(REJECTED)('%s', (_name, code, pattern) => {
    const messages = lintHealthScript(code).map((v) => `${v.line}:${v.column} ${v.message}`);
    expect(messages.join('\n')).toMatch(pattern);
  });

  it('accepts plain Lua 5.1 over obj with table and os', () => {
    const code = 'local t = {}\ntable.insert(t, obj.metadata.name)\nlocal now = os.time()\nreturn { status = "Healthy", message = table.concat(t, ",") }';
    expect(lintHealthScript(code)).toEqual([]);
  });
});

describe('the VM refuses what the Argo CD sandbox refuses', () => {
  it.each([
    ['string methods', 'local s = "abc"\nreturn { status = s:upper() }', /attempt to index a string value/],
    ['the string library', 'return { status = string.upper("a") }', /global 'string'/],
    ['the math library', 'return { status = tostring(math.huge) }', /global 'math'/],
    ['os beyond time and date', 'os.exit(1)', /field 'exit'/],
  ])('%s', (_name, code, pattern) => {
    expect(() => runHealthScript(code, {})).toThrow(pattern);
  });

  it('maps a status outside the six health codes to Unknown, as Argo CD does', () => {
    expect(runHealthScript('return { status = "Ready" }', {})).toEqual({ status: 'Unknown', message: 'Lua returned an invalid health status' });
  });

  it('requires a table result', () => {
    expect(() => runHealthScript('return "Healthy"', {})).toThrow(/expect table output/);
  });

  it('prints integral numbers from the object without a fraction, like gopher-lua', () => {
    const result = runHealthScript('return { status = "Healthy", message = "gen " .. obj.metadata.generation }', { metadata: { generation: 3 } });
    expect(result.message).toBe('gen 3');
  });
});
