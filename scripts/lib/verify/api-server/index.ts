/**
 * The API server's own rules, applied offline (issue #23): CEL validation rules of the hydrated
 * CRDs (crd-validation.ts) and, against the base revision, the update rules of the API server and
 * of the operators (update-rules.ts, parallelism-changes.ts for KServe's webhook); beside them, what
 * the API server validates beyond the schemas over every object, KV001-KV006 (core-validation/).
 */
export { celValidation, crdSchemas, CEL001, CEL002, type CelInput } from './crd-validation.ts';
export type { CelSummary } from './summary.ts';
export { evaluate } from './cel-env.ts';
export { updateFindings, UPD009 } from './updates.ts';
export { updateRefusals, UPDATE_RULES, type Refusal } from './update-rules.ts';
export { baseObjects, oldObjectOf, type BaseObjects } from './base.ts';
export { refusedChanges } from './diff-refusals.ts';
export { CEL003, deriveStrict, pinnedReferences, pinnedSchemaFindings, referenceDigest, referenceOf, schemaDrift } from './pinned-schemas.ts';
export { coreValidationFindings } from './core-validation/index.ts';
