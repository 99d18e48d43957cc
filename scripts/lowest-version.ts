/**
 * The lowest version a semver range of the forms this repository writes admits: `^X.Y.Z`, `~X.Y.Z`,
 * `>=X.Y.Z` (optionally followed by an upper bound such as `<5`). Throws on any other form rather than guess.
 */
export function lowestVersion(range: string): string {
  const match = /^\s*(?:\^|~|>=\s*)?(\d+\.\d+\.\d+)(?:\s+<\S+)?\s*$/.exec(range);
  if (!match) throw new Error(`cannot tell the lowest version of the range ${JSON.stringify(range)}`);
  return match[1]!;
}
