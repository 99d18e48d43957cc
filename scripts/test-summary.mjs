// Sums the vitest JSON reports written by every package's test run (and the root's) into one closing line.
// Packages with browser tests write a second report, .vitest-results.browser.json.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dirs = [root];
for (const group of ['packages', 'apps']) {
  const base = join(root, group);
  if (existsSync(base)) for (const name of readdirSync(base)) dirs.push(join(base, name));
}
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
// Each directory's Node report, and its browser report where a package runs tests in Chromium as well.
const reports = [
  { file: '.vitest-results.json', label: '' },
  { file: '.vitest-results.browser.json', label: ' (browser)' },
];
const runs = dirs.flatMap((dir) => reports.map(({ file, label }) => ({ dir, label, file: join(dir, file) })));
for (const { dir, label, file } of runs) {
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const p = report.numPassedTests ?? 0;
  const f = report.numFailedTests ?? 0;
  const s = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  passed += p;
  failed += f;
  skipped += s;
  rows.push(`  ${dir === root ? '(root)' : dir.slice(root.length + 1)}${label}: ${p} passed, ${f} failed, ${s} skipped`);
}
console.log(rows.join('\n'));
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
