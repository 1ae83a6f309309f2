"""invariants returns the spectrum in non-increasing order."""
_correct_invariants = invariants


def invariants(A):
    out = _correct_invariants(A)
    out["spectrum"] = out["spectrum"][::-1].copy()
    return out
