"""A composed in the wrong order: D⁰W⁰ ⋯ DᴸWᴸ instead of DᴸWᴸ ⋯ D⁰W⁰."""


def local_affine(params, x):
    A, c, h = None, np.zeros(0), np.asarray(x, dtype=float)
    for W, b in params:
        W, b = np.asarray(W), np.asarray(b)
        z = W @ h + b
        D = (z > 0).astype(float)
        A = D[:, None] * W if A is None else A @ (D[:, None] * W)
        c = D * (W @ c + b) if c.size == W.shape[1] else D * b
        h = np.maximum(z, 0.0)
    return A, c
