"""Explicit loops: vec concatenates the columns, unvec fills column by column, kron fills block by block."""


def vec(A):
    A = check_array(A, name="A", ndim=2, layout="(m, n)")
    return np.concatenate([A[:, j] for j in range(A.shape[1])]) if A.shape[1] else np.zeros(0)


def unvec(v, m, n):
    m = check_int(m, name="m", lo=1)
    n = check_int(n, name="n", lo=1)
    v = check_array(v, name="v", shape=(m * n,), layout="(m*n,)")
    A = np.empty((m, n))
    for j in range(n):
        A[:, j] = v[j * m:(j + 1) * m]
    return A


def kron(A, B):
    A = check_array(A, name="A", ndim=2, layout="(m, n)")
    B = check_array(B, name="B", ndim=2, layout="(p, q)")
    (m, n), (p, q) = A.shape, B.shape
    K = np.zeros((m * p, n * q))
    for i in range(m):
        for j in range(n):
            K[i * p:(i + 1) * p, j * q:(j + 1) * q] = A[i, j] * B
    return K
