/**
 * Runs an Argo CD health script the way Argo CD v3.3.14 does (util/lua/lua.go, runLua and
 * ExecuteHealthLua), in fengari, a Lua VM written in JavaScript:
 * - only the base, package and table libraries are opened, plus an `os` that has just `time`
 *   and `date` (Argo's OpenSafeOs); no string, math, io, debug, coroutine or utf8;
 * - the object is the global `obj`, decoded like decodeValue (maps -> tables, lists -> 1-based
 *   tables, JSON null -> nil) and `actionParams` is an empty table;
 * - the script's return value must be a table; a status outside the six health codes becomes
 *   Unknown with Argo's "Lua returned an invalid health status".
 * fengari implements Lua 5.3 and gopher-lua Lua 5.1: syntax and library use that would differ
 * are rejected beforehand by lua-sandbox-lint.ts. Integral numbers are pushed as integers so
 * `"gen " .. 3` prints "3", as gopher-lua's float64 does.
 */
import fengari, { type LuaState } from 'fengari';

const { lua, lauxlib, lualib, to_luastring, to_jsstring } = fengari;

export const HEALTH_CODES = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'] as const;
export type HealthCode = (typeof HEALTH_CODES)[number];
export interface HealthResult {
  status: HealthCode;
  message: string;
}

function push(L: LuaState, value: unknown): void {
  if (value === null || value === undefined) {
    lua.lua_pushnil(L);
  } else if (typeof value === 'boolean') {
    lua.lua_pushboolean(L, value);
  } else if (typeof value === 'number') {
    if (Number.isInteger(value)) lua.lua_pushinteger(L, value);
    else lua.lua_pushnumber(L, value);
  } else if (typeof value === 'string') {
    lua.lua_pushstring(L, to_luastring(value));
  } else if (Array.isArray(value)) {
    lua.lua_createtable(L, value.length, 0);
    value.forEach((item, i) => {
      push(L, item);
      lua.lua_rawseti(L, -2, i + 1);
    });
  } else if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    lua.lua_createtable(L, 0, entries.length);
    for (const [key, item] of entries) {
      push(L, item);
      lua.lua_setfield(L, -2, to_luastring(key));
    }
  } else {
    throw new Error(`cannot pass a ${typeof value} to Lua`);
  }
}

/** A Lua state with exactly the libraries Argo CD opens for health scripts. */
function sandbox(): LuaState {
  const L = lauxlib.luaL_newstate();
  lauxlib.luaL_requiref(L, to_luastring('_G'), lualib.luaopen_base, 1);
  lauxlib.luaL_requiref(L, to_luastring('package'), lualib.luaopen_package, 1);
  lauxlib.luaL_requiref(L, to_luastring('table'), lualib.luaopen_table, 1);
  lua.lua_pop(L, 3);
  // Safe os: a fresh table with only time and date, as Argo's OpenSafeOs registers.
  lualib.luaopen_os(L);
  lua.lua_createtable(L, 0, 2);
  for (const name of ['time', 'date']) {
    lua.lua_getfield(L, -2, to_luastring(name));
    lua.lua_setfield(L, -2, to_luastring(name));
  }
  lua.lua_setglobal(L, to_luastring('os'));
  lua.lua_pop(L, 1);
  return L;
}

function stringField(L: LuaState, name: string): string | undefined {
  const t = lua.lua_getfield(L, -1, to_luastring(name));
  const value = t === lua.LUA_TSTRING ? to_jsstring(lua.lua_tostring(L, -1)) : undefined;
  if (t !== lua.LUA_TNIL && t !== lua.LUA_TSTRING) {
    lua.lua_pop(L, 1);
    throw new Error(`health.${name} must be a string`);
  }
  lua.lua_pop(L, 1);
  return value;
}

/** Runs `script` with `obj` bound to `object`; throws the Lua error message if the script fails. */
export function runHealthScript(script: string, object: unknown, chunkName = 'health.lua'): HealthResult {
  const L = sandbox();
  push(L, object);
  lua.lua_setglobal(L, to_luastring('obj'));
  lua.lua_createtable(L, 0, 0);
  lua.lua_setglobal(L, to_luastring('actionParams'));
  const code = to_luastring(script);
  if (lauxlib.luaL_loadbuffer(L, code, null, to_luastring(`@${chunkName}`)) !== lua.LUA_OK) {
    throw new Error(`Lua syntax error: ${to_jsstring(lua.lua_tostring(L, -1))}`);
  }
  if (lua.lua_pcall(L, 0, 1, 0) !== lua.LUA_OK) {
    throw new Error(`Lua runtime error: ${to_jsstring(lua.lua_tostring(L, -1))}`);
  }
  if (lua.lua_type(L, -1) !== lua.LUA_TTABLE) {
    throw new Error('expect table output from Lua script');
  }
  const status = stringField(L, 'status') ?? '';
  const message = stringField(L, 'message') ?? '';
  if (!(HEALTH_CODES as readonly string[]).includes(status)) {
    return { status: 'Unknown', message: 'Lua returned an invalid health status' };
  }
  return { status: status as HealthCode, message };
}
