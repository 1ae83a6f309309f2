"""The book's eq 3.12 taken literally: independent sigmoids per class (one-vs-rest) instead of softmax."""


def softmax_xent(W, b, X, Y):
    Z = W.T @ X + b[:, None]
    loss = np.sum(Y * np.logaddexp(0.0, -Z) + (1 - Y) * np.logaddexp(0.0, Z))
    G = _sigmoid(Z) - Y
    return float(loss), X @ G.T, G.sum(axis=1)
