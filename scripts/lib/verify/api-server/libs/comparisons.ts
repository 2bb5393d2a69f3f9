/**
 * compareTo, isLessThan and isGreaterThan: declared once on the opaque values and dispatched on
 * the receiver's type, as quantity.go and semverlib.go both define them on their own type.
 */
import { CelScalar, type CelType } from '@bufbuild/cel';
import { OPAQUE, shared } from './opaque.ts';
import { QUANTITY_COMPARE } from './quantity.ts';
import { SEMVER_COMPARE } from './semver.ts';

type Compare = (self: never, other: unknown, name: string) => bigint;
const by = (name: string, result: CelType, verdict: (c: bigint) => unknown) => {
  const impl = (cmp: Compare) => (self: never, other: never) => verdict(cmp(self, other, name));
  return shared(name, [OPAQUE], result, { 'kubernetes.Quantity': impl(QUANTITY_COMPARE as Compare), 'kubernetes.Semver': impl(SEMVER_COMPARE as Compare) });
};

export const COMPARISONS = [
  by('compareTo', CelScalar.INT, (c) => c),
  by('isLessThan', CelScalar.BOOL, (c) => c < 0n),
  by('isGreaterThan', CelScalar.BOOL, (c) => c > 0n),
];
