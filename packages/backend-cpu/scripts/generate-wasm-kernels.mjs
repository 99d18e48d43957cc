#!/usr/bin/env node
// Compiles the SIMD kernels (wasm-kernel-wat.mjs) with wabt and writes them, base64-encoded, into
// src/wasm/kernel-binaries.generated.ts: the package ships them inside its JavaScript, so nothing is
// fetched at run time. Run by `pnpm build`; the output is committed, and a test checks it is current.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileKernelModules, renderGeneratedFile } from './compile-wasm-kernels.mjs';

const target = fileURLToPath(new URL('../src/wasm/kernel-binaries.generated.ts', import.meta.url));
const { shared, unshared } = await compileKernelModules();
writeFileSync(target, renderGeneratedFile(shared, unshared));

