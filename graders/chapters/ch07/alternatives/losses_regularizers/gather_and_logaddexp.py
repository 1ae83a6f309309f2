"""log-sum-exp by np.logaddexp.reduce; the loss as (1 − ε)·(−log p_target) + ε·mean_k(−log p_k),
gathering the true class's log-probability; dropout by Bernoulli draws (rng.binomial)."""


def log_softmax(z, axis=-1):
    z = np.asarray(z, float)
    return z - np.logaddexp.reduce(z, axis=axis, keepdims=True)


def cross_entropy(logits, target, reduction="mean", label_smoothing=0.0):
    logits, target, reduction, eps = _check_ce(logits, target, reduction, label_smoothing)
    logp = log_softmax(logits, axis=1)
    if target.ndim == 1:
        nll = -logp[np.arange(len(target)), target]
    else:
        nll = -(target * logp).sum(axis=1)
    losses = (1.0 - eps) * nll + eps * (-logp).mean(axis=1)
    return {"none": lambda: losses, "sum": lambda: float(losses.sum()), "mean": lambda: float(losses.mean())}[reduction]()


def cross_entropy_grad(logits, target, reduction="mean", label_smoothing=0.0):
    logits, target, reduction, eps = _check_ce(logits, target, reduction, label_smoothing)
    N, K = logits.shape
    probs = np.exp(log_softmax(logits, axis=1))
    hard = np.zeros((N, K))
    if target.ndim == 1:
        hard[np.arange(N), target] = 1.0
    else:
        hard = target
    grad = probs - (1.0 - eps) * hard - eps / K
    return grad / N if reduction == "mean" else grad


def dropout(x, p, training, rng):
    x = np.asarray(x, float)
    if not training:
        return x.copy(), np.ones_like(x)
    mask = rng.binomial(1, 1.0 - p, size=x.shape) / (1.0 - p)
    return x * mask, mask
