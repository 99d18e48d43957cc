#!/usr/bin/python3
"""Golden vectors from a plain numpy `rmsprop_update`, run in numpy float64 -> ../vectors/numpy.json.

Run with Debian's interpreter (it has numpy):  /usr/bin/python3 generate-numpy.py
`rmsprop_update` below is an independent implementation of the update in a few lines of numpy, written
without the spec's code; its defaults are the spec's (η 0.001, ρ 0.9, ε 1e-8 outside the square root,
v from 0), so every case's config is {}. Inputs come from a numpy Generator seeded from the case's name.
"""

import os
import sys
import zlib

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

from golden_json import encode_array, write_golden  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'vectors', 'numpy.json')
SOURCE = 'a plain numpy rmsprop_update (numpy %s, float64)' % np.__version__


# The whole update, as plain numpy code would write it.
def rmsprop_update(params, grads, cache, lr=0.001, rho=0.9, eps=1e-8):
    cache = rho * cache + (1 - rho) * grads ** 2
    params = params - lr * grads / (np.sqrt(cache) + eps)
    return params, cache


def varied(rng, shape):
    """Normal values with magnitudes spread over ~1e-2..1e1 and both signs."""
    return rng.standard_normal(shape) * 10.0 ** rng.uniform(-2, 1, shape)


def random_case(n, steps):
    def build(rng):
        return rng.standard_normal(n), varied(rng, (steps, n))
    return build


def zero_element(rng):
    params, grads = random_case(8, 10)(rng)
    grads[:, 2] = 0.0      # one element never gets a gradient
    grads[0, 5] = 0.0      # another starts with a zero gradient
    grads[6, :] = 0.0      # one step with no gradient at all
    return params, grads


def magnitudes(rng):
    n, steps = 10, 8
    params = rng.standard_normal(n)
    exps = np.linspace(-6, 3, n)
    grads = rng.choice([-1.0, 1.0], (steps, n)) * 10.0 ** np.clip(exps + rng.uniform(-0.3, 0.3, (steps, n)), -6, 3)
    return params, grads


CASES = [
    ('8x10', random_case(8, 10)),
    ('zero-gradient-element', zero_element),
    ('length-1', random_case(1, 10)),
    ('magnitudes-1e-6..1e3', magnitudes),
]


def main():
    cases = []
    for what, build in CASES:
        params, grads = build(np.random.default_rng(zlib.crc32(what.encode())))
        params = np.asarray(params, dtype=np.float64)
        grads = np.asarray(grads, dtype=np.float64)
        theta, cache = params.copy(), np.zeros_like(params)
        expected = []
        for g in grads:
            theta, cache = rmsprop_update(theta, g, cache)
            expected.append(encode_array(theta))
        cases.append({
            'name': 'numpy/float64/%s' % what,
            'source': SOURCE,
            'dtype': 'float64',
            'config': {},
            'params': encode_array(params),
            'grads': [encode_array(g) for g in grads],
            'expected': expected,
            'finalState': {'meanSquare': encode_array(cache)},
        })
    size = write_golden(OUT, cases)
    print('wrote %s: %d cases, %d bytes' % (os.path.normpath(OUT), len(cases), size))


if __name__ == '__main__':
    main()
