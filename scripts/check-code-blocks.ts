/**
 * Type-checks code blocks as modules of a project of their own, as a user's code: for
 * scripts/docs-code-blocks.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import type { CodeBlock } from './extract-code-blocks.ts';

/** The module settings each block is compiled under: Node's own, and a bundler's. */
export type Configuration = 'node16' | 'bundler';

const CONFIGURATIONS: Readonly<Record<Configuration, ts.CompilerOptions>> = {
  node16: { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 },
  bundler: { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler },
};

/** One compiler error in a code block. */
export interface CodeBlockError {
  readonly block: CodeBlock;
  readonly configuration: Configuration;
  /** 1-based line and column in the Markdown file. */
  readonly line: number;
  readonly column: number;
  /** TypeScript's error number (TS2531 is 2531). */
  readonly code: number;
  readonly message: string;
}

export interface CheckCodeBlocksOptions {
  /**
   * What the project's node_modules holds: a package name (`@rmsprop/core`, `@types/node`) and the directory
   * it links to, whose package.json `exports` then resolve imports of it, as in an installed package.
   */
  readonly modules: Readonly<Record<string, string>>;
}

/** `path:line:column [configuration] TSnnnn: message`, naming the block where the error is not on its first line. */
export function formatCodeBlockError(error: CodeBlockError): string {
  const where = `${error.block.file}:${error.line}:${error.column}`;
  return `${where} [${error.configuration}] TS${error.code}: ${error.message} (in the ${error.block.language} block at ${error.block.file}:${error.block.line})`;
}

/**
 * Compiles every block as a module (`.ts` or `.js`, `moduleDetection: force`) of one temporary ESM project
 * (`"type": "module"`) whose node_modules links `options.modules`, with `strict: true`, `checkJs`,
 * `skipLibCheck` and target ES2022, once under each {@link Configuration}: `module`/`moduleResolution`
 * node16, and `module: esnext` with `moduleResolution: bundler`. Returns every error, mapped to its line in
 * the Markdown file; none when every block compiles under both. The project is removed afterwards.
 */
export function checkCodeBlocks(blocks: readonly CodeBlock[], options: CheckCodeBlocksOptions): CodeBlockError[] {
  const project = mkdtempSync(join(tmpdir(), 'rmsprop-code-blocks-'));
  try {
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'code-blocks', private: true, type: 'module' }));
    for (const [name, target] of Object.entries(options.modules)) {
      const link = join(project, 'node_modules', name);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(target, link, 'dir');
    }
    const files = blocks.map((block, i) => {
      const file = join(project, `block-${i}.${block.language}`);
      writeFileSync(file, block.code);
      return file;
    });
    const byFile = new Map(files.map((file, i) => [file, blocks[i]]));
    const common: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      allowJs: true,
      checkJs: true,
      skipLibCheck: true,
      moduleDetection: ts.ModuleDetectionKind.Force,
      types: Object.hasOwn(options.modules, '@types/node') ? ['node'] : [],
    };
    const errors: CodeBlockError[] = [];
    for (const configuration of Object.keys(CONFIGURATIONS) as Configuration[]) {
      const program = ts.createProgram(files, { ...common, ...CONFIGURATIONS[configuration] });
      for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
        if (diagnostic.category !== ts.DiagnosticCategory.Error) continue;
        const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
        const block = diagnostic.file === undefined ? undefined : byFile.get(diagnostic.file.fileName);
        if (block === undefined || diagnostic.file === undefined || diagnostic.start === undefined) {
          // Not in a block (the options, a declaration file): nothing the docs can fix, but never silent.
          throw new Error(`[${configuration}] TS${diagnostic.code} outside the code blocks: ${message}`);
        }
        const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
        errors.push({ block, configuration, line: block.line + line, column: block.indent + character + 1, code: diagnostic.code, message });
      }
    }
    return errors;
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}
