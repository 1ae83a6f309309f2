"""Distinct rows by lexsort and neighbour comparison; the count by the recursion R(m, d) = R(m−1, d) + R(m−1, d−1)."""


def count_regions_2d(params, lo, hi, grid):
    axis = np.linspace(lo, hi, grid)
    h = np.stack(np.meshgrid(axis, axis), axis=-1).reshape(-1, 2)
    flags = []
    for W, b in params:
        z = h @ np.asarray(W).T + np.asarray(b)
        flags.append(z > 0)
        h = np.maximum(z, 0.0)
    bits = np.hstack(flags).astype(np.int8)
    ordered = bits[np.lexsort(bits.T[::-1])]
    return int(1 + np.count_nonzero(np.any(ordered[1:] != ordered[:-1], axis=1)))


def max_regions_single_layer(m, d):
    R = [1] * (d + 1)                      # R[k] = R(0, k) = 1
    for _ in range(m):                     # R(j, k) = R(j−1, k) + R(j−1, k−1), R(j, 0) = 1
        R = [1] + [R[k] + R[k - 1] for k in range(1, d + 1)]
    return R[d]
