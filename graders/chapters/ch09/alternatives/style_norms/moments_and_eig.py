"""AdaIN through sums of squares; WCT with np.cov and np.linalg.eig on the symmetric matrices."""


def adain(X, S, eps=1e-5):
    n, m = X.shape[0], S.shape[0]
    mu_x, mu_s = X.sum(axis=0) / n, S.sum(axis=0) / m
    var_x = (X ** 2).sum(axis=0) / n - mu_x ** 2
    var_s = ((S - mu_s) ** 2).mean(axis=0)
    return mu_s + np.sqrt(var_s) * (X - mu_x) / np.sqrt(var_x + eps)


def _root(sigma, power):
    w, V = np.linalg.eig(sigma)
    w, V = w.real, V.real
    V, _ = np.linalg.qr(V)
    w = np.einsum("ij,jk,ki->i", V.T, sigma, V)
    return V @ np.diag(np.clip(w, 0, None) ** power) @ V.T


def wct(X, S, eps=1e-8):
    sigma_x = np.atleast_2d(np.cov(X, rowvar=False, bias=True)) + eps * np.eye(X.shape[1])
    sigma_s = np.atleast_2d(np.cov(S, rowvar=False, bias=True))
    return (X - X.mean(axis=0)) @ _root(sigma_x, -0.5) @ _root(sigma_s, 0.5) + S.mean(axis=0)
