"""The conjugate of exp written as u log u, without the −u term."""


def _conj_exp_no_minus_u(u):
    u = np.asarray(u, dtype=float)
    up = np.maximum(u, 0.0)
    return _out(np.where(u >= 0, xlogy(up, up), np.inf))


CONJUGATES["exp"] = _conj_exp_no_minus_u
