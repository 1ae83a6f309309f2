"""AdaIN with unbiased (ddof=1) standard deviations."""


def adain(X, S, eps=1e-5):
    mu_x, var_x = X.mean(axis=0), X.var(axis=0, ddof=1)
    return (X - mu_x) / np.sqrt(var_x + eps) * S.std(axis=0, ddof=1) + S.mean(axis=0)
