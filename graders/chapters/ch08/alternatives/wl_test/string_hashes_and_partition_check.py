"""Colours as strings, as networkx does: a new colour is the string (own, sorted neighbour colours)
renamed through a dictionary; stops when the partition (compared as sets of classes) repeats."""


def _partition(colours):
    classes = {}
    for i, c in enumerate(colours):
        classes.setdefault(c, []).append(i)
    return sorted(classes.values())


def wl_refine(A, init=None, max_iter=None):
    A = np.asarray(A)
    n = len(A)
    colours = ["0"] * n if init is None else [str(int(c)) for c in init]
    done = 0
    while max_iter is None or done < max_iter:
        names = {}
        new = []
        for i in range(n):
            key = colours[i] + "|" + ",".join(sorted(colours[j] for j in range(n) if A[i][j]))
            new.append(names.setdefault(key, f"c{len(names)}"))
        done += 1
        same = _partition(new) == _partition(colours)
        colours = new
        if same:
            break
    ids = {}
    return np.array([ids.setdefault(c, len(ids)) for c in colours], dtype=np.int64)


def wl_test(A, B):
    A, B = np.asarray(A), np.asarray(B)
    n, m = len(A), len(B)
    if n != m:
        return False
    union = np.zeros((n + m, n + m), dtype=np.int64)
    union[:n, :n], union[n:, n:] = A, B
    colours = wl_refine(union).tolist()
    return sorted(colours[:n]) == sorted(colours[n:])
