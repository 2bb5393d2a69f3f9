/**
 * Reading a config file (environments/, apps/): bounded and checked (fs/safe-read.ts), parsed
 * by yaml-source.ts, and read back from the text cache (text-cache.ts) when the same text parsed
 * cleanly before: the data comes from JSON and the YAML document, needed only to locate a
 * finding, is parsed on first use. An unchanged catalog and env then cost no parse.
 */
import type { Document, LineCounter } from 'yaml';
import { failed, ok, type Result } from '../findings.ts';
import { readTextBounded } from '../fs/safe-read.ts';
import { cachedFromText, saveFromText } from '../text-cache.ts';
import { MAX_CONFIG_BYTES, PARSER_URL, parseYamlText, type YamlSource } from './yaml-source.ts';

/** A source whose document and line index are parsed from `text` when first asked for. */
function lazySource(text: string, file: string, data: unknown): YamlSource {
  let parsed: YamlSource | undefined;
  const full = (): YamlSource => {
    if (!parsed) {
      const r = parseYamlText(text, file);
      // The same text parsed cleanly when it was cached (the key covers the parser's code).
      if (!r.ok) throw new Error(`${file}: cached as valid YAML but does not parse: ${r.findings[0]?.message ?? ''}`);
      parsed = r.value;
    }
    return parsed;
  };
  return {
    file,
    data,
    get doc(): Document.Parsed {
      return full().doc;
    },
    get lines(): LineCounter {
      return full().lines;
    },
  };
}

/** parseYamlText, with a clean result's data kept by the text. */
export function parseYamlTextCached(text: string, file: string): Result<YamlSource> {
  // Keyed by the parser's own code too: a change to what it accepts is a miss.
  const hit = cachedFromText<{ data: unknown }>(text, PARSER_URL);
  if (hit) return ok(lazySource(text, file, hit.data));
  const r = parseYamlText(text, file);
  if (r.ok) saveFromText(text, PARSER_URL, { data: r.value.data });
  return r;
}

/**
 * Read and parse one YAML file that must hold a single mapping. The path itself must be a
 * regular file: a symbolic link (followed, it could read any file or /dev/zero), a folder, a
 * FIFO or a device is refused; so are files above the size cap, invalid UTF-8 and NUL bytes.
 */
export function loadYamlFile(absPath: string, file: string, opts: { maxBytes?: number } = {}): Result<YamlSource> {
  const read = readTextBounded(absPath, opts.maxBytes ?? MAX_CONFIG_BYTES);
  if (!read.ok) {
    const message = read.missing ? 'file not found or not readable' : read.reason;
    return failed([{ file, line: read.line, col: read.col, path: '', message }]);
  }
  return parseYamlTextCached(read.value, file);
}
