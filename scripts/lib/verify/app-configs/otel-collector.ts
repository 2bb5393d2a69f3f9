/**
 * What the OpenTelemetry Collector checks when it loads its config, beyond the shape
 * (open-telemetry/opentelemetry-collector@v0.153.0 otelcol/config.go:49-126, Validate): every
 * service extension and every pipeline receiver, processor and exporter names a configured
 * component (a connector counts as receiver and exporter), and no connector shares its ID with
 * a receiver or an exporter.
 */
import type { Problem } from '../../findings.ts';
import { escapePointer } from '../../config/yaml-source.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const keys = (v: unknown): Set<string> => new Set(isObj(v) ? Object.keys(v) : []);

export function otelCollectorConfigChecks(config: unknown): Problem[] {
  if (!isObj(config)) return [];
  const out: Problem[] = [];
  const receivers = keys(config.receivers);
  const processors = keys(config.processors);
  const exporters = keys(config.exporters);
  const connectors = keys(config.connectors);
  const extensions = keys(config.extensions);
  for (const c of connectors) {
    if (exporters.has(c) || receivers.has(c)) out.push({ path: `/connectors/${escapePointer(c)}`, message: `ambiguous ID "${c}": a receiver or exporter has it too` });
  }
  const service = isObj(config.service) ? config.service : {};
  (Array.isArray(service.extensions) ? service.extensions : []).forEach((ref, i) => {
    if (!extensions.has(String(ref))) out.push({ path: `/service/extensions/${i}`, message: `references extension "${String(ref)}" which is not configured` });
  });
  const pipelines = isObj(service.pipelines) ? service.pipelines : {};
  const sections: [string, (ref: string) => boolean][] = [
    ['receivers', (r) => receivers.has(r) || connectors.has(r)],
    ['processors', (r) => processors.has(r)],
    ['exporters', (r) => exporters.has(r) || connectors.has(r)],
  ];
  for (const [id, p] of Object.entries(pipelines)) {
    if (!isObj(p)) continue;
    for (const [section, known] of sections) {
      const refs = p[section];
      if (!Array.isArray(refs)) continue;
      refs.forEach((ref, i) => {
        if (!known(String(ref))) {
          out.push({ path: `/service/pipelines/${escapePointer(id)}/${section}/${i}`, message: `pipeline ${id} references ${section.slice(0, -1)} "${String(ref)}" which is not configured` });
        }
      });
    }
  }
  return out;
}
