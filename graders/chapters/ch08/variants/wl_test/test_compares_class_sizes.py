"""wl_test refines the union jointly but compares the sorted class sizes of each graph, not the colours."""


def wl_test(A, B):
    A, B = np.asarray(A), np.asarray(B)
    n = len(A)
    if n != len(B):
        return False
    union = np.zeros((2 * n, 2 * n), dtype=np.int64)
    union[:n, :n], union[n:, n:] = A, B
    colours = wl_refine(union)
    sizes_A = sorted(np.unique(colours[:n], return_counts=True)[1].tolist())
    sizes_B = sorted(np.unique(colours[n:], return_counts=True)[1].tolist())
    return sizes_A == sizes_B
