import type { KernelConstantName, ProgramBuffer, ProgramExpression, UpdateProgram } from './update-program.js';
import type { StateBufferName } from './state-buffers.js';

/** How a C-like target (JavaScript, gpu.js's JavaScript subset, GLSL, WGSL) spells the program's parts. */
export interface SourceDialect {
  /** A load of the current element of `buffer`. */
  readonly load: (buffer: ProgramBuffer) => string;
  /** A per-call constant. */
  readonly constant: (name: KernelConstantName) => string;
  /** A local's name. */
  readonly local: (name: string) => string;
  /** The statement binding a local. */
  readonly bind: (name: string, value: string) => string;
  /** The statement storing into θ or a state buffer. */
  readonly store: (buffer: 'param' | StateBufferName, value: string) => string;
  /** √x. */
  readonly sqrt: (x: string) => string;
  /** max(x, 0) keeping NaN; `x` is a local's name. */
  readonly max0: (x: string) => string;
  /** x clamped to the dtype's finite range, NaN kept (the `saturate` operation); `x` is a local's name. */
  readonly saturate: (x: string, nonNegative: boolean) => string;
  /**
   * `x` finite ? `product` : x, where `product` is scale·x (the `scaleFinite` operation; `x` is a local's
   * name). Default: `whereFinite(x, product, x)`.
   */
  readonly scaleFinite?: (x: string, product: string) => string;
  /** `test` finite ? a : b. */
  readonly whereFinite: (test: string, a: string, b: string) => string;
  /**
   * Where given, the result of every + − × ÷ and √ is passed through it: a target that computes in float64
   * rounds each operation to float32 with `Math.fround`, which gives the float32 result exactly (float64
   * carries more than twice float32's precision, so rounding twice is rounding once for these operations).
   * Such a target also rounds the constants (in `constant`, or once before its loop).
   */
  readonly round?: (x: string) => string;
}

const PRECEDENCE = { add: 1, sub: 1, mul: 2, div: 2 } as const;

/**
 * An expression as infix source with the fewest parentheses that keep the program's exact order: a left
 * operand is parenthesized only when it binds more loosely, a right operand also when it binds equally
 * (a − (b − c), a + (b + c): floating-point addition is not associative).
 */
export function expressionSource(e: ProgramExpression, dialect: SourceDialect): string {
  const round = dialect.round;
  switch (e.op) {
    case 'load':
      return dialect.load(e.buffer);
    case 'constant':
      return dialect.constant(e.name);
    case 'local':
      return dialect.local(e.name);
    case 'sqrt': {
      const root = dialect.sqrt(expressionSource(e.a, dialect));
      return round === undefined ? root : round(root);
    }
    case 'max0':
      return dialect.max0(dialect.local(e.a.name));
    case 'saturate':
      return dialect.saturate(dialect.local(e.a.name), e.nonNegative === true);
    case 'scaleFinite': {
      const x = dialect.local(e.a.name);
      const product = expressionSource({ op: 'mul', a: { op: 'constant', name: e.scale }, b: e.a }, dialect);
      return dialect.scaleFinite === undefined ? dialect.whereFinite(x, product, x) : dialect.scaleFinite(x, product);
    }
    case 'whereFinite':
      return dialect.whereFinite(expressionSource(e.test, dialect), expressionSource(e.a, dialect), expressionSource(e.b, dialect));
    default: {
      const p = PRECEDENCE[e.op];
      const symbol = { add: '+', sub: '-', mul: '*', div: '/' }[e.op];
      if (round !== undefined) return round(`${expressionSource(e.a, dialect)} ${symbol} ${expressionSource(e.b, dialect)}`);
      const side = (x: ProgramExpression, right: boolean) => {
        const text = expressionSource(x, dialect);
        const q = x.op in PRECEDENCE ? PRECEDENCE[x.op as keyof typeof PRECEDENCE] : 3;
        return q < p || (right && q === p) ? `(${text})` : text;
      };
      return `${side(e.a, false)} ${symbol} ${side(e.b, true)}`;
    }
  }
}

/** The program's statements as source lines, in order. */
export function programSource(program: UpdateProgram, dialect: SourceDialect): string[] {
  return program.statements.map((s) =>
    s.kind === 'let' ? dialect.bind(s.name, expressionSource(s.value, dialect)) : dialect.store(s.buffer, expressionSource(s.value, dialect)),
  );
}
