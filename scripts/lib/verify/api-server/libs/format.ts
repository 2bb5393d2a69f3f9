/**
 * The Kubernetes CEL format library: kubernetes/apiserver@v0.35.0:pkg/cel/library/format.go (in the
 * base environment since 1.31). `format.<name>()` and `format.named(name)` give a named format;
 * `<format>.validate(s)` gives an optional: none when `s` is valid, else the list of messages of
 * the apimachinery validator it calls (k8s.io/apimachinery pkg/util/validation IsDNS1123Label,
 * IsDNS1123Subdomain, IsDNS1035Label, IsQualifiedName, IsValidLabelValue; the `*Prefix` formats
 * first mask a trailing dash as pkg/api/validation maskTrailingDash does), Go's url.ParseRequestURI
 * for `uri`, and kube-openapi strfmt for uuid, byte, date and datetime.
 * @bufbuild/cel has no optional type: an optional is an opaque value here with the methods CEL's
 * optional type has (hasValue, value, orValue). The optional syntax (`?.`, `[?`) does not parse
 * in @bufbuild/cel: a rule using it is not evaluable (CEL002), never passed.
 */
import { CelScalar } from '@bufbuild/cel';
import { parseRequestUri } from './url.ts';
import { fn, method, OPAQUE, opaque, tagOf, unwrap } from './opaque.ts';

const regexError = (msg: string, fmt: string, ...examples: string[]): string =>
  `${msg} (e.g. ${examples.map((e) => `'${e}'`).join(',  or ')}, regex used for validation is '${fmt}')`;
const maxLen = (n: number): string => `must be no more than ${n} characters`;

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN = `${LABEL}(\\.${LABEL})*`;
const DNS1035 = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QNAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE = `(${QNAME})?`;
const full = (re: string): RegExp => new RegExp(`^${re}$`);

export function dns1123Label(s: string): string[] {
  const out = s.length > 63 ? [maxLen(63)] : [];
  if (!full(LABEL).test(s)) out.push(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", LABEL, 'my-name', '123-abc'));
  return out;
}
export function dns1123Subdomain(s: string): string[] {
  const out = s.length > 253 ? [maxLen(253)] : [];
  if (!full(SUBDOMAIN).test(s)) out.push(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", SUBDOMAIN, 'example.com'));
  return out;
}
function dns1035Label(s: string): string[] {
  const out = s.length > 63 ? [maxLen(63)] : [];
  if (!full(DNS1035).test(s)) out.push(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", DNS1035, 'my-name', 'abc-123'));
  return out;
}
const QNAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
function qualifiedName(s: string): string[] {
  const parts = s.split('/');
  if (parts.length > 2) return [`a qualified name ${regexError(QNAME_MSG, QNAME, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  const out: string[] = [];
  const name = parts[parts.length - 1]!;
  if (parts.length === 2) {
    if (parts[0] === '') out.push('prefix part must be non-empty');
    else out.push(...dns1123Subdomain(parts[0]!).map((m) => `prefix part ${m}`));
  }
  if (name === '') out.push('name part must be non-empty');
  else if (name.length > 63) out.push(`name part ${maxLen(63)}`);
  if (!full(QNAME).test(name)) out.push(`name part ${regexError(QNAME_MSG, QNAME, 'MyName', 'my.name', '123-abc')}`);
  return out;
}
function labelValue(s: string): string[] {
  const out = s.length > 63 ? [maxLen(63)] : [];
  if (!full(LABEL_VALUE).test(s)) out.push(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", LABEL_VALUE, 'MyValue', 'my_value', '12345'));
  return out;
}
/** pkg/api/validation maskTrailingDash: a name ending in '-' has its last two characters replaced by 'a'. */
const maskTrailingDash = (s: string): string => (s.length > 1 && s.endsWith('-') ? `${s.slice(0, -2)}a` : s);

/** time.Parse("2006-01-02"): the day must exist in its month. */
function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}
/** kube-openapi strfmt IsDateTime: a date, a "t", then hh:mm:ss[.frac](z|±hh:mm), case-insensitive. */
function isDateTime(s: string): boolean {
  const parts = s.toLowerCase().split('t');
  if (s.length < 4 || parts.length < 2 || !isDate(parts[0]!)) return false;
  const m = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/.exec(parts[1]!);
  return !!m && m[1]! <= '23' && m[2]! <= '59' && m[3]! <= '59';
}
/** base64.StdEncoding.DecodeString (newlines ignored, padding required). */
const isBase64 = (s: string): boolean => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s.replace(/[\r\n]/g, ''));

const check = (ok: boolean, msg: string): string[] => (ok ? [] : [msg]);

export const FORMATS: Record<string, (s: string) => string[]> = {
  dns1123Label,
  dns1123Subdomain,
  dns1035Label,
  qualifiedName,
  dns1123LabelPrefix: (s) => dns1123Label(maskTrailingDash(s)),
  dns1123SubdomainPrefix: (s) => dns1123Subdomain(maskTrailingDash(s)),
  dns1035LabelPrefix: (s) => dns1035Label(maskTrailingDash(s)),
  labelValue,
  uri: (s) => {
    const u = parseRequestUri(s);
    return typeof u === 'string' ? [`parse ${JSON.stringify(s)}: ${u}`] : [];
  },
  uuid: (s) => check(/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(s), 'does not match the UUID format'),
  byte: (s) => check(isBase64(s), 'invalid base64'),
  date: (s) => check(isDate(s), 'invalid date'),
  datetime: (s) => check(isDateTime(s), 'invalid datetime'),
};

const F = 'kubernetes.NamedFormat';
const OPT = 'optional_type';
type Held = { none: true } | { list: string[] } | { format: string };
const optional = (v: Held): Map<string, unknown> => opaque(OPT, v);
const held = (h: Held): unknown => ('list' in h ? h.list : 'format' in h ? opaque(F, h.format) : undefined);
const S = CelScalar.STRING;

export const FORMAT_LIBRARY = [
  ...Object.keys(FORMATS).map((name) => fn(`format.${name}`, [], OPAQUE, () => opaque(F, name))),
  fn('format.named', [S], OPAQUE, (name: string) => optional(Object.hasOwn(FORMATS, name) ? { format: name } : { none: true })),
  method(F, 'validate', [S], OPAQUE, (name: string, s: string) => {
    const errs = FORMATS[name]!(s);
    return optional(errs.length ? { list: errs } : { none: true });
  }),
  method(OPT, 'hasValue', [], CelScalar.BOOL, (h: Held) => !('none' in h)),
  method(OPT, 'value', [], CelScalar.DYN, (h: Held) => {
    if ('none' in h) throw new Error('optional.none() dereference');
    return held(h);
  }),
  method(OPT, 'orValue', [CelScalar.DYN], CelScalar.DYN, (h: Held, other: unknown) => ('none' in h ? other : held(h))),
];

/** Is `v` an optional (for tests and messages). */
export const isOptional = (v: unknown): boolean => tagOf(v) === OPT;
export const optionalValue = (v: unknown): unknown => held(unwrap<Held>(v, OPT, 'value'));
