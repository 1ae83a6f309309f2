"""invariants takes the spectrum from np.linalg.eigvals without sorting it."""
_correct_invariants = invariants


def invariants(A):
    out = _correct_invariants(A)
    out["spectrum"] = np.linalg.eigvals(np.asarray(A, dtype=float)).real
    return out
