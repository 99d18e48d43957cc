import { formatExponential } from './format-number.js';

/** A rate (elements/s) in 3 significant digits: 2.70e8; "—" when not a positive finite number. */
export function formatRate(value: number): string {
  return Number.isFinite(value) && value > 0 ? formatExponential(value, 3) : '—';
}
