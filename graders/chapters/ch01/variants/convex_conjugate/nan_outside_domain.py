"""Closed forms evaluated blindly: u log u − u gives NaN (not +inf) for u < 0, and so on."""


def _conj_exp_nan(u):
    u = np.asarray(u, dtype=float)
    with np.errstate(all="ignore"):
        return _out(np.where(u == 0, 0.0, u * np.log(u) - u))


def _conj_neglog_nan(u):
    u = np.asarray(u, dtype=float)
    with np.errstate(all="ignore"):
        return _out(-1.0 - np.log(-u))


CONJUGATES["exp"] = _conj_exp_nan
CONJUGATES["neglog"] = _conj_neglog_nan
