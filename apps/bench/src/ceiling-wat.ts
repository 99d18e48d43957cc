/**
 * The ceiling kernels in WebAssembly text: the memory traffic of one RMSProp step and no arithmetic.
 *
 * Each function walks its buffers 16 bytes (one v128) at a time, 4 vectors per iteration then single
 * vectors for the rest, and per element reads every buffer once and writes every state buffer once, like
 * the update:
 *
 * ```text
 * plain               v ← v ⊕ g;  θ ← θ ⊕ v                      read θ g v,     write θ v       (5 streams)
 * momentum            v ← v ⊕ g;  b ← b ⊕ v;  θ ← θ ⊕ b          read θ g v b,   write θ v b     (7 streams)
 * centered            v ← v ⊕ g;  m ← m ⊕ g;  θ ← θ ⊕ v ⊕ m      read θ g v m,   write θ v m     (7 streams)
 * centered+momentum   v ← v ⊕ g;  m ← m ⊕ g;  b ← b ⊕ v ⊕ m;  θ ← θ ⊕ b                           (9 streams)
 * ```
 *
 * where ⊕ is a bitwise xor of the 128-bit vectors: a trivial bit operation, so the function is bound by
 * memory alone, and its output is a known function of its input (the tests check it). It works on bytes,
 * so one kernel serves float32 and float64 (twice the bytes per element). Every length is a byte count
 * that is a multiple of 16; pointers are 16-byte aligned offsets into the imported memory.
 */

/** The loads, xors and stores of one vector at byte offset `offset` from each pointer, per variant. */
function body(kind: 'plain' | 'momentum' | 'centered' | 'centeredMomentum', offset: number): string {
  const load = (ptr: string): string => `(v128.load offset=${offset} (local.get ${ptr}))`;
  const store = (ptr: string, value: string): string => `(v128.store offset=${offset} (local.get ${ptr}) ${value})`;
  const lines: string[] = [`(local.set $g ${load('$pg')})`, `(local.set $v (v128.xor ${load('$pv')} (local.get $g)))`, store('$pv', '(local.get $v)')];
  switch (kind) {
    case 'plain':
      lines.push(store('$pt', `(v128.xor ${load('$pt')} (local.get $v))`));
      break;
    case 'momentum':
      lines.push(`(local.set $b (v128.xor ${load('$pb')} (local.get $v)))`, store('$pb', '(local.get $b)'));
      lines.push(store('$pt', `(v128.xor ${load('$pt')} (local.get $b))`));
      break;
    case 'centered':
      lines.push(`(local.set $m (v128.xor ${load('$pm')} (local.get $g)))`, store('$pm', '(local.get $m)'));
      lines.push(store('$pt', `(v128.xor ${load('$pt')} (v128.xor (local.get $v) (local.get $m)))`));
      break;
    case 'centeredMomentum':
      lines.push(`(local.set $m (v128.xor ${load('$pm')} (local.get $g)))`, store('$pm', '(local.get $m)'));
      lines.push(`(local.set $b (v128.xor ${load('$pb')} (v128.xor (local.get $v) (local.get $m))))`, store('$pb', '(local.get $b)'));
      lines.push(store('$pt', `(v128.xor ${load('$pt')} (local.get $b))`));
      break;
  }
  return lines.map((l) => `        ${l}`).join('\n');
}

function kernel(kind: 'plain' | 'momentum' | 'centered' | 'centeredMomentum'): string {
  const pointers = ['$pt', '$pg', '$pv'];
  if (kind === 'centered' || kind === 'centeredMomentum') pointers.push('$pm');
  if (kind === 'momentum' || kind === 'centeredMomentum') pointers.push('$pb');
  const params = pointers.map((p) => `(param ${p} i32)`).join(' ');
  const advance = (step: number): string => pointers.map((p) => `(local.set ${p} (i32.add (local.get ${p}) (i32.const ${step})))`).join('\n        ');
  return `  (func (export "${kind}") ${params} (param $bytes i32)
    (local $end4 i32) (local $end i32) (local $g v128) (local $v v128) (local $m v128) (local $b v128)
    ;; $pt runs from its start to $end; the first loop takes 64 bytes per iteration while 64 remain.
    (local.set $end (i32.add (local.get $pt) (local.get $bytes)))
    (local.set $end4 (i32.sub (local.get $end) (i32.and (local.get $bytes) (i32.const 63))))
    (block $done4
      (loop $more4
        (br_if $done4 (i32.ge_u (local.get $pt) (local.get $end4)))
${[0, 16, 32, 48].map((o) => body(kind, o)).join('\n')}
        ${advance(64)}
        (br $more4)))
    (block $done
      (loop $more
        (br_if $done (i32.ge_u (local.get $pt) (local.get $end)))
${body(kind, 0)}
        ${advance(16)}
        (br $more))))`;
}

/**
 * The module: imports its memory as env.memory and exports plain, momentum, centered and centeredMomentum.
 * `shared`: the memory is a shared one (the 2-thread ceiling's threads run the module over one memory).
 */
export function ceilingWat(shared = false): string {
  return `(module
  (import "env" "memory" (memory 1${shared ? ' 65536 shared' : ''}))
${(['plain', 'momentum', 'centered', 'centeredMomentum'] as const).map(kernel).join('\n')}
)
`;
}
