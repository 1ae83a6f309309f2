"""Inner products by einsum, the feature variance as tr(HKH)/n with the centring matrix H.

Inner products and values by einsum, the norm as √ of rkhs_inner(f, f), the feature variance as tr(HKH)/n with
the centring matrix H = I − 11ᵀ/n, the distances from the diagonal by np.add.outer."""


def rkhs_inner(a, Xa, b, Xb, k):
    a, Xa = _check_expansion(a, Xa, "a", "Xa")
    b, Xb = _check_expansion(b, Xb, "b", "Xb")
    check_dim(Xb.shape[1], Xa.shape[1], what="Xb.shape[1] == Xa.shape[1] (d)")
    _check_kernel(k)
    return float(np.einsum("i,ij,j->", a, np.asarray(k(Xa, Xb), dtype=float), b))


def rkhs_norm(a, Xa, k):
    a, Xa = _check_expansion(a, Xa, "a", "Xa")
    _check_kernel(k)
    return float(np.sqrt(np.maximum(rkhs_inner(a, Xa, a, Xa, k), 0.0)))


def evaluate(a, Xa, k, X):
    a, Xa = _check_expansion(a, Xa, "a", "Xa")
    _check_kernel(k)
    X = check_array(X, name="X", ndim=2, layout="(m, d)")
    check_dim(X.shape[1], Xa.shape[1], what="X.shape[1] == Xa.shape[1] (d)")
    return np.einsum("i,ij->j", a, np.asarray(k(Xa, X), dtype=float))


def feature_mean_norm2(K):
    K = _check_gram(K)
    n = K.shape[0]
    ones = np.full(n, 1.0 / n)
    return float(ones @ K @ ones)


def feature_variance(K):
    K = _check_gram(K)
    n = K.shape[0]
    H = np.eye(n) - np.full((n, n), 1.0 / n)
    return float(np.trace(H @ K @ H) / n)


def kernel_dist2(K):
    K = _check_gram(K)
    d = K.diagonal()
    return np.add.outer(d, d) - 2 * K
