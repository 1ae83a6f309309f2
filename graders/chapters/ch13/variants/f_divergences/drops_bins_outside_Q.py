"""Sums only over the bins where Q > 0: KL and Pearson stay finite when P is not ≪ Q."""


def f_div(P, Q, name):
    P, Q = _check_distributions(P, Q)
    f = _GENERATORS[name]()[0]
    on_Q = Q > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.sum(Q[on_Q] * f(P[on_Q] / Q[on_Q])))
