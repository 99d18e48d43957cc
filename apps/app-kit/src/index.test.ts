import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as kit from './index.js';

/** Every module the file at `url` imports, transitively, as URLs (relative imports followed, others listed as they are). */
function importGraph(url: URL, seen = new Set<string>()): Set<string> {
  if (seen.has(url.href)) return seen;
  seen.add(url.href);
  const source = readFileSync(url, 'utf8');
  for (const [, specifier] of source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)) {
    if (specifier.startsWith('.')) importGraph(new URL(specifier.replace(/\.js$/, '.ts'), url), seen);
    else seen.add(specifier);
  }
  return seen;
}

describe('the main entry', () => {
  it('imports no node: built-ins (the playground bundles it for the browser)', () => {
    const graph = [...importGraph(new URL('./index.ts', import.meta.url))];
    expect(graph.length).toBeGreaterThan(5);
    expect(graph.filter((m) => m.startsWith('node:') || !m.startsWith('file:'))).toEqual([]);
  });

  it('exports the shared helpers', () => {
    expect(Object.keys(kit).sort()).toEqual(['SeededRandom', 'formatDuration', 'formatExponential', 'formatNumber', 'formatRate', 'formatRatio', 'seededRandom', 'textTable']);
  });
});

describe('the cli entry', () => {
  it('exports the command-line helpers', async () => {
    const cli = await import('./cli.js');
    expect(Object.keys(cli).sort()).toEqual(['UsageError', 'isMainModule', 'optionFlag', 'parseCommandLine', 'readCommandLine']);
  });
});
