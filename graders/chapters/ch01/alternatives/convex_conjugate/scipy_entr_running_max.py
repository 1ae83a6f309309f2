"""conj_numeric as a running maximum over grid blocks, the conjugates through scipy.special.entr.

conj_numeric as a running maximum over blocks of the grid; the conjugates through scipy.special.entr
(−entr), an explicit inverse of Q, ‖u‖∞ by np.linalg.norm, and 1/q = 1 − 1/p."""
from scipy.special import entr as _alt_entr


def conj_numeric(f, u, xgrid):
    if not callable(f):
        raise TypeError(f"f should be a callable x -> f(x); got f={f!r} (type={type(f).__name__})")
    u = check_array(u, name="u", ndim=1, layout="(k,)")
    xgrid = check_array(xgrid, name="xgrid", ndim=1, layout="(g,)")
    if xgrid.size == 0:
        raise ValueError("xgrid should hold at least one point; got xgrid.shape=(0,)")
    fx = np.asarray(f(xgrid), dtype=np.float64).reshape(-1)
    fx = np.nan_to_num(fx, nan=np.inf)
    best = np.full(u.shape, -np.inf)
    for s in range(0, xgrid.size, 2048):
        block = np.outer(u, xgrid[s:s + 2048]) - fx[s:s + 2048]     # (k, b)
        best = np.maximum(best, block.max(axis=1))
    return best


def fenchel_young_gap(f, fstar, x, u):
    for fn, name in ((f, "f"), (fstar, "fstar")):
        if not callable(fn):
            raise TypeError(f"{name} should be a callable; got {name}={fn!r} (type={type(fn).__name__})")
    x = check_array(x, name="x")
    u = check_array(u, name="u", shape=x.shape, layout="like x")
    fx = np.asarray(f(x), dtype=np.float64)
    fu = np.asarray(fstar(u), dtype=np.float64)
    if fx.ndim == x.ndim and fx.shape == x.shape:
        gap = fx + fu - u * x
    elif fx.ndim == x.ndim - 1 and fx.shape == x.shape[:-1]:
        gap = fx + fu - (u * x).sum(axis=-1)
    else:
        raise ValueError(f"f(x) should have shape {x.shape} or {x.shape[:-1]}; got shape {fx.shape}")
    return gap[()] if gap.ndim == 0 else gap


def _alt_conj_exp(u):
    u = check_array(u, name="u")
    return _out(np.where(u >= 0, -_alt_entr(np.maximum(u, 0.0)) - u, np.inf))


def _alt_conj_xlogx(u):
    u = check_array(u, name="u")
    with np.errstate(over="ignore"):
        return _out(np.exp(u) / np.e)


def _alt_conj_neglog(u):
    u = check_array(u, name="u")
    safe = np.where(u < 0, u, -1.0)
    return _out(np.where(u < 0, np.log(-1.0 / safe) - 1.0, np.inf))


def _alt_conj_inv(u):
    u = check_array(u, name="u")
    return _out(np.where(u <= 0, -np.sqrt(np.abs(4.0 * np.minimum(u, 0.0))), np.inf))


def _alt_conj_softplus(u):
    u = check_array(u, name="u")
    inside = (u >= 0) & (u <= 1)
    uc = np.where(inside, u, 0.5)
    return _out(np.where(inside, -(_alt_entr(uc) + _alt_entr(1.0 - uc)), np.inf))


def _alt_conj_sqrt1px2(u):
    u = check_array(u, name="u")
    uc = np.clip(u, -1.0, 1.0)
    return _out(np.where(np.abs(u) <= 1, -np.sqrt(1.0 - uc * uc), np.inf))


def _alt_conj_abs_p(p):
    p = check_scalar(p, name="p", lo=1, lo_open=True)
    one_over_q = 1.0 - 1.0 / p

    def fstar(u):
        u = check_array(u, name="u")
        return _out(one_over_q * np.abs(u) ** (1.0 / one_over_q))

    return fstar


def _alt_conj_l1(u):
    u = _vectors(u, name="u")
    return _out(np.where(np.linalg.norm(u, ord=np.inf, axis=-1) <= 1, 0.0, np.inf))


def _alt_conj_quad(Q):
    Q = _check_spd(Q)
    Qinv = np.linalg.inv(Q)

    def fstar(u):
        u = _vectors(u, name="u", d=Q.shape[0])
        return _out(0.5 * np.einsum("...i,ij,...j->...", u, Qinv, u))

    return fstar


def _alt_conj_logsumexp(u):
    u = _vectors(u, name="u")
    ok = np.all(u >= 0, axis=-1) & (np.abs(np.sum(u, axis=-1) - 1.0) <= 1e-9)
    return _out(np.where(ok, -_alt_entr(np.maximum(u, 0.0)).sum(axis=-1), np.inf))


CONJUGATES = {
    "exp": _alt_conj_exp,
    "xlogx": _alt_conj_xlogx,
    "neglog": _alt_conj_neglog,
    "inv": _alt_conj_inv,
    "softplus": _alt_conj_softplus,
    "sqrt1px2": _alt_conj_sqrt1px2,
    "abs_p": _alt_conj_abs_p,
    "l1": _alt_conj_l1,
    "quad": _alt_conj_quad,
    "logsumexp": _alt_conj_logsumexp,
}
