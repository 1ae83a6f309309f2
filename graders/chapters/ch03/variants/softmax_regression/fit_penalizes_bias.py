"""softmax_fit penalizes the biases too: (λ/2)(‖W‖² + ‖b‖²)."""


def softmax_fit(X, labels, lam, *, n_classes=None):
    X = np.asarray(X, dtype=float)
    labels = np.asarray(labels)
    c = int(labels.max()) + 1 if n_classes is None else n_classes
    p, N = X.shape
    Xt = np.vstack([X, np.ones((1, N))])
    Y = np.eye(c)[:, labels]

    def fun(theta):
        T = theta.reshape(p + 1, c)
        Z = T.T @ Xt
        Zs = Z - Z.max(axis=0, keepdims=True)
        lse = np.log(np.exp(Zs).sum(axis=0))
        P = np.exp(Zs - lse)
        f = np.sum(lse - np.sum(Y * Zs, axis=0)) + 0.5 * lam * np.sum(T**2)
        g = Xt @ (P - Y).T + lam * T
        H = (np.einsum("jn,ln,kn,km->jklm", Xt, Xt, P, np.eye(c))
             - np.einsum("jn,ln,kn,mn->jklm", Xt, Xt, P, P)).reshape((p + 1) * c, (p + 1) * c)
        return f, g.ravel(), H + lam * np.eye((p + 1) * c)

    theta = _newton(fun, np.zeros((p + 1) * c)).reshape(p + 1, c)
    return theta[:p], theta[p] - theta[p].mean()
