/** npm settings worth keeping from the caller: where the registry is and how to reach it. */
const KEPT_NPM_CONFIG = /^npm_config_(registry|cache|userconfig|cafile|strict_ssl|proxy|https_proxy|noproxy|@[^_]+:registry)$/i;

/**
 * The environment for commands run in a fresh project outside the workspace (npm, node, tsc), as a user's
 * shell would have it: without NODE_PATH, which pnpm's bin shims point at the workspace's store
 * (node_modules/.pnpm/node_modules holds every package the workspace installed, so `require()` there would
 * find what the project never installed), without NODE_OPTIONS, and without the npm_* variables of the pnpm
 * script that started the tests (registry, cache, proxy and CA settings are kept).
 */
export function freshProjectEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'NODE_PATH' || key === 'NODE_OPTIONS') continue;
    if (/^npm_/i.test(key) && !KEPT_NPM_CONFIG.test(key)) continue;
    env[key] = value;
  }
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}
