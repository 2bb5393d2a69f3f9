/**
 * Static check that a health script stays inside what Argo CD v3.3.14 can run: gopher-lua v1.1.1
 * (Lua 5.1 grammar) with only the base, package and table libraries and a safe `os` with
 * `time`/`date` (util/lua/lua.go runLuaWithResourceActionParameters, util/lua/oslib_safe.go).
 *
 * - Parsing with luaparse in Lua 5.1 mode rejects goto and labels, `//`, bitwise operators
 *   (& | ~ << >>) and other post-5.1 syntax.
 * - Every global read must be `obj` or a base/table/os name available in both gopher-lua and the
 *   test VM; `string`, `math`, `utf8`, `io`, `debug`, `coroutine`, `unpack`, `load*`, `require`
 *   are rejected, and so are `table.unpack`/`table.pack`.
 * - `:` method calls are rejected: strings have no methods without the string library, and the
 *   scripts build no objects with methods.
 * - Globals may not be assigned or declared (`hs = {}`): scripts keep their state local.
 */
import { parse, type LuaNode } from 'luaparse';

const BASE_GLOBALS = new Set([
  'obj', 'assert', 'error', 'ipairs', 'next', 'pairs', 'pcall', 'print', 'rawequal', 'rawget',
  'rawset', 'select', 'tonumber', 'tostring', 'type', 'xpcall', 'table', 'os',
]);
const LIBRARY_MEMBERS: Record<string, Set<string>> = {
  // Functions both gopher-lua's 5.1 table library and Lua 5.3's have.
  table: new Set(['concat', 'insert', 'remove', 'sort']),
  os: new Set(['time', 'date']),
};

export interface LintViolation {
  line: number;
  column: number;
  message: string;
}

function at(node: LuaNode): { line: number; column: number } {
  const start = node.loc?.start;
  return { line: start?.line ?? 0, column: (start?.column ?? 0) + 1 };
}

function isNode(value: unknown): value is LuaNode {
  return typeof value === 'object' && value !== null && typeof (value as LuaNode).type === 'string';
}

function children(node: LuaNode): LuaNode[] {
  const out: LuaNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc') continue;
    // A member's name (`obj.status`) and a table key (`{ status = 1 }`) are not variable reads.
    if (key === 'identifier' && node.type === 'MemberExpression') continue;
    if (key === 'key' && node.type === 'TableKeyString') continue;
    if (Array.isArray(value)) out.push(...value.filter(isNode));
    else if (isNode(value)) out.push(value);
  }
  return out;
}

export function lintHealthScript(code: string): LintViolation[] {
  let ast: LuaNode;
  try {
    ast = parse(code, { luaVersion: '5.1', scope: true, locations: true, comments: false });
  } catch (err) {
    const e = err as Error & { line?: number; column?: number };
    return [{ line: e.line ?? 0, column: (e.column ?? 0) + 1, message: `not Lua 5.1: ${e.message}` }];
  }
  const violations: LintViolation[] = [];
  const report = (node: LuaNode, message: string): void => {
    violations.push({ ...at(node), message });
  };
  const visit = (node: LuaNode): void => {
    switch (node.type) {
      case 'Identifier':
        if (node.isLocal === false && !BASE_GLOBALS.has(String(node.name))) {
          report(node, `global '${String(node.name)}' is not available in Argo CD's Lua sandbox`);
        }
        break;
      case 'MemberExpression': {
        const base = node.base as LuaNode;
        const member = String((node.identifier as LuaNode).name);
        if (node.indexer === ':') {
          report(node, `method call ':${member}' (no string library, no objects with methods in the sandbox)`);
        } else if (base.type === 'Identifier' && base.isLocal === false) {
          const allowed = LIBRARY_MEMBERS[String(base.name)];
          if (allowed && !allowed.has(member)) report(node, `${String(base.name)}.${member} is not in gopher-lua 5.1 and the test VM alike`);
        }
        break;
      }
      case 'AssignmentStatement':
        for (const target of node.variables as LuaNode[]) {
          if (target.type === 'Identifier' && target.isLocal === false) {
            report(target, `assignment to global '${String(target.name)}': declare it local`);
          }
        }
        break;
      case 'FunctionDeclaration': {
        const id = node.identifier as LuaNode | null;
        if (id && id.type === 'Identifier' && node.isLocal === false) report(id, `global function '${String(id.name)}': declare it local`);
        break;
      }
      default:
        break;
    }
    for (const child of children(node)) visit(child);
  };
  visit(ast);
  return violations;
}
