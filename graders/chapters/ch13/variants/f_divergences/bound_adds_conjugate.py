"""Variational bound with the wrong sign on the conjugate term: Σ P T + Σ Q f*(T)."""


def variational_bound(T, P, Q, name):
    P, Q = _check_distributions(P, Q)
    T = check_array(T, name="T", shape=P.shape)
    f_conj = _GENERATORS[name]()[1]
    on_Q = Q > 0
    return float(np.sum(P * T) + np.sum(Q[on_Q] * f_conj(T[on_Q])))
