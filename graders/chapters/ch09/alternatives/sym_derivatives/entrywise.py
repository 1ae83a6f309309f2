"""The Jacobian built entry by entry, a_k(δ_kl − a_l); the variances and the scale as powers."""


def softmax_jacobian():
    return sp.Matrix(3, 3, lambda k, l: a[k] * (sp.KroneckerDelta(k, l) - a[l]))


def layer_norm_grad_diag():
    return 1 / sigma - (1 + y_i**2) / (n * sigma)


def layer_norm_grad_offdiag():
    return -(y_i * y_j + 1) / sigma / n


def score_variance():
    return sum([s_q**2 * s_k**2] * 1) * d


def score_scale():
    return d ** sp.Rational(-1, 2)
