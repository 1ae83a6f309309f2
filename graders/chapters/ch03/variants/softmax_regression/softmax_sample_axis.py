"""Softmax over the sample axis (the last axis, as in row-layout code) instead of the class axis."""


def softmax(Z, axis=-1):
    Z = np.asarray(Z, dtype=float)
    E = np.exp(Z - Z.max(axis=axis, keepdims=True))
    return E / E.sum(axis=axis, keepdims=True)


def softmax_xent(W, b, X, Y):
    P = softmax(W.T @ X + b[:, None])
    loss = -np.sum(Y * np.log(P))
    G = P - Y
    return float(loss), X @ G.T, G.sum(axis=1)
