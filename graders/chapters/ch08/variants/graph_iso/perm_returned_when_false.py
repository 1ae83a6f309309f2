"""is_isomorphic_bruteforce returns the last permutation it tried instead of None when the graphs differ."""
_correct_is_isomorphic_bruteforce = is_isomorphic_bruteforce


def is_isomorphic_bruteforce(A, B):
    flag, perm = _correct_is_isomorphic_bruteforce(A, B)
    return (flag, perm) if flag else (False, np.arange(len(np.asarray(A)))[::-1].copy())
