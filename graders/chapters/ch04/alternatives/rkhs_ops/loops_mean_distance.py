"""Loops over expansion terms, the variance as the mean squared distance to the feature mean.

Sums written as loops over the expansion terms, the mean feature norm as the mean of K, the variance as the
mean squared distance to the feature mean (K_ii − 2·mean_j K_ij + mean K), distances entry by entry."""


def rkhs_inner(a, Xa, b, Xb, k):
    a, Xa = _check_expansion(a, Xa, "a", "Xa")
    b, Xb = _check_expansion(b, Xb, "b", "Xb")
    check_dim(Xb.shape[1], Xa.shape[1], what="Xb.shape[1] == Xa.shape[1] (d)")
    _check_kernel(k)
    K = np.asarray(k(Xa, Xb), dtype=float)
    total = 0.0
    for i in range(a.size):
        total += a[i] * float(K[i] @ b)
    return float(total)


def rkhs_norm(a, Xa, k):
    a, Xa = _check_expansion(a, Xa, "a", "Xa")
    _check_kernel(k)
    K = np.asarray(k(Xa, Xa), dtype=float)
    value = float((K @ a) @ a)
    return value ** 0.5 if value > 0 else 0.0


def evaluate(a, Xa, k, X):
    a, Xa = _check_expansion(a, Xa, "a", "Xa")
    _check_kernel(k)
    X = check_array(X, name="X", ndim=2, layout="(m, d)")
    check_dim(X.shape[1], Xa.shape[1], what="X.shape[1] == Xa.shape[1] (d)")
    K = np.asarray(k(Xa, X), dtype=float)                 # (r, m)
    f = np.zeros(X.shape[0])
    for i in range(a.size):
        f += a[i] * K[i]
    return f


def feature_mean_norm2(K):
    K = _check_gram(K)
    return float(np.mean(K))


def feature_variance(K):
    K = _check_gram(K)
    to_mean = np.diag(K) - 2.0 * K.mean(axis=1) + K.mean()   # ‖φ(x_i) − φ̄‖²
    return float(to_mean.mean())


def kernel_dist2(K):
    K = _check_gram(K)
    n = K.shape[0]
    D = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            D[i, j] = K[i, i] + K[j, j] - 2.0 * K[i, j]
    return D
