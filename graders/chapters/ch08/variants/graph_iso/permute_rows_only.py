"""permute_adjacency permutes the rows only (P A instead of P A Pᵀ)."""


def permute_adjacency(A, perm):
    A, perm = np.asarray(A), np.asarray(perm)
    B = np.empty_like(A)
    B[perm] = A
    return B
