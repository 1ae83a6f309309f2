"""Softmax written out with the row maximum subtracted, its log taken after; dropout by uniform draws
compared with the keep probability; weight decay and the ℓp loss by loops."""


def log_softmax(z, axis=-1):
    z = np.asarray(z, float)
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    s = e / e.sum(axis=axis, keepdims=True)
    with np.errstate(divide="ignore"):
        out = np.log(s)
    m = np.max(z, axis=axis, keepdims=True)
    lse = m + np.log(np.exp(z - m).sum(axis=axis, keepdims=True))
    return np.where(np.isfinite(out), out, z - lse)


def dropout(x, p, training, rng):
    x = np.asarray(x, float)
    if not training:
        return x.copy(), np.ones_like(x)
    keep = rng.uniform(size=x.shape) < 1.0 - p
    mask = np.where(keep, 1.0 / (1.0 - p), 0.0)
    return x * mask, mask


def l2_grad(params, lam):
    out = []
    for theta in params:
        out.append(np.multiply(theta, lam, dtype=float))
    return out


def lp_loss(y, yhat, p):
    total = 0.0
    for a, b in zip(np.ravel(y), np.ravel(yhat)):
        total += abs(a - b) ** p
    return float(total)
