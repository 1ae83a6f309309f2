"""is_isomorphic_bruteforce returns the inverse permutation (node perm[i] of A is node i of B)."""
_correct_is_isomorphic_bruteforce = is_isomorphic_bruteforce


def is_isomorphic_bruteforce(A, B):
    flag, perm = _correct_is_isomorphic_bruteforce(A, B)
    return (flag, np.argsort(perm)) if flag else (flag, perm)
