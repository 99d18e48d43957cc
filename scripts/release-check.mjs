#!/usr/bin/env node
// `pnpm release:check`: what `pnpm release` would publish next, without publishing and without npm
// credentials. In a scratch copy of the repository (never the working tree) it runs `changeset version`
// (the pending changesets bump versions and write changelogs there), then packs every public package with
// `pnpm pack`, as `changeset publish` does before uploading, and prints each tarball: name@version, every file
// with its size, the totals. Nothing reaches a registry. Exit status 1 when a step fails or a packed
// manifest still has a workspace: range or depends on a sibling at another version than the one packed.
//
// The copy holds the working tree as it is (tracked and untracked files git does not ignore, uncommitted
// changes included) and each public package's built `files` (dist/ is ignored by git): `pnpm release:check`
// builds first. Options: --keep leaves the scratch copy in place and prints where it is.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatBytes, formatPackedPackage } from './format-packed-package.mjs';
import { packPackage } from './pack-package.mjs';
import { publicPackages } from './public-packages.mjs';

/**
 * Copies the working tree of `root` into `scratch`: the files git tracks or would track (deleted ones
 * skipped), then, for each public package, the paths its `files` field names (built output git ignores).
 *
 * @param {string} root
 * @param {string} scratch
 */
function copyWorkingTree(root, scratch) {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  for (const path of new Set(listed.split('\0').filter(Boolean))) {
    const from = join(root, path);
    if (!existsSync(from)) continue;
    mkdirSync(dirname(join(scratch, path)), { recursive: true });
    cpSync(from, join(scratch, path));
  }
  for (const { dir, manifest } of publicPackages(root)) {
    for (const entry of manifest.files ?? []) {
      if (entry.startsWith('!') || /[*?[]/.test(entry) || !existsSync(join(dir, entry))) continue;
      cpSync(join(dir, entry), join(scratch, relative(root, dir), entry), { recursive: true });
    }
  }
}

/**
 * The workspace's packages by name (packages/* and apps/*), with their directories in `root`.
 *
 * @param {string} root
 * @returns {Map<string, string>}
 */
function workspacePackages(root) {
  /** @type {Map<string, string>} */
  const byName = new Map();
  for (const group of ['packages', 'apps']) {
    if (!existsSync(join(root, group))) continue;
    for (const name of readdirSync(join(root, group))) {
      const file = join(root, group, name, 'package.json');
      if (existsSync(file)) byName.set(JSON.parse(readFileSync(file, 'utf8')).name, join(root, group, name));
    }
  }
  return byName;
}

/**
 * Links each workspace: dependency of a package to its sibling in the copy (node_modules/<name>), which is
 * all `pnpm pack` needs to replace workspace: ranges with versions (no install).
 *
 * @param {string} dir the package's directory in the copy
 * @param {Record<string, any>} manifest its package.json
 * @param {Map<string, string>} siblings
 */
function linkWorkspaceDependencies(dir, manifest, siblings) {
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (typeof range !== 'string' || !range.startsWith('workspace:')) continue;
      const target = siblings.get(name);
      if (target === undefined) throw new Error(`${manifest.name}: ${field}.${name} is ${range}, but no workspace package is named ${name}`);
      const link = join(dir, 'node_modules', name);
      if (existsSync(link)) continue;
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(target, link, 'dir');
    }
  }
}

/**
 * Runs the release check on the repository at `root`; returns the packed packages and the problems found.
 *
 * @param {string} root
 * @param {{ keep?: boolean, log?: (line: string) => void }} [options]
 * @returns {{ packed: import('./pack-package.mjs').PackedPackage[], problems: string[], scratch: string }}
 */
export function releaseCheck(root, { keep = false, log = console.log } = {}) {
  const scratch = mkdtempSync(join(tmpdir(), 'rmsprop-release-check-'));
  try {
    copyWorkingTree(root, scratch);
    const changeset = join(dirname(createRequire(join(root, 'package.json')).resolve('@changesets/cli/package.json')), 'bin.js');
    const versioned = execFileSync(process.execPath, [changeset, 'version'], { cwd: scratch, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    log(`changeset version (in ${keep ? scratch : 'a scratch copy'}):\n${versioned.trim().replace(/^/gm, '  ')}\n`);
    const siblings = workspacePackages(scratch);
    const tarballs = join(scratch, '.release-check-tarballs');
    mkdirSync(tarballs);
    /** @type {string[]} */
    const problems = [];
    const packed = publicPackages(scratch).map(({ dir, manifest }) => {
      linkWorkspaceDependencies(dir, manifest, siblings);
      return packPackage(dir, tarballs);
    });
    const versions = new Map(packed.map((p) => [p.name, p.version]));
    for (const p of packed) {
      log(`${formatPackedPackage(p)}\n`);
      for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
        for (const [name, range] of Object.entries(p.manifest[field] ?? {})) {
          if (String(range).startsWith('workspace:')) problems.push(`${p.name}: ${field}.${name} is still ${range}`);
          const sibling = versions.get(name);
          if (sibling !== undefined && !String(range).replace(/^[\^~]/, '').startsWith(sibling)) {
            problems.push(`${p.name}: ${field}.${name} is ${range}, but ${name}@${sibling} is what would be published`);
          }
        }
      }
    }
    const total = packed.reduce((sum, p) => sum + p.size, 0);
    log(`Would publish ${packed.length} packages (${formatBytes(total)} of tarballs): ${packed.map((p) => `${p.name}@${p.version}`).join(', ')}.`);
    log('Nothing was published (no registry was contacted) and the working tree was not touched.');
    for (const problem of problems) log(`PROBLEM: ${problem}`);
    return { packed, problems, scratch };
  } finally {
    if (keep) log(`The scratch copy is in ${scratch}.`);
    else rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  try {
    const { problems } = releaseCheck(root, { keep: process.argv.includes('--keep') });
    process.exit(problems.length > 0 ? 1 : 0);
  } catch (error) {
    const { stderr, stdout } = /** @type {{ stderr?: string, stdout?: string }} */ (error);
    console.error(`release check failed: ${error instanceof Error ? error.message : String(error)}`);
    if (stdout) console.error(stdout);
    if (stderr) console.error(stderr);
    process.exit(1);
  }
}
