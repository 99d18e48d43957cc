import { createRequire } from 'node:module';

/**
 * Where `specifier` resolves (Node's `require.resolve`) from the first of `bases` that has it, or
 * undefined. A base is a file path or URL: a package is looked up in the `node_modules` folders above it.
 */
export function resolveFrom(specifier: string, bases: readonly string[]): string | undefined {
  for (const base of bases) {
    try {
      return createRequire(base).resolve(specifier);
    } catch {
      // try the next place
    }
  }
  return undefined;
}
