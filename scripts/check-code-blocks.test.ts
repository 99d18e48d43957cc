import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCodeBlocks, formatCodeBlockError } from './check-code-blocks.ts';
import { extractCodeBlocks } from './extract-code-blocks.ts';

const fixtures = join(import.meta.dirname, '__fixtures__', 'code-blocks');
const blocks = extractCodeBlocks(readFileSync(join(fixtures, 'blocks.md'), 'utf8'), 'blocks.md');

describe('checkCodeBlocks', () => {
  it('reports each error under strict with the Markdown line and column, once per configuration', { timeout: 60_000 }, () => {
    const errors = checkCodeBlocks(blocks, { modules: { 'fixture-lib': join(fixtures, 'fixture-lib') } });
    expect(errors.map(formatCodeBlockError)).toEqual([
      "blocks.md:18:1 [node16] TS18047: 'buffer' is possibly 'null'. (in the js block at blocks.md:15)",
      "blocks.md:27:10 [node16] TS2322: Type 'number' is not assignable to type 'string'. (in the ts block at blocks.md:26)",
      "blocks.md:18:1 [bundler] TS18047: 'buffer' is possibly 'null'. (in the js block at blocks.md:15)",
      "blocks.md:27:10 [bundler] TS2322: Type 'number' is not assignable to type 'string'. (in the ts block at blocks.md:26)",
    ]);
    expect(errors[0].block).toBe(blocks[1]);
  });

  it('resolves packages through node_modules only: a package not given is an error in its block', { timeout: 60_000 }, () => {
    const errors = checkCodeBlocks([blocks[0]], { modules: {} });
    expect(errors.map((e) => [e.line, e.configuration, e.code])).toEqual([
      [6, 'node16', 2307],
      [6, 'bundler', 2307],
    ]);
  });
});
