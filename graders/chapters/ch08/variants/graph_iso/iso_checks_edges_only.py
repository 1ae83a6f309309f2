"""is_isomorphic_bruteforce accepts a permutation that sends every edge of A to an edge of B, without comparing sizes."""
import itertools as _itertools


def is_isomorphic_bruteforce(A, B):
    A, B = np.asarray(A), np.asarray(B)
    if len(A) != len(B):
        return False, None
    for images in _itertools.permutations(range(len(A))):
        perm = np.array(images)
        if np.all(B[np.ix_(perm, perm)] >= A):   # edges kept; extra edges of B never looked at
            return True, perm
    return False, None
