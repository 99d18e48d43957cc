/**
 * The contract points the tfjs backend is known to break, for defineBackendContractSuite (they run as
 * `it.fails`, so the suite says when one is fixed). In __fixtures__ so that the build leaves it out of dist.
 */
export const knownFailures = {
  // Bug: TfjsBackend.step's checkUpdate reads `updates[i].slot` before any check, so a null update throws a
  // TypeError ("Cannot read properties of null") instead of an ArgumentError naming updates[i]. Nothing has
  // been written when it throws; only the error is untyped.
  'an update that is null, last or first in the step: ArgumentError': 'step() throws a TypeError, not an ArgumentError, for a null update',
};
