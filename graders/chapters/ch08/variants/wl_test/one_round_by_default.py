"""wl_refine stops after one round when max_iter is None (the degree partition, not the stable one)."""
_correct_wl_refine = wl_refine


def wl_refine(A, init=None, max_iter=None):
    return _correct_wl_refine(A, init, 1 if max_iter is None else max_iter)
