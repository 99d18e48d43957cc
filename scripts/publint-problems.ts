import { readFileSync } from 'node:fs';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

/**
 * publint's messages on a package tarball, strict (warnings count as errors; suggestions are reported
 * too), one line each: `type CODE: message`. Empty when publint has nothing to say. The tarball is linted
 * as packed: its own file list decides what is published.
 */
export async function publintProblems(tarball: string): Promise<string[]> {
  const bytes = readFileSync(tarball);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const { messages, pkg } = await publint({ pack: { tarball: buffer }, strict: true, level: 'suggestion' });
  return messages.map((m) => `${m.type} ${m.code}: ${formatMessage(m, pkg, { color: false }) ?? JSON.stringify(m.args)}`);
}
