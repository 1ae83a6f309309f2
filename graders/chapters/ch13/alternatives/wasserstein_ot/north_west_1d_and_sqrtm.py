"""1-D W_p by the north-west corner rule on the sorted supports (the monotone plan, a loop),
the Gaussian formulas with scipy.linalg.sqrtm (tr (S1 S2)^{½} for the Bures term), the Monge map
by float CDF levels and searchsorted, and the LP with a sparse constraint matrix and dual simplex."""
import scipy.linalg as _sla
import scipy.sparse as _sp


def w_p_1d(x, y, p, wx=None, wy=None):
    x = check_array(x, name="x", ndim=1)
    y = check_array(y, name="y", ndim=1)
    p = check_scalar(p, name="p", lo=1)
    wx = np.full(x.size, 1.0 / x.size) if wx is None else np.asarray(wx, dtype=float) / np.sum(wx)
    wy = np.full(y.size, 1.0 / y.size) if wy is None else np.asarray(wy, dtype=float) / np.sum(wy)
    ix, iy = np.argsort(x, kind="stable"), np.argsort(y, kind="stable")
    xs, ax, ys, by = x[ix].tolist(), wx[ix].tolist(), y[iy].tolist(), wy[iy].tolist()
    i = j = 0
    total = 0.0
    while i < len(xs) and j < len(ys):
        mass = min(ax[i], by[j])
        total += mass * abs(xs[i] - ys[j]) ** p
        ax[i] -= mass
        by[j] -= mass
        if ax[i] <= by[j]:
            i += 1
        else:
            j += 1
    return float(total ** (1.0 / p))


def monge_map_1d(xs, ys):
    xs = check_array(xs, name="xs", ndim=1)
    ys = check_array(ys, name="ys", ndim=1)
    n, m = xs.size, ys.size
    x_sorted, y_sorted = np.sort(xs), np.sort(ys)
    levels = np.arange(1, m + 1) / m

    def T(x):
        F = np.searchsorted(x_sorted, np.asarray(x, dtype=float), side="right") / n
        return y_sorted[np.minimum(np.searchsorted(levels, F, side="left"), m - 1)]

    return T


def w2_gaussian_sq(m1, S1, m2, S2):
    m1, S1 = _check_gaussian(m1, S1, "1")
    m2, S2 = _check_gaussian(m2, S2, "2", d=m1.shape[0])
    cross = _sla.sqrtm(S1 @ S2)
    return float(np.sum((m1 - m2) ** 2) + np.trace(S1) + np.trace(S2) - 2 * np.trace(cross).real)


def gaussian_ot_map(m1, S1, m2, S2):
    m1, S1 = _check_gaussian(m1, S1, "1")
    m2, S2 = _check_gaussian(m2, S2, "2", d=m1.shape[0])
    root = _sla.sqrtm(S1).real
    inv_root = np.linalg.inv(root)
    A = inv_root @ _sla.sqrtm(root @ S2 @ root).real @ inv_root
    return A, m2 - A @ m1


def emd_discrete(a, b, M):
    from scipy.optimize import linprog

    n, m = M.shape
    rows = _sp.kron(_sp.eye(n), np.ones((1, m)))
    cols = _sp.kron(np.ones((1, n)), _sp.eye(m))
    res = linprog(np.asarray(M, dtype=float).ravel(), A_eq=_sp.vstack((rows, cols)).tocsr(),
                  b_eq=np.concatenate((a, b)), bounds=(0, None), method="highs-ds")
    P = res.x.reshape(n, m)
    return P, float(res.fun)
