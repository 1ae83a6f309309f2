"""is_isomorphic_bruteforce decides by the sorted degree sequences and pairs nodes by degree rank."""


def is_isomorphic_bruteforce(A, B):
    A, B = np.asarray(A), np.asarray(B)
    if len(A) != len(B):
        return False, None
    dA, dB = A.sum(axis=1), B.sum(axis=1)
    if not np.array_equal(np.sort(dA), np.sort(dB)):
        return False, None
    perm = np.empty(len(A), dtype=np.int64)
    perm[np.argsort(dA, kind="stable")] = np.argsort(dB, kind="stable")
    return True, perm
