/**
 * Handlebars in strict mode: a missing variable is an error, never an empty string.
 * Values go in through helpers that quote them (`{{json x}}`) or emit YAML blocks
 * (`{{yaml x indent=4}}`), so no value can break out of its field.
 */
import { createHash } from 'node:crypto';
import { cachedSpec, saveSpec, templateKey } from './template-cache.ts';
import Handlebars from 'handlebars';
import { stringify } from 'yaml';
import { getAt, isPlainObject } from '../config/merge.ts';

export const hbs = Handlebars.create();

type Opts = Handlebars.HelperOptions;

/** JSON of a value with object keys sorted, for checksums. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** YAML text of a value, every line indented by `indent` spaces, no trailing newline. */
export function yamlBlock(value: unknown, indent = 0): string {
  // A value that holds the same object twice is written out twice, never as an alias (which
  // the renderer rejects): facts may share objects freely.
  const text = stringify(value, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false }).replace(/\n$/, '');
  const pad = ' '.repeat(indent);
  return text
    .split('\n')
    .map((l) => (l.length ? pad + l : l))
    .join('\n');
}

/** Helpers get no strict-mode check of their arguments: an undefined value is an error here. */
function defined(helper: string, value: unknown, opts: Opts): unknown {
  if (value !== undefined) return value;
  const loc = (opts as unknown as { loc?: { start: { line: number; column: number } } }).loc;
  const where = loc ? ` - ${loc.start.line}:${loc.start.column}` : '';
  throw new Error(`${helper}: the value is undefined (a missing setting or a misspelled name)${where}`);
}

hbs.registerHelper('json', (value: unknown, opts: Opts) => JSON.stringify(defined('json', value, opts)));
hbs.registerHelper('yaml', (value: unknown, opts: Opts) => yamlBlock(defined('yaml', value, opts), Number(opts.hash.indent ?? 0)));
hbs.registerHelper('indent', (text: unknown, opts: Opts) => {
  const pad = ' '.repeat(Number(opts.hash.by ?? 0));
  return String(text)
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => (l.length ? pad + l : l))
    .join('\n');
});
hbs.registerHelper('checksum', (...args: unknown[]) => {
  const values = args.slice(0, -1);
  return createHash('sha256').update(stableJson(values)).digest('hex');
});
hbs.registerHelper('get', (obj: unknown, path: string) => getAt(obj, String(path).split('.')));
hbs.registerHelper('has', (obj: unknown, path: string) => getAt(obj, String(path).split('.')) !== undefined);
hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
hbs.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
hbs.registerHelper('gt', (a: number, b: number) => a > b);
hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
/** Membership by string value (Handlebars may box `this` when it is a string). */
hbs.registerHelper('includes', (list: unknown, value: unknown) => Array.isArray(list) && list.some((x) => String(x) === String(value)));
hbs.registerHelper('join', (list: unknown[], sep: unknown) => list.map(String).join(typeof sep === 'string' ? sep : ','));
hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).map(String).join(''));
hbs.registerHelper('default', (a: unknown, b: unknown) => (a === undefined || a === null ? b : a));
hbs.registerHelper('list', (...args: unknown[]) => args.slice(0, -1));
/** A map from named arguments, keys in the order written (Handlebars hands the hash over reversed). */
hbs.registerHelper('obj', (opts: Opts) => {
  const hash = opts.hash as Record<string, unknown>;
  return Object.fromEntries(Object.keys(hash).reverse().map((k) => [k, hash[k]]));
});
hbs.registerHelper('lower', (s: string) => String(s).toLowerCase());
hbs.registerHelper('replace', (s: string, a: string, b: string) => String(s).split(a).join(b));

const compiled = new Map<string, Handlebars.TemplateDelegate>();
const COMPILE_OPTIONS = { strict: true, noEscape: true } as const;
type TemplateSpecification = Parameters<typeof hbs.template>[0];

/**
 * Compile once per template text (templates are shared by every environment), precompiled code
 * cached across runs. A partial called alone on its line (`    {{> restricted-container-security}}`)
 * is indented like it.
 */
export function compileTemplate(text: string): Handlebars.TemplateDelegate {
  let t = compiled.get(text);
  if (!t) {
    const key = templateKey(text, COMPILE_OPTIONS);
    let spec = cachedSpec(key);
    if (spec === undefined) {
      spec = hbs.precompile(text, COMPILE_OPTIONS) as string;
      saveSpec(key, spec);
    }
    // The spec is Handlebars' generated code for this template (from precompile, here or in an earlier run).
    t = hbs.template(new Function(`return ${spec};`)() as TemplateSpecification);
    compiled.set(text, t);
  }
  return t;
}

/** Line and column that a Handlebars error message names, when it names one. */
export function templateErrorPos(message: string): { line: number; col: number } {
  const parse = /Parse error on line (\d+)/.exec(message);
  if (parse) return { line: Number(parse[1]), col: 1 };
  const runtime = / - (\d+):(\d+)$/m.exec(message);
  if (runtime) return { line: Number(runtime[1]), col: Number(runtime[2]) + 1 };
  return { line: 1, col: 1 };
}
