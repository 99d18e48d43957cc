#!/usr/bin/env node
// Writes every file generated from @rmsprop/core's update program into src/: the JS loops, the WebAssembly
// kernels' ABI, and the WebAssembly binaries (compiled with wabt, base64-encoded, so nothing is fetched at
// run time). Run by `pnpm build`; git ignores the output, and a test fails when it is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from './generated-files.mjs';

for (const [path, text] of Object.entries(await generatedFiles())) {
  writeFileSync(fileURLToPath(new URL(`../${path}`, import.meta.url)), text);
}
