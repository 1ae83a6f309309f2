"""permute_adjacency uses the inverse convention B[i, j] = A[perm[i], perm[j]] (A[perm][:, perm])."""


def permute_adjacency(A, perm):
    A, perm = np.asarray(A), np.asarray(perm)
    return A[np.ix_(perm, perm)]
