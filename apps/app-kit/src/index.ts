// @rmsprop/app-kit: what the apps share, safe in a browser (no node: imports; the command-line helpers are
// in @rmsprop/app-kit/cli).
export { formatDuration } from './format-duration.js';
export { formatExponential, formatNumber } from './format-number.js';
export { formatRate } from './format-rate.js';
export { formatRatio } from './format-ratio.js';
export { SeededRandom, seededRandom } from './seeded-random.js';
export { textTable, type Alignment } from './text-table.js';
