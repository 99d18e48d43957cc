/** The four RMSProp variants the bench measures (momentum 0.9 where named; every other switch at the spec default). */
export type Variant = 'plain' | 'momentum' | 'centered' | 'centered+momentum';

export const VARIANTS: readonly Variant[] = ['plain', 'momentum', 'centered', 'centered+momentum'];

export type BenchDType = 'float32' | 'float64';

export const BENCH_DTYPES: readonly BenchDType[] = ['float32', 'float64'];

/** 'single': one parameter of n elements. '1000x1000': 1,000 named parameters of 1,000 elements, one step() call. */
export type Layout = 'single' | '1000x1000';

export const LAYOUTS: readonly Layout[] = ['single', '1000x1000'];

/** One measured configuration: every implementation runs it, interleaved. */
export interface BenchCase {
  readonly variant: Variant;
  readonly dtype: BenchDType;
  /** Elements updated per step, over all parameters. */
  readonly n: number;
  readonly layout: Layout;
}

/** The momentum coefficient of the momentum variants. */
export const BENCH_MOMENTUM = 0.9;
/** ρ, ε and η of every variant (the spec's defaults). */
export const BENCH_RHO = 0.9;
export const BENCH_EPSILON = 1e-8;
export const BENCH_LEARNING_RATE = 1e-3;

/** The config switches a variant sets. */
export function variantSettings(variant: Variant): { momentum: number; centered: boolean } {
  return {
    momentum: variant === 'momentum' || variant === 'centered+momentum' ? BENCH_MOMENTUM : 0,
    centered: variant === 'centered' || variant === 'centered+momentum',
  };
}

export function bytesPerValue(dtype: BenchDType): number {
  return dtype === 'float32' ? 4 : 8;
}

/**
 * The buffers one step must read and write for a variant: θ, v and (centered) m and (momentum) b are read and
 * written; g is only read.
 */
export function streamCount(variant: Variant): { readWrite: number; readOnly: number } {
  const { momentum, centered } = variantSettings(variant);
  return { readWrite: 2 + (momentum > 0 ? 1 : 0) + (centered ? 1 : 0), readOnly: 1 };
}

/**
 * Memory traffic of one element of one step, in bytes: read θ, g, v and write θ, v (20 bytes in float32),
 * +8 with momentum, +8 centered (twice in float64).
 */
export function bytesPerElement(variant: Variant, dtype: BenchDType): number {
  const { readWrite, readOnly } = streamCount(variant);
  return (2 * readWrite + readOnly) * bytesPerValue(dtype);
}

/** How many parameters and of what size a layout splits n into. */
export function layoutShape(c: Pick<BenchCase, 'n' | 'layout'>): { count: number; size: number } {
  if (c.layout === 'single') return { count: 1, size: c.n };
  if (c.n !== 1_000_000) throw new RangeError(`layout 1000x1000 has n = 1,000,000, not ${c.n}`);
  return { count: 1000, size: 1000 };
}

/** "1e5" for powers of ten and 1, 2, 5 times them, else the plain number. */
export function formatSize(n: number): string {
  if (n >= 1000) {
    const exponent = Math.floor(Math.log10(n));
    const mantissa = n / 10 ** exponent;
    if (Number.isInteger(mantissa)) return mantissa === 1 ? `1e${exponent}` : `${mantissa}e${exponent}`;
  }
  return String(n);
}

/** A short label: "float32 plain n=1e5", with " 1000x1000" for that layout. */
export function describeCase(c: BenchCase): string {
  return `${c.dtype} ${c.variant} n=${formatSize(c.n)}${c.layout === 'single' ? '' : ` ${c.layout}`}`;
}

/** A key for maps: one per (variant, dtype, n, layout). */
export function caseKey(c: BenchCase): string {
  return `${c.variant}|${c.dtype}|${c.n}|${c.layout}`;
}
