"""Row-major VEC: A.reshape(-1) stacks the rows (and unvec refills rows), breaking VEC(CAB) = (Bᵀ⊗C)VEC(A)."""


def vec(A):
    return np.asarray(A, dtype=float).reshape(-1).copy()


def unvec(v, m, n):
    return np.asarray(v, dtype=float).reshape(m, n).copy()
