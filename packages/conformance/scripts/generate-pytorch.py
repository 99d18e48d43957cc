#!/usr/bin/python3
"""Golden vectors from torch.optim.RMSprop itself -> ../vectors/pytorch.json (format rmsprop-golden/1).

Run with Debian's interpreter, which has PyTorch and numpy:  /usr/bin/python3 generate-pytorch.py
Every case exists in float64 and float32. Inputs come from a numpy Generator seeded from the case's name,
so the file is reproducible; float32 inputs are rounded to float32 before PyTorch sees them.
The config is written the way PyTorch means it: ε outside the square root, η outside the momentum
buffer, coupled (L2) weight decay, v starting at 0.
"""

import os
import subprocess
import sys
import zlib

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from golden_json import encode, encode_array, write_golden  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'vectors', 'pytorch.json')

SPEC_DEFAULTS = {
    'learningRate': 0.001, 'rho': 0.9, 'epsilon': 1e-8, 'epsilonPlacement': 'outside', 'momentum': 0,
    'nesterov': False, 'learningRateInMomentum': False, 'centered': False, 'weightDecay': 0,
    'decoupledWeightDecay': False, 'maximize': False, 'initialMeanSquare': 0, 'biasCorrection': False,
}

TORCH_DEFAULTS = dict(lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False,
                      maximize=False)


def debian_version():
    try:
        out = subprocess.run(['dpkg-query', '-W', '-f=${Version}', 'python3-torch'], capture_output=True,
                             text=True, check=True).stdout.strip()
        return ' ' + out if out else ''
    except Exception:  # noqa: BLE001 - only decorates the source string
        return ''


SOURCE = 'torch.optim.RMSprop, PyTorch %s (Debian python3-torch%s)' % (torch.__version__, debian_version())


def spec_config(kw):
    """PyTorch's arguments as spec fields; fields equal to the spec default are left out, except that
    learningRate, rho and epsilon are always written."""
    full = dict(SPEC_DEFAULTS)
    full.update(learningRate=kw['lr'], rho=kw['alpha'], epsilon=kw['eps'], momentum=kw['momentum'],
                centered=kw['centered'], weightDecay=kw['weight_decay'], maximize=kw['maximize'],
                epsilonPlacement='outside', learningRateInMomentum=False, decoupledWeightDecay=False)
    out = {}
    for k, v in full.items():
        if k in ('learningRate', 'rho', 'epsilon') or v != SPEC_DEFAULTS[k]:
            out[k] = float(v) if isinstance(v, float) else v
    return out


def rng_for(what):
    return np.random.default_rng(zlib.crc32(what.encode()))


def varied(rng, shape):
    """Normal values with magnitudes spread over ~1e-2..1e1 and both signs."""
    return rng.standard_normal(shape) * 10.0 ** rng.uniform(-2, 1, shape)


# ---------------------------------------------------------------------------------------------------
# Case data. Each builder returns (params, grads[steps][n]) in float64; dtype-specific builders receive
# the dtype name.


def random_data(n, steps):
    def build(rng, dtype):
        return rng.standard_normal(n), varied(rng, (steps, n))
    return build


def zero_grads(rng, dtype):
    n, steps = 8, 10
    params = rng.standard_normal(n)
    grads = varied(rng, (steps, n))
    grads[:, 0] = 0.0          # element 0: zero at every step
    grads[:, 1] = 0.0          # element 1: zero at every step
    grads[0:2, :] = 0.0        # steps 1 and 2: every element zero (state starts at 0)
    grads[0:5, 2] = 0.0        # element 2: zero for five steps, then live
    grads[5, :] = 0.0          # step 6: every element zero after the state is non-zero
    grads[7, 3] = 0.0          # a lone zero
    return params, grads


def magnitudes(rng, dtype):
    n, steps = 10, 8
    params = rng.standard_normal(n)
    exps = np.linspace(-6, 3, n)  # element i has magnitude ~10^exps[i] at every step
    grads = np.empty((steps, n))
    for s in range(steps):
        jitter = rng.uniform(-0.3, 0.3, n)
        sign = rng.choice([-1.0, 1.0], n)
        grads[s] = sign * 10.0 ** np.clip(exps + jitter, -6, 3)
        grads[s] = grads[s][rng.permutation(n)] if s % 3 == 2 else grads[s]  # sometimes move the sizes
    return params, grads


def signed_zeros(rng, dtype):
    params = np.array([-0.0, 0.0, -0.0, 0.0, -0.0, 0.75, -1.25, 0.0])
    steps = 6
    grads = varied(rng, (steps, params.size))
    grads[:, 0] = -0.0                       # θ = −0, g = −0 throughout
    grads[:, 1] = -0.0                       # θ = +0, g = −0
    grads[:, 2] = 0.0                        # θ = −0, g = +0
    grads[:, 3] = [0.0, -0.0, 0.0, -0.0, 0.0, -0.0]
    grads[0:3, 4] = [-0.0, 0.0, -0.0]        # −0 start, then live gradients
    grads[1, 5] = -0.0
    grads[2, 6] = 0.0
    grads[3, 7] = -0.0
    return params, grads


def subnormal(rng, dtype):
    n, steps = 8, 6
    params = rng.standard_normal(n)
    grads = varied(rng, (steps, n))
    if dtype == 'float32':
        tiny = [1e-40, -1e-40, 1.4e-45, -3e-39, 1e-20]    # 1e-20: g² = 1e-40 is itself subnormal
    else:
        tiny = [1e-310, -1e-310, 5e-324, -2e-308, 1e-160]  # 1e-160: g² = 1e-320 is itself subnormal
    for i, t in enumerate(tiny):
        grads[:, i] = t
    grads[3, 0] = 0.5            # a normal gradient in the middle of the subnormal ones
    grads[2:, 5] = tiny[0]       # a live element that later sees only subnormal gradients
    return params, grads


def huge(rng, dtype):
    n, steps = 8, 6
    params = rng.standard_normal(n)
    grads = varied(rng, (steps, n))
    if dtype == 'float32':
        # Both (1−ρ)·g·g and g·g·(1−ρ) overflow float32 for 1e30 and 1e25; neither does for 1e18.
        big = [1e30, -1e30, 1e25, 1e18]
    else:
        # 1e30: g² = 1e60 is fine in float64; 1e200: g² overflows float64 in either order.
        big = [1e30, -1e30, 1e200, 1e100]
    for i, b in enumerate(big):
        grads[:, i] = b
    grads[3:, 1] = 0.25          # huge at first, then ordinary
    grads[2, 4] = big[0]         # one huge gradient in a live element
    return params, grads


# (what, torch kwargs, data builder, learning-rate schedule or None)
CASES = [
    ('defaults', {}, random_data(8, 10), None),
    ('lr0.001-alpha0.9', dict(lr=0.001, alpha=0.9), random_data(7, 8), None),
    ('momentum0.9', dict(momentum=0.9), random_data(9, 10), None),
    ('centered', dict(centered=True), random_data(8, 12), None),
    ('centered-momentum0.9-wd0.01', dict(centered=True, momentum=0.9, weight_decay=0.01), random_data(10, 10), None),
    ('centered-zero-grads', dict(centered=True), zero_grads, None),
    ('maximize', dict(maximize=True), random_data(6, 8), None),
    ('weight-decay0.05', dict(weight_decay=0.05), random_data(8, 8), None),
    ('schedule-momentum0.9', dict(momentum=0.9), random_data(8, 10),
     [0.01, 0.02, 0.005, 0.0, 0.03, 0.01, 0.001, 0.05, 0.02, 0.0075]),
    ('rho0', dict(alpha=0.0), random_data(8, 8), None),
    ('eps1', dict(eps=1.0), random_data(8, 8), None),
    ('eps1e-12', dict(eps=1e-12), random_data(8, 8), None),
    ('zero-grads', {}, zero_grads, None),
    ('magnitudes-1e-6..1e3', {}, magnitudes, None),
    ('signed-zeros', {}, signed_zeros, None),
] + [('length-%d' % n, {}, random_data(n, 3), None) for n in (0, 1, 3, 4, 5, 7, 8, 9, 1023)] + [
    ('subnormal-grads', {}, subnormal, None),
    ('huge-grads', {}, huge, None),
]

TORCH_DTYPES = {'float64': torch.float64, 'float32': torch.float32}
NP_DTYPES = {'float64': np.float64, 'float32': np.float32}


def run_case(what, kw_over, build, schedule, dtype):
    kw = dict(TORCH_DEFAULTS)
    kw.update(kw_over)
    if schedule is not None:
        kw['lr'] = schedule[0]
    params, grads = build(rng_for(what), dtype)
    # Inputs exactly as the dtype holds them (float32: rounded to nearest).
    params = np.asarray(params, dtype=NP_DTYPES[dtype])
    grads = np.asarray(grads, dtype=NP_DTYPES[dtype]).reshape(len(grads), params.size)
    tdt = TORCH_DTYPES[dtype]

    p = torch.tensor(params, dtype=tdt, requires_grad=True)
    opt = torch.optim.RMSprop([p], **kw)
    expected = []
    for s in range(grads.shape[0]):
        if schedule is not None:
            opt.param_groups[0]['lr'] = schedule[s]
        p.grad = torch.tensor(grads[s], dtype=tdt)
        opt.step()
        expected.append(encode_array(p.detach().clone()))

    state = opt.state[p]
    final = {'meanSquare': encode_array(state['square_avg'])}
    if kw['centered']:
        final['meanGrad'] = encode_array(state['grad_avg'])
        # PyTorch does not clamp v − m²; the spec does. Report where PyTorch's variance went negative.
    if kw['momentum'] > 0:
        final['momentum'] = encode_array(state['momentum_buffer'])

    source = '%s, %s' % (SOURCE, dtype)
    if what == 'huge-grads' and dtype == 'float32':
        source += '; g² overflows float32 in PyTorch (v becomes Infinity, the update 0)'
    case = {
        'name': 'pytorch/%s/%s' % (dtype, what),
        'source': source,
        'dtype': dtype,
        'config': spec_config(kw),
    }
    if schedule is not None:
        case['learningRateSchedule'] = [float(x) for x in schedule]
    case.update(params=encode_array(params), grads=[encode_array(g) for g in grads], expected=expected,
                finalState=final)
    has_nan = any(x == 'NaN' for row in expected for x in row)
    return case, has_nan


def main():
    torch.set_num_threads(1)
    cases, dropped = [], []
    for dtype in ('float64', 'float32'):
        for what, kw, build, schedule in CASES:
            case, has_nan = run_case(what, kw, build, schedule, dtype)
            if has_nan:
                dropped.append(case['name'])
                continue
            cases.append(case)
    size = write_golden(OUT, cases)
    print('wrote %s: %d cases, %d bytes' % (os.path.normpath(OUT), len(cases), size))
    if dropped:
        print('dropped (PyTorch produced NaN):', ', '.join(dropped))


if __name__ == '__main__':
    main()
