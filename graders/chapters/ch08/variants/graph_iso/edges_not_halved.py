"""invariants counts every edge twice: n_edges = A.sum()."""
_correct_invariants = invariants


def invariants(A):
    out = _correct_invariants(A)
    out["n_edges"] = int(np.asarray(A).sum())
    return out
