/**
 * What a user's project that installs the published packages has in node_modules, taken from this
 * workspace: for scripts/docs-code-blocks.test.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Package names and the directories they link to: every package under packages/ by its package.json name
 * (its directory, so its `exports` map resolves to its built dist, as for a user), each third-party
 * package a workspace package installs (its dependencies, peers and dev dependencies: tfjs, gpu.js,
 * vitest, the tfjs backends a README imports), and the root's `@types/node`.
 */
export function workspaceModules(root: string): Record<string, string> {
  const modules: Record<string, string> = {};
  const packages = readdirSync(join(root, 'packages')).map((dir) => join(root, 'packages', dir));
  for (const dir of packages) {
    const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string };
    modules[name] = dir;
  }
  for (const dir of packages) {
    const nodeModules = join(dir, 'node_modules');
    if (!existsSync(nodeModules)) continue;
    for (const entry of readdirSync(nodeModules)) {
      if (entry.startsWith('.')) continue;
      const names = entry.startsWith('@') ? readdirSync(join(nodeModules, entry)).map((sub) => `${entry}/${sub}`) : [entry];
      for (const name of names) if (!Object.hasOwn(modules, name)) modules[name] = join(nodeModules, name);
    }
  }
  modules['@types/node'] = join(root, 'node_modules', '@types', 'node');
  return modules;
}
