/** A number in at most `digits` significant digits, plainly where that is short (0.0178, 560) and in e-notation otherwise (6.5e-4). */
export function formatNumber(value: number, digits = 3): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  if (value === 0) return '0';
  // Choose the notation by the rounded value, so 99999.9 gives 1e5 (like 100000) and 0.00099999 gives 0.001.
  const rounded = Number(value.toPrecision(digits));
  const magnitude = Math.abs(rounded);
  if (magnitude >= 1e-3 && magnitude < 1e5) return String(rounded);
  // e-notation without trailing zeros in the mantissa: 1e-4, 6.5e-4.
  const [mantissa, exponent] = formatExponential(value, digits).split('e');
  return `${mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa}e${exponent}`;
}

/** Always e-notation with `digits` significant digits and no '+' or leading zeros in the exponent: 6.52e-4, 1.00e+0 → 1.00e0. */
export function formatExponential(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return formatNumber(value);
  const [mantissa, exponent] = value.toExponential(Math.max(0, digits - 1)).split('e');
  return `${mantissa}e${Number(exponent)}`;
}
