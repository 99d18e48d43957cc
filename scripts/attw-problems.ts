import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Resolution modes the esm-only profile leaves out: CommonJS consumers of an ESM-only package. */
const IGNORED_RESOLUTIONS = ['node10', 'node16-cjs'];

const require = createRequire(import.meta.url);
const attwBin = join(dirname(require.resolve('@arethetypeswrong/cli/package.json')), 'dist', 'index.js');

/**
 * The problems `attw --profile esm-only` finds in a package tarball, one line each (`Kind at
 * "entrypoint" (resolution)`). Empty when attw passes. Checks what TypeScript sees under node16 (ESM) and
 * bundler resolution, entry point by entry point.
 */
export function attwProblems(tarball: string): string[] {
  const run = spawnSync(process.execPath, [attwBin, tarball, '--profile', 'esm-only', '--format', 'json'], { encoding: 'utf8' });
  if (run.status === 0) return [];
  let report: { problems?: Record<string, { kind: string; entrypoint?: string; resolutionKind?: string }[]> };
  try {
    report = JSON.parse(run.stdout);
  } catch {
    return [`attw exited with ${run.status}: ${run.stderr || run.stdout}`.trim()];
  }
  const problems = Object.values(report.problems ?? {})
    .flat()
    .filter((p) => p.resolutionKind === undefined || !IGNORED_RESOLUTIONS.includes(p.resolutionKind))
    .map((p) => `${p.kind} at "${p.entrypoint ?? '.'}"${p.resolutionKind ? ` (${p.resolutionKind})` : ''}`);
  return problems.length > 0 ? problems : [`attw exited with ${run.status} without a problem under the esm-only profile`];
}
