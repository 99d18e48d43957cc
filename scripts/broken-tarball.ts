import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A copy of a package tarball with something broken on purpose, for showing that a check fails: unpacks
 * `source`, lets `edit` change the package directory (`package/`), and packs it again as `destination`.
 */
export function brokenTarball(source: string, destination: string, edit: (packageDir: string) => void): string {
  const scratch = mkdtempSync(join(tmpdir(), 'broken-tarball-'));
  try {
    execFileSync('tar', ['-xzf', source, '-C', scratch]);
    edit(join(scratch, 'package'));
    execFileSync('tar', ['-czf', destination, '-C', scratch, 'package']);
    return destination;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
