"""mf_embedding takes an eigendecomposition of A (real parts, largest |λ|), U = V = Q|Λ|^{1/2}: wrong for a non-symmetric A."""


def mf_embedding(A, d):
    A = np.asarray(A, float)
    values, vectors = np.linalg.eig(A)
    order = np.argsort(-np.abs(values))[:d]
    root = np.sqrt(np.abs(values[order].real))
    U = vectors[:, order].real * root
    return U, U.copy()
