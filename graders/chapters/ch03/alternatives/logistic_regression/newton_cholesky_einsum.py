"""Newton with a Cholesky solve and Armijo backtracking, gradient and Hessian by einsum.

Newton's method with a Cholesky solve and an Armijo backtracking line search, gradient and Hessian by einsum
(the intercept handled as a separate coordinate); the objective as log1p(e^{−|z|}) + max(z, 0) − t z."""


def logistic_nll(X, t, beta0, beta, weights=None, lam=0.0):
    X, t, w = _check_logistic_data(X, t, weights)
    beta0 = check_scalar(beta0, name="beta0")
    beta = check_array(beta, name="beta", shape=(X.shape[0],), layout="(p,) with p == X.shape[0]")
    lam = check_scalar(lam, name="lam", lo=0)
    z = np.einsum("pn,p->n", X, beta) + beta0
    softplus = np.log1p(np.exp(-np.abs(z))) + np.maximum(z, 0.0)
    return float(np.dot(w, softplus - t * z) + 0.5 * lam * np.dot(beta, beta))


def logistic_fit(X, t, weights=None, lam=0.0, fit_intercept=True):
    X, t, w = _check_logistic_data(X, t, weights)
    lam = check_scalar(lam, name="lam", lo=0)
    if not isinstance(fit_intercept, (bool, np.bool_)):
        raise TypeError(f"fit_intercept should be a bool; got fit_intercept={fit_intercept!r}")
    p, N = X.shape
    b0, b = 0.0, np.zeros(p)

    def parts(b0, b):
        z = b0 + np.einsum("pn,p->n", X, b)
        q = np.where(z >= 0, 1.0 / (1.0 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1.0 + np.exp(-np.abs(z))))
        f = np.dot(w, np.log1p(np.exp(-np.abs(z))) + np.maximum(z, 0.0) - t * z) + 0.5 * lam * b @ b
        r = w * (q - t)
        g = np.concatenate([[r.sum()] if fit_intercept else [], np.einsum("pn,n->p", X, r) + lam * b])
        Xt = np.vstack([np.ones(N), X]) if fit_intercept else X
        H = np.einsum("in,n,jn->ij", Xt, w * q * (1.0 - q), Xt)
        H[-p:, -p:] += lam * np.eye(p)
        return f, g, H

    f, g, H = parts(b0, b)
    for _ in range(200):
        if np.linalg.norm(g) <= 1e-13 * max(1.0, float(np.sum(w))):
            break
        try:
            L = np.linalg.cholesky(H)
            d = np.linalg.solve(L.T, np.linalg.solve(L, g))
        except np.linalg.LinAlgError:
            d = np.linalg.lstsq(H, g, rcond=None)[0]
        s = 1.0
        while True:
            c0 = b0 - s * d[0] if fit_intercept else 0.0
            c = b - s * d[-p:]
            f_new, g_new, H_new = parts(c0, c)
            if f_new <= f - 1e-4 * s * (g @ d) or (f_new <= f + 1e-12 * abs(f)
                                                    and np.linalg.norm(g_new) < np.linalg.norm(g)):
                break
            s /= 2
            if s < 1e-14:
                break
        if s < 1e-14:
            break
        b0, b, f, g, H = c0, c, f_new, g_new, H_new
    if lam == 0.0 and np.all((t == 0) | (t == 1)):
        wrong = ((b0 + b @ X > 0) != (t == 1)) & (w > 0)
        if not wrong.any():
            raise ValueError("the weighted samples are linearly separable: with lam=0 the logistic minimizer "
                             "does not exist; pass lam > 0")
    return float(b0), b
