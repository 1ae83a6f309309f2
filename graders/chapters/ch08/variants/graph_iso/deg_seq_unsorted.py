"""invariants returns the degrees in node order, unsorted."""
_correct_invariants = invariants


def invariants(A):
    out = _correct_invariants(A)
    out["deg_seq"] = np.asarray(A).sum(axis=1)
    return out
