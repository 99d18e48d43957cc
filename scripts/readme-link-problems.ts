import { posix } from 'node:path';
import { markdownLinks } from './markdown-links.js';

/**
 * What is wrong with the links of a Markdown file shipped in a package, one line each: a relative link must
 * name a file inside the package (`shipped`, paths relative to the package root; the file's own anchors
 * `#…` are fine), and every other link must be absolute `https:` (or `mailto:`). On npmjs.com a relative link
 * that leaves the package, or names a file not published, is a dead link.
 *
 * @param file the Markdown file's path inside the package (e.g. `README.md`)
 * @param markdown its text
 * @param shipped every file path in the package
 */
export function readmeLinkProblems(file: string, markdown: string, shipped: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const { target, line } of markdownLinks(markdown)) {
    const where = `${file}:${line} ${target}`;
    if (target.startsWith('#')) continue;
    if (/^(https:\/\/|mailto:)/i.test(target)) continue;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) {
      problems.push(`${where}: not an https: link`);
      continue;
    }
    const path = decodeURIComponent(target.replace(/[?#].*$/, ''));
    const resolved = posix.normalize(posix.join(posix.dirname(file), path));
    if (resolved === '..' || resolved.startsWith('../') || posix.isAbsolute(path)) {
      problems.push(`${where}: leaves the package (use an https:// link to the repository)`);
    } else if (!shipped.has(resolved)) {
      problems.push(`${where}: ${resolved} is not in the package`);
    }
  }
  return problems;
}
