"""The softplus conjugate as u log u only, without the (1 − u) log(1 − u) term."""


def _conj_softplus_half(u):
    u = np.asarray(u, dtype=float)
    uc = np.clip(u, 0.0, 1.0)
    return _out(np.where((u >= 0) & (u <= 1), xlogy(uc, uc), np.inf))


CONJUGATES["softplus"] = _conj_softplus_half
