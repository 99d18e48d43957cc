#!/usr/bin/env node
// Writes src/update-kernels.generated.ts from @rmsprop/core's update program. Run by `pnpm build`; the output
// is git-ignored, and a test fails when it is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderUpdateKernels } from './update-kernels-source.mjs';

writeFileSync(fileURLToPath(new URL('../src/update-kernels.generated.ts', import.meta.url)), renderUpdateKernels());
