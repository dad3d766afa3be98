#!/usr/bin/env python3
"""The numpy baseline of `npm run bench`: the same weighted Bradley–Terry model as
`swarmrank fit`, fitted by a vectorised Newman iteration, as a whole process to time against it.

    python3 scripts/bench-fit-numpy.py FILE.csv [--prior ALPHA] [--json]

FILE has a header naming left,right,winner (left | right | tie) and optionally weight (≥ 0,
default 1); a tie counts as half a win each way. The prior of strength ALPHA (default 1) is one
virtual win and one virtual loss of weight ALPHA against a reference of strength 1, as in
protocol/bt.ts. Unquoted CSV only (np.loadtxt's C reader): the benchmark's file has no quotes.

The iteration is Newman's (JMLR 24(238), 2023) applied to every candidate at once (Jacobi), the
natural vectorised form; protocol/bt.ts sweeps candidates in order (Gauss–Seidel). Both have the
same fixed point and the same stopping rule: after each sweep, step to the prior's optimal
scale (Σπ = n without a prior), stop when no strength changed by more than 1e-10 relatively, or
after 1,000 sweeps. Strengths are printed normalised to sum 1.

With --json it prints {"items":[{"id","strength","logStrength"}...],"iterations","converged"},
sorted by strength like `swarmrank fit --json`; otherwise the top ten. Exit code 3 when numpy is
missing, so the benchmark can skip this side with a clear message.
"""
import json
import math
import sys

try:
    import numpy as np
except ImportError:
    sys.stderr.write('bench-fit-numpy: numpy is not installed for this python3 (pip install numpy)\n')
    sys.exit(3)

TOLERANCE = 1e-10
MAX_ITERATIONS = 1000


def read_comparisons(path):
    """Columns as arrays: left and right names (raw UTF-8 bytes), winner labels, weights.

    np.loadtxt's C reader with a structured dtype is its fast path (dtype=str is ~5× slower);
    text decoded as latin-1 and stored as bytes gives back the file's UTF-8 bytes, whose sort
    order is code-point order. The field width is the longest line's, so nothing is truncated.
    """
    raw = np.fromfile(path, dtype=np.uint8)
    newlines = np.flatnonzero(raw == 10)
    if len(newlines) == 0:
        sys.exit(f'{path}: expected a header and at least one comparison')
    width = int(max(newlines[0], np.diff(newlines).max(initial=0), len(raw) - newlines[-1]))
    with open(path, encoding='utf-8-sig') as f:
        header = [h.strip() for h in f.readline().rstrip('\r\n').split(',')]
    missing = [c for c in ('left', 'right', 'winner') if c not in header]
    if missing:
        sys.exit(f'{path}: bad header: missing {", ".join(missing)}')
    names = ['left', 'right', 'winner'] + (['weight'] if 'weight' in header else [])
    dtype = [(h, 'f8' if h == 'weight' else f'S{width}') for h in names]
    table = np.loadtxt(path, dtype=dtype, delimiter=',', skiprows=1, usecols=[header.index(h) for h in names],
                       ndmin=1, encoding='latin-1', comments=None)
    weight = table['weight'] if 'weight' in names else np.ones(len(table))
    return table['left'], table['right'], table['winner'], weight


def win_edges(left, right, winner, weight):
    """Sorted ids and the comparison graph as directed edges (row, column, W[row,col], W[col,row])."""
    if not np.all(np.isfinite(weight)) or np.any(weight < 0):
        sys.exit('a weight is not a finite number ≥ 0')
    if np.any(left == right):
        sys.exit('a candidate is compared with itself')
    is_left, is_right, is_tie = winner == b'left', winner == b'right', winner == b'tie'
    if not np.all(is_left | is_right | is_tie):
        winner = np.char.strip(winner)
        is_left, is_right, is_tie = winner == b'left', winner == b'right', winner == b'tie'
    if not np.all(is_left | is_right | is_tie):
        sys.exit('unknown winner value (expected left, right or tie)')
    names = np.concatenate([left, right])
    # Sorting fixed-width strings costs their width: cut it to the longest name first.
    names = names.astype(f'S{max(1, int(np.char.str_len(names).max()))}')
    ids, index = np.unique(names, return_inverse=True)
    n = len(ids)
    a, b = index[:len(left)], index[len(left):]
    half = np.where(is_tie, weight / 2, 0.0)
    # W[i, j]: weight of preference for i over j, accumulated in one bincount per direction.
    w = np.bincount(a * n + b, weights=np.where(is_left, weight, half), minlength=n * n)
    w += np.bincount(b * n + a, weights=np.where(is_right, weight, half), minlength=n * n)
    w = w.reshape(n, n)
    rows, cols = np.nonzero((w + w.T) > 0)
    return ids, rows, cols, w[rows, cols], w[cols, rows]


def rescale_to_prior(p):
    """Multiply by the c that maximises Σ [log cπ − 2 log(1 + cπ)] (Newton, kept in a bracket)."""
    lo, hi, c = 0.0, math.inf, 1.0
    for _ in range(100):
        x = c * p
        d = 1 + x
        g = float(np.sum((1 - x) / d))
        slope = -float(np.sum(2 * p / (d * d)))
        if g > 0:
            lo = c
        elif g < 0:
            hi = c
        else:
            break
        nxt = c - g / slope if slope < 0 else math.nan
        if not (lo < nxt < hi):
            nxt = 2 * c if hi == math.inf else (lo + hi) / 2
        change = abs(nxt - c)
        c = nxt
        if change <= 1e-15 * c:
            break
    return p * c if c > 0 and math.isfinite(c) else p


def fit(n, rows, cols, wins_over, losses_to, prior):
    p = np.ones(n)
    iterations, converged = 0, False
    while iterations < MAX_ITERATIONS:
        pj = p[cols]
        total = p[rows] + pj
        numerator = np.bincount(rows, weights=wins_over * pj / total, minlength=n)
        denominator = np.bincount(rows, weights=losses_to / total, minlength=n)
        if prior > 0:
            virtual = prior / (p + 1)
            numerator += virtual
            denominator += virtual
        nxt = np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1), p)
        nxt = rescale_to_prior(nxt) if prior > 0 else nxt * (n / nxt.sum())
        iterations += 1
        change = float(np.max(np.abs(nxt - p) / p))
        p = nxt
        if not math.isfinite(change):
            break
        if change < TOLERANCE:
            converged = True
            break
    return p / p.sum(), iterations, converged


def main(argv):
    args = [a for a in argv if not a.startswith('--')]
    prior = 1.0
    if '--prior' in argv:
        prior = float(argv[argv.index('--prior') + 1])
        args.remove(argv[argv.index('--prior') + 1])
    if len(args) != 1:
        sys.exit(__doc__)
    ids, rows, cols, wins_over, losses_to = win_edges(*read_comparisons(args[0]))
    strengths, iterations, converged = fit(len(ids), rows, cols, wins_over, losses_to, prior)
    order = np.lexsort((ids, -strengths))
    if '--json' in argv:
        items = [{'id': ids[k].decode(), 'strength': float(strengths[k]),
                  'logStrength': math.log(strengths[k]) if strengths[k] > 0 else None} for k in order]
        print(json.dumps({'items': items, 'iterations': iterations, 'converged': converged}))
    else:
        for rank, k in enumerate(order[:10], 1):
            print(f'{rank:4d}  {ids[k].decode()}  {strengths[k]:.6f}')
        print(f'{len(rows) // 2} pairs, {len(ids)} candidates, prior {prior}; '
              f'newman (numpy, Jacobi) {"converged" if converged else "did not converge"} in {iterations} sweeps')


if __name__ == '__main__':
    main(sys.argv[1:])
