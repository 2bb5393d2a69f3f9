/** Values keys the chart neither declares nor reads, with the nearest real key. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { valuesKeyFindings } from '../../../scripts/lib/verify/chart-values/values-key-findings.ts';
import { levenshtein, nearestKey, templateValueRefs, unknownValuesKeys } from '../../../scripts/lib/verify/chart-values/values-keys.ts';
import { FIXTURES } from '../admission/helpers.ts';

const CHART = join(FIXTURES, 'chart');
const chartValues = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as object;
const templates = readdirSync(join(CHART, 'templates')).map((f) => readFileSync(join(CHART, 'templates', f), 'utf8'));
const check = (values: object, opts = {}) => unknownValuesKeys(values, chartValues, templates, opts);

describe('unknownValuesKeys', () => {
  it('accepts keys declared in values.yaml or read by the templates', () => {
    expect(check({ replicaCount: 2, image: { tag: '2' }, service: { port: 80 }, serviceAccount: { create: true, name: 'x' }, 'metrics-port': 9090 })).toEqual([]);
  });

  it('reports a misspelt key with its nearest sibling', () => {
    expect(check({ replicas: 2, image: { tagg: '2' }, servce: { port: 1 } })).toEqual([
      { path: 'replicas', nearest: 'replicaCount' },
      { path: 'image.tagg', nearest: 'image.tag' },
      { path: 'servce', nearest: 'service' },
    ]);
  });

  it('gives no nearest key when nothing is close', () => {
    expect(check({ persistence: { storageClassName: 'x' } })).toEqual([{ path: 'persistence.storageClassName' }]);
  });

  it('accepts anything under free-form maps: {} or null defaults, toYaml/range/with-toYaml reads', () => {
    expect(
      check({
        resources: { limits: { cpu: 1 } },
        podAnnotations: { a: 'b' },
        nodeSelector: { zone: 'a' },
        env: { FOO: 'bar' },
        extraLabels: { team: 'x' },
      }),
    ).toEqual([]);
  });

  it('still checks below a map read through `with` but not rendered whole', () => {
    expect(check({ probe: { delay: 1, dellay: 2 } })).toEqual([{ path: 'probe.dellay', nearest: 'probe.delay' }]);
  });

  it('skips global and subchart sections; does not look inside lists', () => {
    expect(check({ global: { anything: 1 }, postgresql: { auth: {} }, image: { pullSecrets: undefined } }, { subcharts: ['postgresql'] })).toEqual([
      { path: 'image.pullSecrets' },
    ]);
    expect(check({ service: { port: 1 }, replicaCount: [{ bogus: 1 }] })).toEqual([]);
  });

  it('reads index/hasKey forms and whole .Values reads', () => {
    const refs = templateValueRefs(['{{ index .Values "a-b" "c" }}', '{{ if hasKey .Values.x "y-z" }}']);
    expect([...refs.children.keys()]).toEqual(['a-b', 'x']);
    expect([...refs.children.get('a-b')!.children.keys()]).toEqual(['c']);
    expect(unknownValuesKeys({ anything: 1 }, {}, ['{{ toYaml .Values }}'])).toEqual([]);
  });
});

describe('nearestKey and findings', () => {
  it('levenshtein counts edits', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(nearestKey('Tag', ['tag', 'tab'])).toBe('tag');
    expect(nearestKey('zzzzzz', ['tag'])).toBeUndefined();
  });

  it('valuesKeyFindings builds PLAT004 warnings', () => {
    const f = valuesKeyFindings('web', 'app', { file: 'environments/dev.yaml', line: 12 }, [{ path: 'image.tagg', nearest: 'image.tag' }]);
    expect(f).toEqual([
      {
        file: 'environments/dev.yaml',
        line: 12,
        col: 0,
        path: '/image/tagg',
        rule: 'PLAT004',
        message: "app \"web\": values key image.tagg is neither declared in chart app's values.yaml nor read by its templates; did you mean image.tag?",
      },
    ]);
  });
});
