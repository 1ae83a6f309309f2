"""Explicit diagonal matrices Dˡ = diag(z > 0), A and c built by matrix products; the grid swept one row at a time."""


def activation_pattern(params, x):
    flags, h = [], np.asarray(x, dtype=float)
    for W, b in params:
        z = np.asarray(W) @ h + np.asarray(b)
        flags += [1 if v > 0 else 0 for v in z]
        h = np.diag((z > 0).astype(float)) @ z
    return tuple(flags)


def local_affine(params, x):
    x = np.asarray(x, dtype=float)
    A, c = np.eye(x.size), np.zeros(x.size)
    for W, b in params:
        W, b = np.asarray(W), np.asarray(b)
        D = np.diag((W @ (A @ x + c) + b > 0).astype(float))
        A, c = D @ W @ A, D @ (W @ c + b)
    return A, c


def enumerate_patterns(params, lo, hi, grid):
    out = {}
    axis = np.linspace(lo, hi, grid)
    for v in axis:
        row = np.column_stack([axis, np.full(grid, v)])
        h, flags = row, []
        for W, b in params:
            z = h @ np.asarray(W).T + np.asarray(b)
            flags.append(z > 0)
            h = np.where(z > 0, z, 0.0)
        for k, p in enumerate(map(tuple, np.hstack(flags).astype(int).tolist())):
            if p not in out:
                out[p] = int(np.linalg.matrix_rank(local_affine(params, row[k])[0]))
    return out
