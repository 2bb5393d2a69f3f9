/**
 * The API server's own rules, applied offline (issue #23): CEL validation rules of the hydrated
 * CRDs (crd-validation.ts) and, against the base revision, the update rules of the API server and
 * of the operators (update-rules.ts).
 */
export { celValidation, celSummaryLine, crdSchemas, CEL001, CEL002, type CelSummary, type CelInput } from './crd-validation.ts';
export { evaluate } from './cel-env.ts';
