"""Spectral normalization dividing by the Frobenius norm instead of σ₁."""


def spectral_normalize(W, n_iter):
    return W / torch.sqrt((W ** 2).sum())
