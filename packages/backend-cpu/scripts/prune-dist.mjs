#!/usr/bin/env node
// Deletes the outputs in dist/ whose source in src/ is gone (stale-outputs.mjs says which). Run by
// `pnpm build` after tsc.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { staleOutputs } from './stale-outputs.mjs';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
for (const path of staleOutputs(packageDir)) {
  rmSync(`${packageDir}${path}`);
  console.log(`removed ${path} (its source is gone)`);
}
