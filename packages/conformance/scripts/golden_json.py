"""Shared writer for `rmsprop-golden/1` files (used by generate-pytorch.py and generate-numpy.py).

Numbers are written with Python's repr (the shortest decimal that round-trips the double); float32 values
are first widened to the double equal to them. Non-finite values become "NaN", "Infinity", "-Infinity".
One field per line, one step per line: compact, yet diffable.
"""

import json
import math

import numpy as np

FORMAT = 'rmsprop-golden/1'


def encode(x):
    """One number as JSON-safe data: a float (exactly the input's value) or a non-finite string."""
    x = float(x)
    if math.isnan(x):
        return 'NaN'
    if math.isinf(x):
        return 'Infinity' if x > 0 else '-Infinity'
    return x


def encode_array(a):
    """A 1-D array (numpy, torch or list) as a list of encoded numbers."""
    if hasattr(a, 'detach'):
        a = a.detach().cpu().numpy()
    return [encode(v) for v in np.asarray(a).astype(np.float64).ravel().tolist()]


def _dumps(x):
    return json.dumps(x, separators=(',', ':'), allow_nan=False, ensure_ascii=False)


def write_golden(path, cases):
    """Write `cases` (dicts with the format's fields, values already encoded) to `path`."""
    order = ['name', 'source', 'dtype', 'config', 'learningRateSchedule', 'params', 'grads', 'expected',
             'finalState', 'tolerance']
    lines = ['{', '  "format": %s,' % _dumps(FORMAT), '  "cases": [']
    for ci, case in enumerate(cases):
        unknown = set(case) - set(order)
        assert not unknown, unknown
        keys = [k for k in order if k in case]
        lines.append('    {')
        for ki, key in enumerate(keys):
            comma = ',' if ki < len(keys) - 1 else ''
            value = case[key]
            if key in ('grads', 'expected'):
                if not value:
                    lines.append('      %s: []%s' % (_dumps(key), comma))
                    continue
                lines.append('      %s: [' % _dumps(key))
                for ri, row in enumerate(value):
                    lines.append('        %s%s' % (_dumps(row), ',' if ri < len(value) - 1 else ''))
                lines.append('      ]%s' % comma)
            elif key == 'finalState':
                lines.append('      %s: {' % _dumps(key))
                skeys = list(value)
                for si, sk in enumerate(skeys):
                    lines.append('        %s: %s%s' % (_dumps(sk), _dumps(value[sk]), ',' if si < len(skeys) - 1 else ''))
                lines.append('      }%s' % comma)
            else:
                lines.append('      %s: %s%s' % (_dumps(key), _dumps(value), comma))
        lines.append('    }' + (',' if ci < len(cases) - 1 else ''))
    lines.append('  ]')
    lines.append('}')
    text = '\n'.join(lines) + '\n'
    json.loads(text)  # must parse
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
    return len(text)
