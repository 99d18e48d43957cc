import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConformanceBackend } from './conformance-implementation.js';
import { resolveFrom } from './resolve-from.js';

/**
 * The tfjs backend that prints the banner: tfjs-backend-cpu's MathBackendCPU, on its first tensor, when
 * `env().get('IS_NODE')` ("Hi, looks like you are running TensorFlow.js in Node.js. To speed things up
 * dramatically, install our node backend…"). It prints it with tfjs-core's `log.warn`, which is silent
 * while the flag IS_TEST or PROD is set.
 */
const BANNER_SETUP = '@tensorflow/tfjs-backend-cpu';

/** The part of tfjs-core's environment (`tf.env()`) used here. */
interface TfjsEnvironment {
  getBool(flag: string): boolean;
  set(flag: string, value: boolean): void;
}

/** tfjs-core's environment, from where the row's backend package finds tfjs-core; undefined if none. */
async function tfjsEnvironment(entry: ConformanceBackend, directory: string): Promise<TfjsEnvironment | undefined> {
  const project = join(directory, 'package.json');
  const backendModule = resolveFrom(entry.module, [project, import.meta.url]);
  const core = resolveFrom('@tensorflow/tfjs-core', backendModule === undefined ? [project] : [project, backendModule]);
  if (core === undefined) return undefined;
  const mod = (await import(pathToFileURL(core).href)) as { env?: unknown; default?: { env?: unknown } };
  const env = typeof mod.env === 'function' ? mod.env : mod.default?.env;
  return typeof env === 'function' ? (env as () => TfjsEnvironment)() : undefined;
}

/**
 * Runs `start` (the factory of a table row, as the CLI calls it) so that tfjs's Node banner is not printed:
 * for a row on tfjs's cpu backend, with tfjs's documented PROD flag (`tf.enableProdMode()`) set while the
 * factory makes its first tensors, and set back to what it was afterwards, whether `start` succeeds or
 * throws. PROD rather than IS_TEST, which also turns on tfjs's check for leaks in every kernel. Any other
 * row runs `start` as it is, and tfjs's warnings outside the factory (when packages are imported, while
 * the cases run) are printed as ever.
 */
export async function withoutTfjsNodeBanner<T>(entry: ConformanceBackend, directory: string, start: () => T | Promise<T>): Promise<T> {
  const environment = entry.setup?.includes(BANNER_SETUP) === true ? await tfjsEnvironment(entry, directory) : undefined;
  if (environment === undefined) return start();
  const before = environment.getBool('PROD');
  environment.set('PROD', true);
  try {
    return await start();
  } finally {
    environment.set('PROD', before);
  }
}
