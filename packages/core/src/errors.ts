/**
 * Typed errors. Every error thrown by @rmsprop packages is an {@link RMSPropError} with a stable `code`;
 * messages name the field, the value that was given and what is allowed.
 */

/** Stable codes for {@link RMSPropError}. */
export type RMSPropErrorCode =
  | 'INVALID_CONFIG'
  | 'INVALID_ARGUMENT'
  | 'UNKNOWN_PARAMETER'
  | 'MISSING_PARAMETER'
  | 'LENGTH_MISMATCH'
  | 'DTYPE_MISMATCH'
  | 'NON_FINITE_GRADIENT'
  | 'DISPOSED'
  | 'BACKEND_UNAVAILABLE'
  | 'INVALID_STATE_DICT';

/** Base class of every error thrown by @rmsprop packages. */
export class RMSPropError extends Error {
  readonly code: RMSPropErrorCode;
  constructor(code: RMSPropErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Renders a user-supplied value for an error message (strings quoted, typed arrays summarised). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (value === null || value === undefined || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (ArrayBuffer.isView(value)) {
    return `${value.constructor.name}(${(value as unknown as { length?: number }).length ?? value.byteLength})`;
  }
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (typeof value === 'function') return 'a function';
  return Object.prototype.toString.call(value).slice(8, -1);
}

/** A configuration field outside its allowed range. */
export class ConfigError extends RMSPropError {
  readonly field: string;
  readonly value: unknown;
  readonly allowed: string;
  constructor(field: string, value: unknown, allowed: string, where = 'RMSProp config') {
    super('INVALID_CONFIG', `${where}: ${field} = ${describeValue(value)} is not allowed; expected ${allowed}`);
    this.field = field;
    this.value = value;
    this.allowed = allowed;
  }
}

/** A function argument that is not of the allowed form. */
export class ArgumentError extends RMSPropError {
  readonly field: string;
  readonly value: unknown;
  constructor(field: string, value: unknown, allowed: string) {
    super('INVALID_ARGUMENT', `${field} = ${describeValue(value)} is not allowed; expected ${allowed}`);
    this.field = field;
    this.value = value;
  }
}

/** A parameter name the optimizer does not know, a missing one, or one given twice. */
export class ParameterNameError extends RMSPropError {
  readonly parameter: string;
  constructor(code: 'UNKNOWN_PARAMETER' | 'MISSING_PARAMETER', parameter: string, message: string) {
    super(code, message);
    this.parameter = parameter;
  }
}

/** A gradient or state array whose length or dtype does not match its parameter. */
export class ShapeError extends RMSPropError {
  readonly parameter: string;
  constructor(code: 'LENGTH_MISMATCH' | 'DTYPE_MISMATCH', parameter: string, message: string) {
    super(code, message);
    this.parameter = parameter;
  }
}

/** A NaN or infinite gradient element under the 'error' policy. */
export class NonFiniteGradientError extends RMSPropError {
  readonly parameter: string;
  readonly index: number;
  readonly value: number;
  constructor(parameter: string, index: number, value: number) {
    super(
      'NON_FINITE_GRADIENT',
      `gradient of "${parameter}" has a non-finite value ${value} at index ${index}; expected finite numbers ` +
        `(set nonFiniteGradients to 'skip' to skip such steps, or 'propagate' to apply them)`,
    );
    this.parameter = parameter;
    this.index = index;
    this.value = value;
  }
}

/** Use of an optimizer or backend after dispose(). */
export class DisposedError extends RMSPropError {
  constructor(what: string, operation: string) {
    super('DISPOSED', `${what} was disposed; ${operation}() is not allowed after dispose()`);
  }
}

/** One backend's reason for not being usable here. */
export interface BackendSkip {
  readonly name: string;
  readonly reason: string;
}

/** No registered backend could be initialised (or the one asked for is missing). */
export class BackendUnavailableError extends RMSPropError {
  readonly skipped: readonly BackendSkip[];
  constructor(message: string, skipped: readonly BackendSkip[]) {
    const detail = skipped.map((s) => `\n  - ${s.name}: ${s.reason}`).join('');
    super('BACKEND_UNAVAILABLE', message + detail);
    this.skipped = skipped;
  }
}

/** A state dict that is malformed or does not fit the optimizer it is loaded into. */
export class StateDictError extends RMSPropError {
  readonly path: string;
  constructor(path: string, message: string) {
    super('INVALID_STATE_DICT', `state dict ${path}: ${message}`);
    this.path = path;
  }
}
