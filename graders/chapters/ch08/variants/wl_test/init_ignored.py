"""wl_refine ignores the initial colours and starts every node with the same colour."""
_correct_wl_refine = wl_refine


def wl_refine(A, init=None, max_iter=None):
    return _correct_wl_refine(A, None, max_iter)
