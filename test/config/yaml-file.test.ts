/**
 * Config files read back from the text cache (config/yaml-file.ts) behave as a fresh parse: the
 * same data, the same positions (the document is parsed when first asked for), a changed text
 * parsed again, and a file with an error never served from the cache.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadYamlFile } from '../../scripts/lib/config/yaml-file.ts';
import { parseYamlText, positionOf } from '../../scripts/lib/config/yaml-source.ts';

const dir = mkdtempSync(join(tmpdir(), 'catalyst-yaml-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (text: string): string => {
  const abs = join(dir, 'env.yaml');
  writeFileSync(abs, text);
  return abs;
};

describe('loadYamlFile with the text cache', () => {
  it('a second read gives the data and positions of a fresh parse', () => {
    const text = `name: cache-${Date.now()}\ncluster:\n  domain: a.example.com\nlist:\n  - { name: x, replicas: 2 }\n`;
    const abs = write(text);
    const first = loadYamlFile(abs, 'environments/env.yaml');
    const second = loadYamlFile(abs, 'environments/env.yaml');
    const fresh = parseYamlText(text, 'environments/env.yaml');
    expect(first.ok && second.ok && fresh.ok).toBe(true);
    if (!second.ok || !fresh.ok) return;
    expect(second.value.data).toEqual(fresh.value.data);
    for (const pointer of ['/cluster/domain', '/list/0/replicas', '/name']) {
      expect(positionOf(second.value, pointer)).toEqual(positionOf(fresh.value, pointer));
      expect(positionOf(second.value, pointer, true)).toEqual(positionOf(fresh.value, pointer, true));
    }
  });

  it('a changed text is parsed again, and an invalid one is reported every time', () => {
    const abs = write('name: a\nvalue: 1\n');
    expect(loadYamlFile(abs, 'f.yaml')).toMatchObject({ ok: true, value: { data: { name: 'a', value: 1 } } });
    write('name: a\nvalue: 2\n');
    expect(loadYamlFile(abs, 'f.yaml')).toMatchObject({ ok: true, value: { data: { value: 2 } } });
    write('name: a\nname: b\n');
    for (let i = 0; i < 2; i++) expect(loadYamlFile(abs, 'f.yaml').ok).toBe(false);
  });
});
