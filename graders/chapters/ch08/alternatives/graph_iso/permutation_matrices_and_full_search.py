"""P A Pᵀ with an explicit permutation matrix, a search over every permutation, and invariants from
matrix powers and np.linalg.eigvals."""
import itertools as _itertools


def permute_adjacency(A, perm):
    A, perm = np.asarray(A), np.asarray(perm)
    n = len(perm)
    P = np.zeros((n, n), dtype=A.dtype)
    P[perm, np.arange(n)] = 1                     # P e_i = e_{perm[i]}
    return P @ A @ P.T


def is_isomorphic_bruteforce(A, B):
    A, B = np.asarray(A), np.asarray(B)
    if A.shape != B.shape:
        return False, None
    for images in _itertools.permutations(range(len(A))):
        perm = np.array(images, dtype=np.int64)
        if np.array_equal(permute_adjacency(A, perm), B):
            return True, perm
    return False, None


def invariants(A):
    A = np.asarray(A, dtype=np.int64)
    return {
        "deg_seq": np.array(sorted(A.sum(axis=0))),
        "n_edges": int(np.triu(A, 1).sum()),
        "n_triangles": int(np.trace(np.linalg.matrix_power(A, 3)) / 6),
        "spectrum": np.sort(np.linalg.eigvals(A.astype(float)).real),
    }
