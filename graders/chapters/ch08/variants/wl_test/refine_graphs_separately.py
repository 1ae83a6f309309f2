"""wl_test refines A and B separately and compares their histograms (colour names incomparable)."""


def wl_test(A, B):
    A, B = np.asarray(A), np.asarray(B)
    if len(A) != len(B):
        return False
    hist_A, hist_B = (np.bincount(wl_refine(M)) for M in (A, B))
    return bool(np.array_equal(hist_A, hist_B))
