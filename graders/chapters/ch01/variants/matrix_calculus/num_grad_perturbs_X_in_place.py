"""num_grad moves the caller's X in place (X_i += h, −= 2h, += h), which leaves rounding in X."""


def num_grad(f, X, h=1e-6):
    G = np.zeros(X.shape)
    for i in range(X.size):
        X.flat[i] += h
        f_plus = _scalar(f(X))
        X.flat[i] -= 2 * h
        f_minus = _scalar(f(X))
        X.flat[i] += h                                    # back to X_i, up to rounding
        G.flat[i] = (f_plus - f_minus) / (2 * h)
    return G
