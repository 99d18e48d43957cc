#!/usr/bin/env node
// Writes every file generated from @rmsprop/core's update program into src/: the JS loops, the WebAssembly
// kernels' ABI, and the WebAssembly binaries (compiled with wabt, base64-encoded, one module each, so nothing
// is fetched at run time but the chunk a page needs). Run by `pnpm build`; git ignores the output, and a test
// fails when it is stale. A generated file the generator no longer makes (src/wasm/kernel-binaries.generated.ts,
// both binaries in one module, before they were split) is deleted: tsc would otherwise still compile it into dist.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from './generated-files.mjs';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const files = await generatedFiles();
for (const [path, text] of Object.entries(files)) writeFileSync(`${packageDir}${path}`, text);
for (const path of readdirSync(`${packageDir}src`, { recursive: true, encoding: 'utf8' })) {
  const relative = `src/${path.split('\\').join('/')}`;
  if (relative.endsWith('.generated.ts') && !(relative in files)) rmSync(`${packageDir}${relative}`);
}
