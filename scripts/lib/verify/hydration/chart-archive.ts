/**
 * Read a packaged chart (.tgz, as `helm package` / `helm pull` write it) into memory: gunzip,
 * then the ustar records (with PAX `path` overrides and GNU long names) of regular files.
 */
import { readFile, stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';

const text = (b: Buffer, from: number, len: number): string => {
  const s = b.subarray(from, from + len);
  const nul = s.indexOf(0);
  return (nul < 0 ? s : s.subarray(0, nul)).toString('utf8');
};

/** Path -> content of every regular file in a .tar.gz buffer. */
/** Most bytes a chart archive may unpack to (a gzip bomb stops there, as an error). */
export const MAX_CHART_BYTES = 256 * 1024 * 1024;

export function untarGz(gz: Buffer): Map<string, Buffer> {
  const tar = gunzipSync(gz, { maxOutputLength: MAX_CHART_BYTES });
  const files = new Map<string, Buffer>();
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(text(header, 124, 12).trim() || '0', 8);
    if (!Number.isSafeInteger(size) || size < 0) throw new Error(`tar record at byte ${offset}: unreadable size`);
    const type = String.fromCharCode(header[156] ?? 48);
    const prefix = text(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    const body = tar.subarray(offset + 512, offset + 512 + size);
    longName = undefined;
    if (type === 'x') {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      longName = m?.[1];
    } else if (type === 'L') {
      longName = text(body, 0, size);
    } else if (type === '0' || type === '\0') {
      files.set(name, Buffer.from(body));
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

export interface ChartFiles {
  /** The chart's own values.yaml text ('' when absent). */
  valuesYaml: string;
  /** Texts of the chart's own templates/ (not its subcharts'). */
  templates: string[];
  /** Names of the subcharts under charts/ and the dependency names/aliases of Chart.yaml. */
  subcharts: string[];
  chartYaml: string;
}

const memo = new Map<string, Promise<ChartFiles>>();

/** The parts of a packaged chart that the values-key check reads (memoized per file, size and mtime). */
export async function readChartFiles(tgz: string): Promise<ChartFiles> {
  const st = await stat(tgz);
  const key = `${tgz}\0${st.size}\0${st.mtimeMs}`;
  let p = memo.get(key);
  if (!p) memo.set(key, (p = readChartFilesUncached(tgz)));
  return p;
}

async function readChartFilesUncached(tgz: string): Promise<ChartFiles> {
  const files = untarGz(await readFile(tgz));
  const root = [...files.keys()].find((p) => /^[^/]+\/Chart\.yaml$/.test(p))?.split('/')[0] ?? '';
  const get = (rel: string): string => files.get(`${root}/${rel}`)?.toString('utf8') ?? '';
  const templates: string[] = [];
  const subcharts = new Set<string>();
  for (const [p, b] of files) {
    if (p.startsWith(`${root}/templates/`)) templates.push(b.toString('utf8'));
    const sub = new RegExp(`^${root}/charts/([^/]+?)(?:/|-\\d[^/]*\\.tgz$)`).exec(p);
    if (sub?.[1]) subcharts.add(sub[1]);
  }
  const chartYaml = get('Chart.yaml');
  const meta: unknown = parse(chartYaml || '{}');
  const deps = typeof meta === 'object' && meta !== null && Array.isArray((meta as { dependencies?: unknown }).dependencies) ? (meta as { dependencies: unknown[] }).dependencies : [];
  for (const d of deps) {
    if (typeof d !== 'object' || d === null) continue;
    const { name, alias } = d as { name?: unknown; alias?: unknown };
    if (typeof alias === 'string') subcharts.add(alias);
    else if (typeof name === 'string') subcharts.add(name);
  }
  return { valuesYaml: get('values.yaml'), templates, subcharts: [...subcharts], chartYaml };
}
