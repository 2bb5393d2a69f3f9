// Minimal declarations for fengari (a Lua VM in JavaScript), which runs the Argo CD health scripts.

declare module 'fengari' {
  export type LuaState = object;
  export const lua: {
    LUA_OK: number;
    LUA_TTABLE: number;
    LUA_TSTRING: number;
    LUA_TNIL: number;
    lua_pushnil(L: LuaState): void;
    lua_pushboolean(L: LuaState, b: boolean): void;
    lua_pushinteger(L: LuaState, n: number): void;
    lua_pushnumber(L: LuaState, n: number): void;
    lua_pushstring(L: LuaState, s: Uint8Array): void;
    lua_createtable(L: LuaState, narr: number, nrec: number): void;
    lua_rawseti(L: LuaState, idx: number, n: number): void;
    lua_setfield(L: LuaState, idx: number, k: Uint8Array): void;
    lua_getfield(L: LuaState, idx: number, k: Uint8Array): number;
    lua_setglobal(L: LuaState, name: Uint8Array): void;
    lua_pcall(L: LuaState, nargs: number, nresults: number, msgh: number): number;
    lua_type(L: LuaState, idx: number): number;
    lua_tostring(L: LuaState, idx: number): Uint8Array;
    lua_pop(L: LuaState, n: number): void;
    lua_gettop(L: LuaState): number;
  };
  export const lauxlib: {
    luaL_newstate(): LuaState;
    luaL_requiref(L: LuaState, name: Uint8Array, open: (L: LuaState) => number, glb: number): void;
    luaL_loadbuffer(L: LuaState, code: Uint8Array, size: number | null, name: Uint8Array): number;
  };
  export const lualib: {
    luaopen_base(L: LuaState): number;
    luaopen_package(L: LuaState): number;
    luaopen_table(L: LuaState): number;
    luaopen_os(L: LuaState): number;
  };
  export function to_luastring(s: string): Uint8Array;
  export function to_jsstring(s: Uint8Array): string;
}
