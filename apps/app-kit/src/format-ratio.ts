/** A ratio for people: 0.843 → "0.84", 6.123 → "6.12", 35.21 → "35.2", 352.4 → "352"; "—" when not finite. */
export function formatRatio(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value >= 100) return String(Math.round(value));
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}
