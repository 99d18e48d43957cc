/**
 * The TypeScript and JavaScript code blocks of a Markdown file, for scripts/docs-code-blocks.test.ts.
 */

/** A fenced code block to type-check. */
export interface CodeBlock {
  /** The Markdown file, as given (a path relative to the repository root in reports). */
  readonly file: string;
  /** The 1-based line of the block's first line of code in `file`. */
  readonly line: number;
  /** `ts` for ```ts and ```typescript blocks, `js` for ```js, ```javascript and ```mjs. */
  readonly language: 'ts' | 'js';
  /** The code, with the fence's indentation taken off each line. */
  readonly code: string;
  /** How many spaces of indentation were taken off (the opening fence's). */
  readonly indent: number;
}

/**
 * The marker that keeps a ts or js block out of the check, after the language: ```js no-check. For a
 * sketch that cannot compile on its own (say, a fragment of a larger file); a block that can, should.
 */
export const NO_CHECK = 'no-check';

const LANGUAGES: Readonly<Record<string, CodeBlock['language']>> = { ts: 'ts', typescript: 'ts', js: 'js', javascript: 'js', mjs: 'js' };

/** An opening fence: indentation, three or more backticks or tildes, and the info string. */
const OPENING = /^( *)(`{3,}|~{3,})(.*)$/;

/**
 * Every fenced code block of `markdown` whose info string starts with ts, typescript, js, javascript or
 * mjs and does not say {@link NO_CHECK}, in order. Fences may be indented (blocks in lists); other blocks
 * (sh, json, text, none) are passed over, and a block left open runs to the end of the file, as in
 * CommonMark.
 */
export function extractCodeBlocks(markdown: string, file: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const open = OPENING.exec(lines[i]);
    if (open === null || (open[2][0] === '`' && open[3].includes('`'))) {
      i++;
      continue;
    }
    const [, indent, fence, info] = open;
    const closing = new RegExp(`^ *${fence[0] === '`' ? '`' : '~'}{${fence.length},} *$`);
    const start = i + 1;
    let end = start;
    while (end < lines.length && !closing.test(lines[end])) end++;
    const [word = '', ...flags] = info.trim().split(/\s+/);
    const language = Object.hasOwn(LANGUAGES, word.toLowerCase()) ? LANGUAGES[word.toLowerCase()] : undefined;
    if (language !== undefined && !flags.includes(NO_CHECK)) {
      const code = lines
        .slice(start, end)
        .map((line) => line.slice(Math.min(indent.length, line.length - line.trimStart().length)))
        .join('\n');
      blocks.push({ file, line: start + 1, language, code, indent: indent.length });
    }
    i = end + 1;
  }
  return blocks;
}
