"""wl_refine runs max_iter + 1 rounds."""
_correct_wl_refine = wl_refine


def wl_refine(A, init=None, max_iter=None):
    return _correct_wl_refine(A, init, None if max_iter is None else max_iter + 1)
