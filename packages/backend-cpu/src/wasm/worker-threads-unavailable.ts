/**
 * Why there are no helper threads here, in the module that `#worker-threads` (package.json "imports") names
 * where the "node" condition is absent: browser builds. Under "node" (Node, Deno, Bun) `#worker-threads` is
 * Node's worker_threads itself; every other build gets this module in its place, which names no Node
 * built-in, so that a bundler has nothing to externalize or warn about. The pool (kernel-thread-pool.ts)
 * finds this export and runs on one thread with it as the reason.
 */
export const WORKER_THREADS_UNAVAILABLE =
  'this is the browser build of @rmsprop/backend-cpu, which has no node:worker_threads (package.json "imports" maps #worker-threads to a stand-in where the "node" condition is absent)';
