// Node-only helpers: reading golden-vector files and the vectors shipped with this package.
export { committedVectorFiles, committedVectorsDirectory, loadCommittedVectors, readGoldenFile, readGoldenFiles } from './load-golden-files.js';
export { loadBackendFactory } from './load-backend.js';
export type { LoadedFactory } from './load-backend.js';
