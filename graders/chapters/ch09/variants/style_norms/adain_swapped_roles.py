"""AdaIN that scales by the content's σ and divides by the style's."""


def adain(X, S, eps=1e-5):
    mu_x = X.mean(axis=0)
    return (X - mu_x) / np.sqrt(S.var(axis=0) + eps) * X.std(axis=0) + S.mean(axis=0)
