// @rmsprop/app-kit/cli: command-line helpers for the Node apps. They import node: built-ins, so they live
// in this entry, apart from the browser-safe main entry.
export { isMainModule } from './is-main-module.js';
export { optionFlag, parseCommandLine, type FlagOption, type OptionSpec, type ParsedOptions, type ValueOption } from './parse-command-line.js';
export { readCommandLine, type CommandLine, type UsageStreams } from './read-command-line.js';
export { UsageError } from './usage-error.js';
