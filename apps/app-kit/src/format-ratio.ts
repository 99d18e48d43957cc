/** A ratio for people: 0.843 → "0.84", 6.123 → "6.12", 35.21 → "35.2", 352.4 → "352"; "—" when not finite. */
export function formatRatio(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value >= 100) return String(Math.round(value));
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Elements/s in 3 significant digits: 2.70e8; "—" when not a positive finite number. */
export function formatRate(value: number): string {
  return Number.isFinite(value) && value > 0 ? value.toExponential(2).replace('e+', 'e') : '—';
}
