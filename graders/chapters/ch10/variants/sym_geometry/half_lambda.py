"""The threshold λ/2 instead of λ (the prox of λ|·| mistaken for that of λ|·|/2)."""


def soft_threshold():
    return sp.sign(v) * sp.Max(sp.Abs(v) - lam / 2, 0)
