import type { BackendDetails, RMSPropBackend } from './backend.js';
import { describeReason } from './describe-reason.js';
import { describeValue } from './errors.js';

/** What the registry reads from a factory's result, read once (a getter is not asked twice). */
export interface BackendShape {
  readonly backend: RMSPropBackend;
  /** `backend.specVersion` as read; the caller compares it with `SPEC_VERSION`. */
  readonly specVersion: unknown;
  /** A copy of `backend.capabilities.dtypes` as read (elements unchecked). */
  readonly dtypes: readonly unknown[];
  /** A shallow copy of `backend.capabilities.details`. */
  readonly details: BackendDetails;
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/**
 * Reads a factory's result as an {@link RMSPropBackend}: its `specVersion`, a string `name`, a `capabilities`
 * object with a `dtypes` array and a `details` object, and `createSlot`, `step` and `dispose` functions. Returns
 * what it read, or what is wrong (e.g. "capabilities is undefined, expected an object"; "reading X threw: …"
 * where a getter throws). Never throws.
 */
export function readBackendShape(value: unknown): BackendShape | string {
  if (!isObject(value)) return `it resolved to ${describeValue(value)}`;
  let reading = 'specVersion';
  try {
    const object = value as Record<string, unknown>;
    const specVersion = object.specVersion;
    reading = 'name';
    const name = object.name;
    if (typeof name !== 'string') return `name is ${describeValue(name)}, expected a string`;
    reading = 'capabilities';
    const capabilities = object.capabilities;
    if (!isObject(capabilities)) return `capabilities is ${describeValue(capabilities)}, expected an object`;
    reading = 'capabilities.dtypes';
    const dtypes = (capabilities as Record<string, unknown>).dtypes;
    if (!Array.isArray(dtypes)) return `capabilities.dtypes is ${describeValue(dtypes)}, expected an array`;
    const dtypesCopy: readonly unknown[] = Array.from(dtypes as unknown[]);
    reading = 'capabilities.details';
    const details = (capabilities as Record<string, unknown>).details;
    if (!isObject(details)) return `capabilities.details is ${describeValue(details)}, expected an object`;
    const detailsCopy: BackendDetails = { ...(details as BackendDetails) };
    for (const method of ['createSlot', 'step', 'dispose']) {
      reading = method;
      const member = object[method];
      if (typeof member !== 'function') return `${method} is ${describeValue(member)}, expected a function`;
    }
    return { backend: value as RMSPropBackend, specVersion, dtypes: dtypesCopy, details: detailsCopy };
  } catch (error) {
    return `reading ${reading} threw: ${describeReason(error)}`;
  }
}
