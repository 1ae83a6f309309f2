"""Block roles swapped: blocks b_ij A (that is B ⊗ A) instead of a_ij B."""


def kron(A, B):
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    (m, n), (p, q) = A.shape, B.shape
    out = np.zeros((m * p, n * q))
    for k in range(p):
        for l in range(q):
            out[k * m:(k + 1) * m, l * n:(l + 1) * n] = B[k, l] * A
    return out
