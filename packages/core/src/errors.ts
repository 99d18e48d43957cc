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
  | 'INVALID_STATE_DICT'
  | 'REENTRANT_CALL';

/**
 * The longest message an {@link RMSPropError} keeps: a safety net under `describeValue`, for a message
 * that interpolates something unbounded without it (a longer one keeps its start and says its length).
 */
const MAX_MESSAGE_CHARACTERS = 10_000;

/** Base class of every error thrown by @rmsprop packages. */
export class RMSPropError extends Error {
  readonly code: RMSPropErrorCode;
  constructor(code: RMSPropErrorCode, message: string, options?: { cause?: unknown }) {
    super(clip(String(message), MAX_MESSAGE_CHARACTERS), options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The most characters of a string (or digits of a bigint, or of a name) a message shows. */
const SHOWN_CHARACTERS = 100;
/** The most characters of a field's path a message shows (a path may hold a user's key). */
const SHOWN_FIELD_CHARACTERS = 200;
/** The most elements of an array `describeList` shows. */
const SHOWN_ELEMENTS = 10;
/** The most names `describeNames` shows. */
const SHOWN_NAMES = 20;

/** The first `max` UTF-16 code units of `text`, one fewer where the last would split a surrogate pair. */
function head(text: string, max: number): string {
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** `text` as it is when short; else its start, an ellipsis and its length (`unit` names what is counted). */
function clip(text: string, max = SHOWN_CHARACTERS): string {
  return text.length <= max ? text : `${head(text, max)}… (${text.length} characters)`;
}

/**
 * Renders a user-supplied value for an error message: numbers, booleans, null and undefined as written;
 * strings quoted, the first 100 characters of a longer one followed by its length; typed arrays, arrays and
 * objects summarised by their kind and length (`Float32Array(3)`, `Array(2)`, `Object`), never their
 * contents. So the result is short whatever the value (a 22 MB string, a cyclic or deeply nested
 * structure), and this never throws (a revoked Proxy, a throwing getter: `an unreadable value`).
 */
export function describeValue(value: unknown): string {
  try {
    return describeOrThrow(value);
  } catch {
    return 'an unreadable value';
  }
}

function describeOrThrow(value: unknown): string {
  switch (typeof value) {
    case 'string': {
      if (value.length <= SHOWN_CHARACTERS) return JSON.stringify(value);
      return `${JSON.stringify(head(value, SHOWN_CHARACTERS))}… (${value.length} characters)`;
    }
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint': {
      const digits = String(value);
      return digits.length <= SHOWN_CHARACTERS ? digits : `${digits.slice(0, SHOWN_CHARACTERS)}… (${digits.length} digits)`;
    }
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'symbol':
      return 'Symbol';
    case 'function':
      return 'a function';
  }
  if (value === null) return 'null';
  if (ArrayBuffer.isView(value)) {
    const length = (value as unknown as { length?: unknown }).length;
    const size = typeof length === 'number' ? length : value.byteLength;
    return `${clip(String(value.constructor.name))}(${size})`;
  }
  if (Array.isArray(value)) return `Array(${value.length})`;
  return clip(Object.prototype.toString.call(value).slice(8, -1));
}

/**
 * Renders an array of user-supplied values for a message: `["w", "b"]`, each element through
 * {@link describeValue} (so never more than one level deep), at most 10 of them followed by the count.
 */
export function describeList(values: readonly unknown[]): string {
  try {
    const shown: string[] = [];
    const count = Math.min(values.length, SHOWN_ELEMENTS);
    for (let i = 0; i < count; i++) shown.push(describeValue(values[i]));
    if (values.length > count) shown.push(`… (${values.length} in all)`);
    return `[${shown.join(', ')}]`;
  } catch {
    return 'an unreadable value';
  }
}

/**
 * Renders names (parameter names) for a message, unquoted and comma-separated (`w, b`): at most 20, each
 * cut to its first 100 characters, followed by the count where there are more.
 */
export function describeNames(names: readonly string[]): string {
  const count = Math.min(names.length, SHOWN_NAMES);
  const shown: string[] = [];
  for (let i = 0; i < count; i++) shown.push(clip(String(names[i])));
  if (names.length > count) shown.push(`… (${names.length} in all)`);
  return shown.join(', ');
}

/** A configuration field outside its allowed range. */
export class ConfigError extends RMSPropError {
  readonly field: string;
  readonly value: unknown;
  readonly allowed: string;
  constructor(field: string, value: unknown, allowed: string, where = 'RMSProp config') {
    super('INVALID_CONFIG', `${where}: ${clip(field, SHOWN_FIELD_CHARACTERS)} = ${describeValue(value)} is not allowed; expected ${allowed}`);
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
    super('INVALID_ARGUMENT', `${clip(field, SHOWN_FIELD_CHARACTERS)} = ${describeValue(value)} is not allowed; expected ${allowed}`);
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
      `gradient of ${describeValue(parameter)} has a non-finite value ${describeValue(value)} at index ${index}; expected finite numbers ` +
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

/**
 * A call into an object from user code that object is running: an optimizer's `step()` runs schedules and
 * reads gradients (getters, proxies), and a step, a state load, a parameter write or a dispose started from
 * there would change the optimizer under the step that called it.
 */
export class ReentrancyError extends RMSPropError {
  /** The operation that was called (`"step"`, `"dispose"`, …). */
  readonly operation: string;
  /** The operation that was running. */
  readonly running: string;
  constructor(what: string, operation: string, running: string, from: string) {
    super('REENTRANT_CALL', `${what}.${operation}() was called while its ${running}() runs (${from}); call it after ${running}() returns`);
    this.operation = operation;
    this.running = running;
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
