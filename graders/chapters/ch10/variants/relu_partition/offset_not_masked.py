"""The offset c propagated without the inactive neurons' mask."""


def local_affine(params, x):
    A, c, h = np.eye(len(x)), np.zeros(len(x)), np.asarray(x, dtype=float)
    for W, b in params:
        W, b = np.asarray(W), np.asarray(b)
        z = W @ h + b
        D = (z > 0).astype(float)
        A, c = D[:, None] * (W @ A), W @ c + b
        h = np.maximum(z, 0.0)
    return A, c
