import { build, createLogger, type InlineConfig, type Logger } from 'vite';

/**
 * Builds a page for production with Vite's defaults (no config file) and returns every warning and error Vite and
 * Rolldown reported, by way of Vite's logger (Rolldown's warnings reach it too). Info lines and the progress
 * lines are dropped.
 */
export async function viteBuildWarnings(root: string, outDir: string, config: InlineConfig = {}): Promise<string[]> {
  const messages: string[] = [];
  const base = createLogger('warn', { allowClearScreen: false });
  const record = (level: string) => (message: string) => {
    messages.push(`${level}: ${message}`);
  };
  const logger: Logger = {
    ...base,
    info: () => {},
    warn: record('warn'),
    warnOnce: record('warn'),
    error: record('error'),
  };
  // Built as `vite build` builds for a user: vitest sets NODE_ENV=test, under which Vite leaves out warnings
  // (among them "Module "node:…" has been externalized for browser compatibility").
  const nodeEnv = process.env.NODE_ENV;
  delete process.env.NODE_ENV;
  try {
    await build({ ...config, root, mode: 'production', configFile: false, logLevel: 'warn', customLogger: logger, build: { outDir, emptyOutDir: true, ...config.build } });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  return messages;
}
