"""Forms M = (1 + ε) I + A and multiplies with einsum; the mean as D⁻¹ A X, the max by sorting."""


def aggregate(A, X, how="sum"):
    A, X = np.asarray(A, float), np.asarray(X, float)
    if how == "sum":
        return np.einsum("ij,jf->if", A, X)
    if how == "mean":
        d = A.sum(axis=1)
        inv = np.divide(1.0, d, out=np.zeros_like(d), where=d != 0)
        return np.einsum("ij,jf->if", np.diag(inv) @ A, X)
    out = np.zeros_like(X)
    for i in range(len(A)):
        senders = np.flatnonzero(A[i])
        if senders.size:
            out[i] = np.sort(X[senders], axis=0)[-1]
    return out


def readout(X, how="sum"):
    X = np.asarray(X, float)
    if how == "sum":
        return np.ones(len(X)) @ X
    if how == "mean":
        return np.ones(len(X)) @ X / len(X)
    return np.sort(X, axis=0)[-1]


def gin_layer(A, X, W, eps, b=None):
    A, X, W = np.asarray(A, float), np.asarray(X, float), np.asarray(W, float)
    M = (1.0 + eps) * np.eye(len(A)) + A
    pre = np.einsum("ij,jf,fg->ig", M, X, W)
    if b is not None:
        pre = pre + np.asarray(b, float)[None, :]
    return np.clip(pre, 0.0, None)
