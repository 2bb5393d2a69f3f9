/**
 * The apimachinery string formats, on upstream's own examples: k8s.io/apimachinery v0.35.6
 * pkg/util/validation/validation_test.go (TestIsDNS1123Label, TestIsDNS1123Subdomain,
 * TestIsDNS1035Label, TestIsValidPortNum, TestIsValidPortName, TestIsQualifiedName,
 * TestIsValidLabelValue, TestIsHTTPHeaderName, TestIsRelaxedEnvVarName, TestIsConfigMapKey) and
 * pkg/api/validation/generic.go (maskTrailingDash for generateName prefixes).
 */
import { describe, expect, it } from 'vitest';
import {
  isConfigMapKey, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isHTTPHeaderName, isQualifiedName, isRelaxedEnvVarName, isValidLabelValue, isValidPathSegmentName, isValidPortName, isValidPortNum, nameWith,
} from '../../scripts/lib/config/kube/names.ts';

function accepts(fn: (v: string) => string[], good: string[], bad: string[]): void {
  for (const v of good) expect(fn(v), JSON.stringify(v)).toEqual([]);
  for (const v of bad) expect(fn(v).length, JSON.stringify(v)).toBeGreaterThan(0);
}

describe('apimachinery formats on upstream examples', () => {
  it('IsDNS1123Label', () => {
    accepts(isDNS1123Label, ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', 'a'.repeat(63)], [
      '', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2',
      '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', 'a'.repeat(64),
    ]);
    expect(isDNS1123Label('a.b')).toEqual(['must not contain dots']);
  });

  it('IsDNS1123Subdomain', () => {
    accepts(isDNS1123Subdomain, [
      'a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', 'a.a', 'ab.a', 'abc.a', 'a1.a', 'a-1.a', 'a--1--2--b.a',
      'a.1', 'ab.1', 'abc.1', 'a1.1', 'a-1.1', 'a--1--2--b.1', '0.a', '01.a', '012.a', '1a.a', '1-a.a', '0.1', '01.1', '012.1', '1a.1', '1-a.1', '1--a--b--2.1',
      'a.b.c.d.e', 'aa.bb.cc.dd.ee', '1.2.3.4.5', '11.22.33.44.55', 'a'.repeat(253),
    ], [
      '', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2', '.', 'a.', '.a', 'a..b', '1.', '.1', '1..2',
      ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', 'A.a', 'aB.a', 'ab.A', 'A1.a', 'a1.A', 'A.1', 'aB.1', 'A1.1', '1A.1', '0.A', '01.A', '012.A', '1A.a', '1a.A',
      'A.B.C.D.E', 'AA.BB.CC.DD.EE', 'a.B.c.d.e', 'aa.bB.cc.dd.ee', 'a@b', 'a,b', 'a_b', 'a;b', 'a:b', 'a%b', 'a?b', 'a$b', 'a'.repeat(254),
    ]);
  });

  it('IsDNS1035Label', () => {
    accepts(isDNS1035Label, ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', 'a'.repeat(63)], [
      '0', '01', '012', '1a', '1-a', '1--a--b--2', '', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2',
      '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', 'a'.repeat(64),
    ]);
  });

  it('IsValidPortNum and IsValidPortName', () => {
    for (const p of [1, 2, 1000, 16384, 32768, 65535]) expect(isValidPortNum(p)).toEqual([]);
    for (const p of [0, -1, 65536, 100000]) expect(isValidPortNum(p)).toEqual(['must be between 1 and 65535, inclusive']);
    accepts(isValidPortName, ['telnet', 're-mail-ck', 'pop3', 'a', 'a-1', '1-a', 'a-1-b-2-c', '1-a-2-b-3'], ['longerthan15characters', '', 'a'.repeat(16), '12345', '1-2-3-4', '-begin', 'end-', 'two--hyphens', 'whois++']);
  });

  it('IsQualifiedName (label and annotation keys) and IsValidLabelValue', () => {
    accepts(isQualifiedName, [
      'simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'now-with-dashes/simple', 'now-with-dashes/now-with-dashes', 'now.with.dots/simple',
      'now-with.dashes-and.dots/simple', '1-num.2-num/3-num', '1234/5678', '1.2.3.4/5678', 'Uppercase_Is_OK_123', 'example.com/Uppercase_Is_OK_123', 'requests.storage-foo',
      'a'.repeat(63), `${'a'.repeat(253)}/${'b'.repeat(63)}`,
    ], ['nospecialchars%^=@', 'cantendwithadash-', '-cantstartwithadash-', 'only/one/slash', 'Example.com/abc', 'example_com/abc', 'example.com/', '/simple', 'a'.repeat(64), `${'a'.repeat(254)}/abc`]);
    accepts(isValidLabelValue, ['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', 'a'.repeat(63), ''], [
      'nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash', 'ends-with-dash-', '.starts.with.dot', 'ends.with.dot.', 'a'.repeat(64),
    ]);
  });

  it('IsHTTPHeaderName', () => {
    accepts(isHTTPHeaderName, ['Accept-Encoding', 'Host', 'If-Modified-Since', 'X-Forwarded-For', 'a', 'ab', 'abc', 'a1', '-a', 'a-', 'a-b', 'a-1', 'a--1--2--b', '--abc-123', 'A', 'AB', 'AbC', 'A1', '-A', 'A-', 'A-B', 'A-1', 'A--1--2--B', '--123-ABC'], [
      'Host:', 'X-Forwarded-For:', 'X-@Home', '', '_', 'a_', '_a', '1_', '1_2', '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', '#a#', '^', ',', ';', '=', '<', '?', '@', '{',
    ]);
  });

  it('IsRelaxedEnvVarName (environment variable names since v1.34)', () => {
    accepts(isRelaxedEnvVarName, ['-', ':', '_', '+a', '>a', '<a', 'a.', 'a..', '*a', '%a', '?a', 'a:a', 'a_a', 'aAz', '~a', '|a', 'a0a', 'a9', '/a', 'a ', '#a', '0a', '0 a', "'a", '(a', '@a'], [
      '', '=', 'a=', '1=a', 'a=b', '#%=&&', `${String.fromCharCode(1)}abc`, `${String.fromCharCode(130)}abc`, 'Ç ç', 'Ä ä', 'Ñ ñ', 'Ø ø',
    ]);
  });

  it('IsConfigMapKey', () => {
    accepts(isConfigMapKey, ['a', 'good', 'good-good', 'still.good', 'this.is.also.good', '.so.is.this', 'THIS_IS_GOOD', 'so_is_this_17'], ['.', '..', '..bad', 'b*d', 'bad!&bad', 'a'.repeat(254)]);
  });

  it('name functions: a generateName prefix may end in "-"; RBAC names are path segments', () => {
    const sub = nameWith(isDNS1123Subdomain);
    expect(sub('web-', true)).toEqual([]);
    expect(sub('web-', false).length).toBe(1);
    expect(isValidPathSegmentName('system:aggregate-to-view')).toEqual([]);
    expect(isValidPathSegmentName('..')).toEqual(["may not be '..'"]);
    expect(isValidPathSegmentName('a/b%')).toEqual(["may not contain '/'", "may not contain '%'"]);
  });
});
