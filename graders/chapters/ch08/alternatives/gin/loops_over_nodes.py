"""Loops over nodes and their in-neighbours, as in the message-passing picture: a dict of rules."""


def aggregate(A, X, how="sum"):
    A, X = np.asarray(A, float), np.asarray(X, float)
    out = np.zeros_like(X)
    for i in range(len(A)):
        senders = [j for j in range(len(A)) if A[i, j] != 0]
        if not senders:
            continue
        if how == "sum":
            out[i] = sum(A[i, j] * X[j] for j in senders)
        elif how == "mean":
            out[i] = sum(A[i, j] * X[j] for j in senders) / sum(A[i, j] for j in senders)
        else:
            out[i] = np.max(X[senders], axis=0)
    return out


def readout(X, how="sum"):
    X = np.asarray(X, float)
    rows = [X[i] for i in range(len(X))]
    if how == "max":
        return np.maximum.reduce(rows)
    total = sum(rows)
    return total / len(rows) if how == "mean" else total


def gin_layer(A, X, W, eps, b=None):
    A, X, W = np.asarray(A, float), np.asarray(X, float), np.asarray(W, float)
    H = (1.0 + eps) * X + aggregate(A, X, "sum")
    out = np.zeros((len(X), W.shape[1]))
    for i in range(len(X)):
        z = H[i] @ W + (0.0 if b is None else np.asarray(b, float))
        out[i] = np.where(z > 0, z, 0.0)
    return out
