"""Labelings enumerated as bit masks in reverse order, returned as float ±1; shatters through the count."""


def dichotomies(points, hclass):
    points = np.asarray(points, dtype=float)
    n = points.shape[0]
    rows = []
    for mask in reversed(range(2**n)):
        y = np.where([(mask >> i) & 1 for i in range(n)], 1.0, -1.0)
        if _realizable(points, y, hclass):
            rows.append(y)
    return np.array(rows).reshape(len(rows), n)


def shatters(points, hclass):
    points = np.asarray(points, dtype=float)
    return bool(len(dichotomies(points, hclass)) == 2 ** points.shape[0])
