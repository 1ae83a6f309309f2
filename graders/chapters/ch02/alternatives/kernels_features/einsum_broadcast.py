"""Kernels by einsum and explicit pairwise differences (‖x − z‖² summed from x − z), features by column_stack."""


def poly_kernel(X, Z, p, c):
    X, Z = _check_pair(X, Z)
    p = check_int(p, name="p", lo=1)
    c = check_scalar(c, name="c", lo=0)
    return np.power(np.einsum("id,jd->ij", X, Z) + c, p)


def rbf_kernel(X, Z, sigma):
    X, Z = _check_pair(X, Z)
    sigma = check_scalar(sigma, name="sigma", lo=0, lo_open=True)
    diff = X[:, None, :] - Z[None, :, :]                  # (n, m, d)
    return np.exp(-np.einsum("ijd,ijd->ij", diff, diff) / (2.0 * sigma * sigma))


def sigmoid_kernel(X, Z, eta, nu):
    X, Z = _check_pair(X, Z)
    eta = check_scalar(eta, name="eta")
    nu = check_scalar(nu, name="nu")
    return np.tanh(eta * np.einsum("id,jd->ij", X, Z) + nu)


def poly2_features(X, c):
    X = check_array(X, name="X", shape=(None, 2), layout="(n, 2)")
    c = check_scalar(c, name="c", lo=0)
    a, b = X[:, 0], X[:, 1]
    return np.column_stack([a * a, b * b, np.sqrt(2.0) * a * b, np.sqrt(2.0) * np.sqrt(c) * a,
                            np.sqrt(2.0) * np.sqrt(c) * b, c * np.ones(X.shape[0])])


def quad_features(X):
    X = check_array(X, name="X", shape=(None, 2), layout="(n, 2)")
    a, b = X[:, 0], X[:, 1]
    return np.column_stack([a * a, b * b, np.sqrt(2.0) * a * b])
