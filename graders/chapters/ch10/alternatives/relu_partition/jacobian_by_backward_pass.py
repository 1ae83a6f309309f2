"""A by a backward pass (rows of the output Jacobian, last layer first), c = f(x) − A x."""


def local_affine(params, x):
    x = np.asarray(x, dtype=float)
    h, masks = x, []
    for W, b in params:
        z = np.asarray(W) @ h + np.asarray(b)
        masks.append((z > 0).astype(float))
        h = np.maximum(z, 0.0)
    J = np.diag(masks[-1])
    for (W, _), mask in zip(reversed(params[1:]), reversed(masks[:-1])):
        J = (J @ np.asarray(W)) * mask[None, :]
    A = J @ np.asarray(params[0][0])
    return A, h - A @ x
