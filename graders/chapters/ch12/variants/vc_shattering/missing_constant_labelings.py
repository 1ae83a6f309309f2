"""The labelings enumerated as bit masks 1 … 2ⁿ − 2: the all −1 and all +1 labelings are never listed."""


def dichotomies(points, hclass):
    points = np.asarray(points, dtype=float)
    n = points.shape[0]
    found = []
    for mask in range(1, 2**n - 1):
        y = np.array([1.0 if mask >> i & 1 else -1.0 for i in range(n)])
        if _realizable(points, y, hclass):
            found.append(y)
    return np.array(found, dtype=np.int64).reshape(len(found), n)


def shatters(points, hclass):
    points = np.asarray(points, dtype=float)
    return len(dichotomies(points, hclass)) == 2 ** points.shape[0] - 2
