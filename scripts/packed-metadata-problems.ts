import { readmeLinkProblems } from './readme-link-problems.js';

/** What a package tarball must say about where it comes from. */
export interface ExpectedProvenance {
  /** The repository's URL as package.json writes it (`git+https://github.com/owner/name.git`). */
  repositoryUrl: string;
  /** The package's directory in the repository (`packages/core`). */
  directory: string;
  /** `engines.node`, the same in every package. */
  engines: string;
}

const isHttps = (value: unknown): boolean => typeof value === 'string' && /^https:\/\/\S+$/.test(value);

/**
 * What is missing or wrong in a package tarball's files (by path inside the package), one line each: a
 * LICENSE and a README.md; package.json's license, repository (git, with its directory), homepage and bugs
 * (https), engines.node; and, in every shipped Markdown file, links that leave the package or name a file
 * it does not ship ({@link readmeLinkProblems}). Empty when all is well.
 */
export function packedMetadataProblems(files: ReadonlyMap<string, Buffer>, expected: ExpectedProvenance): string[] {
  const problems: string[] = [];
  for (const required of ['LICENSE', 'README.md', 'package.json']) {
    if (!files.has(required)) problems.push(`${required} is not in the tarball`);
    else if (files.get(required)!.length === 0) problems.push(`${required} is empty`);
  }
  const manifest = JSON.parse(files.get('package.json')?.toString('utf8') ?? '{}') as Record<string, unknown>;
  const repository = manifest.repository as { type?: unknown; url?: unknown; directory?: unknown } | undefined;
  const bugs = manifest.bugs as { url?: unknown } | string | undefined;
  const engines = manifest.engines as { node?: unknown } | undefined;
  if (typeof manifest.license !== 'string' || manifest.license === '') problems.push(`license is ${JSON.stringify(manifest.license)}, not an SPDX expression`);
  if (typeof repository !== 'object' || repository === null) problems.push('repository is missing (an object with type, url and directory)');
  else {
    if (repository.type !== 'git') problems.push(`repository.type is ${JSON.stringify(repository.type)}, not "git"`);
    if (repository.url !== expected.repositoryUrl) problems.push(`repository.url is ${JSON.stringify(repository.url)}, not ${JSON.stringify(expected.repositoryUrl)}`);
    if (repository.directory !== expected.directory) problems.push(`repository.directory is ${JSON.stringify(repository.directory)}, not ${JSON.stringify(expected.directory)}`);
  }
  if (!isHttps(manifest.homepage)) problems.push(`homepage is ${JSON.stringify(manifest.homepage)}, not an https URL`);
  if (!isHttps(typeof bugs === 'string' ? bugs : bugs?.url)) problems.push(`bugs is ${JSON.stringify(bugs)}, not an https URL`);
  if (engines?.node !== expected.engines) problems.push(`engines.node is ${JSON.stringify(engines?.node)}, not ${JSON.stringify(expected.engines)}`);
  const shipped = new Set(files.keys());
  for (const [path, data] of files) {
    if (path.toLowerCase().endsWith('.md')) problems.push(...readmeLinkProblems(path, data.toString('utf8'), shipped));
  }
  return problems;
}
