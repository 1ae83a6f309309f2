"""cross_entropy and its gradient take the softmax over the batch (axis 0) instead of the classes."""


def _smoothed_target(target, K, eps):
    onehot = np.eye(K)[target] if target.ndim == 1 else target
    return (1.0 - eps) * onehot + eps / K


def cross_entropy(logits, target, reduction="mean", label_smoothing=0.0):
    logits, target, reduction, label_smoothing = _check_ce(logits, target, reduction, label_smoothing)
    t = _smoothed_target(target, logits.shape[1], label_smoothing)
    losses = -(t * log_softmax(logits, axis=0)).sum(axis=1)
    if reduction == "none":
        return losses
    return float(losses.mean() if reduction == "mean" else losses.sum())


def cross_entropy_grad(logits, target, reduction="mean", label_smoothing=0.0):
    logits, target, reduction, label_smoothing = _check_ce(logits, target, reduction, label_smoothing)
    N, K = logits.shape
    t = _smoothed_target(target, K, label_smoothing)
    grad = np.exp(log_softmax(logits, axis=0)) - t
    return grad / N if reduction == "mean" else grad
