"""The rank of a region counted as its number of active output neurons, not the rank of A."""

_enumerate_with_rank = enumerate_patterns


def enumerate_patterns(params, lo, hi, grid):
    n_out = len(params[-1][1])
    return {p: sum(p[-n_out:]) for p in _enumerate_with_rank(params, lo, hi, grid)}
