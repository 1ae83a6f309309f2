"""unvec returns the transpose: v.reshape(n, m) without the final .T (shape (n, m))."""


def unvec(v, m, n):
    return np.asarray(v, dtype=float).reshape(n, m).copy()
