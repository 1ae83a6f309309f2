"""Loops: entry-by-entry relabelling, a search that tries images node by node, triangles counted as
triples i < j < k, the spectrum from np.linalg.eigh."""


def permute_adjacency(A, perm):
    A = np.asarray(A)
    B = np.zeros_like(A)
    for i in range(len(A)):
        for j in range(len(A)):
            B[perm[i], perm[j]] = A[i, j]
    return B


def is_isomorphic_bruteforce(A, B):
    A, B = np.asarray(A).tolist(), np.asarray(B).tolist()
    n = len(A)
    if len(B) != n:
        return False, None

    def search(images):
        i = len(images)
        if i == n:
            return images
        for v in range(n):
            if v not in images and all(B[v][images[j]] == A[i][j] for j in range(i)) and B[v][v] == A[i][i]:
                found = search(images + [v])
                if found is not None:
                    return found
        return None

    images = search([])
    return (True, np.array(images, dtype=np.int64)) if images is not None else (False, None)


def invariants(A):
    A = np.asarray(A, dtype=np.int64)
    n = len(A)
    triangles = sum(1 for i in range(n) for j in range(i + 1, n) for k in range(j + 1, n)
                    if A[i, j] and A[j, k] and A[i, k])
    edges = sum(1 for i in range(n) for j in range(i + 1, n) if A[i, j])
    return {
        "deg_seq": np.sort([int(sum(row)) for row in A]),
        "n_edges": edges,
        "n_triangles": triangles,
        "spectrum": np.linalg.eigh(A.astype(float))[0],
    }
