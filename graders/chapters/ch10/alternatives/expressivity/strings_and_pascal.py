"""Patterns as byte strings in a set; the binomials from Pascal's triangle."""


def count_regions_2d(params, lo, hi, grid):
    axis = np.linspace(lo, hi, grid)
    X, Y = np.meshgrid(axis, axis)
    h = np.vstack([X.ravel(), Y.ravel()])
    flags = []
    for W, b in params:
        z = np.asarray(W) @ h + np.asarray(b)[:, None]
        flags.append(z > 0)
        h = z * (z > 0)
    bits = np.ascontiguousarray(np.vstack(flags).T)
    return len({row.tobytes() for row in np.packbits(bits, axis=1)})


def max_regions_single_layer(m, d):
    row = [1]
    for _ in range(m):
        row = [1] + [a + b for a, b in zip(row, row[1:])] + [1]
    return sum(row[: d + 1])
