"""EMD by the north-west corner rule: a feasible vertex, not the optimal one."""


def emd_discrete(a, b, M):
    a, b = np.array(a, dtype=float), np.array(b, dtype=float)
    P = np.zeros((a.size, b.size))
    i = j = 0
    while i < a.size and j < b.size:
        mass = min(a[i], b[j])
        P[i, j] = mass
        a[i] -= mass
        b[j] -= mass
        if a[i] <= 1e-15:
            i += 1
        else:
            j += 1
    return P, float(np.sum(P * M))
