import type { DType } from '@rmsprop/core';
import type { CaseTolerance } from './golden-case.js';
import { scaledUlpDistance } from './ulp-distance.js';

/**
 * How far a backend may be from a golden value, for one dtype. An element passes when it equals the
 * expected value (NaN matching NaN, equal infinities), or is within `ulps` ulps of its scale (for θ the
 * largest |θ| of its trajectory so far, for a state buffer its largest |value|: see compare-trajectory.ts), or within `abs + rel·|expected|`. `reason` says why the bound has the size it has: a tolerance
 * is stated, measured and justified, never picked to make a test pass.
 */
export interface BackendTolerance {
  readonly ulps?: number;
  readonly rel?: number;
  readonly abs?: number;
  readonly reason: string;
}

/** The bound used for one case: the case's own tolerance when it has one, else the backend's. */
export type AppliedTolerance = { readonly kind: 'case'; readonly tolerance: CaseTolerance } | { readonly kind: 'backend'; readonly tolerance: BackendTolerance };

/** Does `actual` pass against `expected` under `applied`? */
export function withinTolerance(actual: number, expected: number, scale: number, dtype: DType, applied: AppliedTolerance): boolean {
  if (Object.is(actual, expected) || actual === expected) return true;
  if (Number.isNaN(expected) || Number.isNaN(actual)) return Number.isNaN(expected) && Number.isNaN(actual);
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return false;
  const error = Math.abs(actual - expected);
  if (applied.kind === 'case') return error <= applied.tolerance.abs + applied.tolerance.rel * Math.abs(expected);
  const bt = applied.tolerance;
  if (bt.ulps !== undefined && scaledUlpDistance(actual, expected, scale, dtype) <= bt.ulps) return true;
  if (bt.rel !== undefined || bt.abs !== undefined) return error <= (bt.abs ?? 0) + (bt.rel ?? 0) * Math.abs(expected);
  return false;
}

/** A human-readable form of a tolerance, for tables and messages. */
export function describeTolerance(applied: AppliedTolerance): string {
  const parts: string[] = [];
  const t = applied.tolerance as { ulps?: number; rel?: number; abs?: number };
  if (t.ulps !== undefined) parts.push(`${t.ulps} ulp`);
  if (t.rel !== undefined && t.rel > 0) parts.push(`rel ${t.rel}`);
  if (t.abs !== undefined && t.abs > 0) parts.push(`abs ${t.abs}`);
  const text = parts.length === 0 ? 'exact' : parts.join(' or ');
  return applied.kind === 'case' ? `${text} (case)` : text;
}
