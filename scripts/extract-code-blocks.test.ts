import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractCodeBlocks } from './extract-code-blocks.ts';

const fixture = readFileSync(join(import.meta.dirname, '__fixtures__', 'code-blocks', 'blocks.md'), 'utf8');

describe('extractCodeBlocks', () => {
  it('finds ts, typescript, js and mjs blocks with the line of their first line of code', () => {
    const blocks = extractCodeBlocks(fixture, 'blocks.md');
    expect(blocks.map((b) => [b.line, b.language, b.indent])).toEqual([
      [6, 'ts', 0],
      [15, 'js', 0],
      [26, 'ts', 3],
      [53, 'js', 0],
      [58, 'ts', 0],
    ]);
    expect(blocks.every((b) => b.file === 'blocks.md')).toBe(true);
  });

  it('takes the fence indentation off, and leaves the code as written', () => {
    const [first, , indented] = extractCodeBlocks(fixture, 'blocks.md');
    expect(first.code).toBe("import { always } from 'fixture-lib';\n\nconst buffer: Float32Array = always();\nbuffer[0] += 1;");
    expect(indented.code).toBe("import { always } from 'fixture-lib';\nconst n: string = always().length;");
  });

  it('passes over no-check blocks, other languages and fences inside longer fences', () => {
    const code = extractCodeBlocks(fixture, 'blocks.md').map((b) => b.code).join('\n');
    expect(code).not.toMatch(/not JavaScript|pnpm test|"not"|inside a longer fence/);
  });

  it('runs a block left open to the end, and reads ~~~ fences and CRLF lines', () => {
    expect(extractCodeBlocks('text\r\n~~~js\r\nlet a = 1;\r\n~~~\r\n```ts\r\nlet b = 2;\r\n', 'x.md')).toEqual([
      { file: 'x.md', line: 3, language: 'js', code: 'let a = 1;', indent: 0 },
      { file: 'x.md', line: 6, language: 'ts', code: 'let b = 2;\n', indent: 0 },
    ]);
  });
});
