"""wl_refine relabels the multiset of neighbour colours only, forgetting the node's own colour."""


def wl_refine(A, init=None, max_iter=None):
    A = np.asarray(A)
    n = len(A)
    colours = np.zeros(n, dtype=np.int64) if init is None else np.unique(np.asarray(init), return_inverse=True)[1]
    for _ in range(n if max_iter is None else max_iter):
        signatures = [tuple(sorted(colours[np.flatnonzero(A[i])].tolist())) for i in range(n)]
        palette = {s: k for k, s in enumerate(sorted(set(signatures)))}
        refined = np.array([palette[s] for s in signatures], dtype=np.int64)
        stable = len(palette) == len(np.unique(colours))
        colours = refined
        if stable:
            break
    return colours
