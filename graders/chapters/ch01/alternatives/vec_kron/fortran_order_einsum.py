"""numpy's Fortran order for vec/unvec, and kron as an einsum outer product reshaped (no numpy.kron)."""


def vec(A):
    A = check_array(A, name="A", ndim=2, layout="(m, n)")
    return A.flatten(order="F")


def unvec(v, m, n):
    m = check_int(m, name="m", lo=1)
    n = check_int(n, name="n", lo=1)
    v = check_array(v, name="v", shape=(m * n,), layout="(m*n,)")
    return np.reshape(v, (m, n), order="F").copy()


def kron(A, B):
    A = check_array(A, name="A", ndim=2, layout="(m, n)")
    B = check_array(B, name="B", ndim=2, layout="(p, q)")
    (m, n), (p, q) = A.shape, B.shape
    return np.einsum("ij,kl->ikjl", A, B).reshape(m * p, n * q)
