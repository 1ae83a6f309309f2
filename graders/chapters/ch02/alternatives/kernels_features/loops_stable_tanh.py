"""Kernels entry by entry (cdist for distances), tanh as a stable ratio of exponentials.

Kernels filled entry by entry (scipy's cdist for the distances), tanh written as a stable ratio of exponentials,
features filled column by column."""
from scipy.spatial.distance import cdist as _alt_cdist


def poly_kernel(X, Z, p, c):
    X, Z = _check_pair(X, Z)
    p = check_int(p, name="p", lo=1)
    c = check_scalar(c, name="c", lo=0)
    K = np.empty((X.shape[0], Z.shape[0]))
    for i in range(X.shape[0]):
        for j in range(Z.shape[0]):
            K[i, j] = (float(np.dot(X[i], Z[j])) + c) ** p
    return K


def rbf_kernel(X, Z, sigma):
    X, Z = _check_pair(X, Z)
    sigma = check_scalar(sigma, name="sigma", lo=0, lo_open=True)
    gamma = 1.0 / (2.0 * sigma**2)
    return np.exp(-gamma * _alt_cdist(X, Z, "sqeuclidean"))


def sigmoid_kernel(X, Z, eta, nu):
    X, Z = _check_pair(X, Z)
    eta = check_scalar(eta, name="eta")
    nu = check_scalar(nu, name="nu")
    t = eta * (X @ Z.T) + nu
    e = np.exp(-2.0 * np.abs(t))                          # in (0, 1]: no overflow
    return np.sign(t) * (-np.expm1(-2.0 * np.abs(t))) / (1.0 + e)


def poly2_features(X, c):
    X = check_array(X, name="X", shape=(None, 2), layout="(n, 2)")
    c = check_scalar(c, name="c", lo=0)
    Phi = np.empty((X.shape[0], 6))
    Phi[:, 0] = X[:, 0] ** 2
    Phi[:, 1] = X[:, 1] ** 2
    Phi[:, 2] = np.sqrt(2) * X[:, 0] * X[:, 1]
    Phi[:, 3:5] = np.sqrt(2 * c) * X
    Phi[:, 5] = c
    return Phi


def quad_features(X):
    X = check_array(X, name="X", shape=(None, 2), layout="(n, 2)")
    Phi = np.empty((X.shape[0], 3))
    Phi[:, :2] = X**2
    Phi[:, 2] = np.sqrt(2) * np.prod(X, axis=1)
    return Phi
