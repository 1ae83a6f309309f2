"""Label smoothing gives ε/(K − 1) to each wrong class and 1 − ε to the true one (not ε/K to all)."""


def _smoothed_target(target, K, eps):
    onehot = np.eye(K)[target] if target.ndim == 1 else target
    return (1.0 - eps) * onehot + eps / (K - 1) * (1.0 - onehot)
