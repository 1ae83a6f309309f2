"""Both permute_adjacency and the returned perm use the inverse convention B[i, j] = A[perm[i], perm[j]]."""
_correct_is_isomorphic_bruteforce = is_isomorphic_bruteforce


def permute_adjacency(A, perm):
    A, perm = np.asarray(A), np.asarray(perm)
    return A[np.ix_(perm, perm)]


def is_isomorphic_bruteforce(A, B):
    flag, perm = _correct_is_isomorphic_bruteforce(A, B)
    return (flag, np.argsort(perm)) if flag else (flag, perm)
