/**
 * The contract points the gpu.js backend is known to break, for defineBackendContractSuite (they run as
 * `it.fails`, so the suite says when one is fixed). In __fixtures__ so that the build leaves it out of dist.
 * None at present: a point named here must fail, or the suite says it is fixed.
 */
export const knownFailures: Readonly<Record<string, string>> = {};
