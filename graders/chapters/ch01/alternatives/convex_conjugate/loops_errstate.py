"""conj_numeric one u at a time, the gap by einsum, the closed forms with np.log/np.sqrt under errstate.

conj_numeric one u at a time, the gap's inner product by einsum, and the closed forms written with np.log /
np.sqrt under errstate (u log u − u, e·e^{u−1} as e^{u−1} via a power of e, −√((1−u)(1+u)), Cholesky for ½uᵀQ⁻¹u)."""


def conj_numeric(f, u, xgrid):
    if not callable(f):
        raise TypeError(f"f should be a callable x -> f(x); got f={f!r} (type={type(f).__name__})")
    u = check_array(u, name="u", ndim=1, layout="(k,)")
    xgrid = check_array(xgrid, name="xgrid", ndim=1, layout="(g,)")
    if xgrid.size == 0:
        raise ValueError("xgrid should hold at least one point; got xgrid.shape=(0,)")
    fx = np.array(f(xgrid), dtype=np.float64).reshape(-1)
    fx[np.isnan(fx)] = np.inf
    return np.array([np.max(uj * xgrid - fx) for uj in u])


def fenchel_young_gap(f, fstar, x, u):
    for fn, name in ((f, "f"), (fstar, "fstar")):
        if not callable(fn):
            raise TypeError(f"{name} should be a callable; got {name}={fn!r} (type={type(fn).__name__})")
    x = check_array(x, name="x")
    u = check_array(u, name="u", shape=x.shape, layout="like x")
    fx = np.asarray(f(x), dtype=np.float64)
    fu = np.asarray(fstar(u), dtype=np.float64)
    if fx.shape == x.shape:
        return _out(fx + fu - u * x)
    if x.ndim >= 1 and fx.shape == x.shape[:-1]:
        return _out(fx + fu - np.einsum("...i,...i->...", u, x))
    raise ValueError(f"f(x) should have shape {x.shape} or {x.shape[:-1]}; got shape {fx.shape}")


def _alt_conj_exp(u):
    u = check_array(u, name="u")
    with np.errstate(divide="ignore", invalid="ignore"):
        val = u * np.log(u) - u
    return _out(np.where(u > 0, val, np.where(u == 0, 0.0, np.inf)))


def _alt_conj_xlogx(u):
    u = check_array(u, name="u")
    with np.errstate(over="ignore"):
        return _out(np.power(np.e, u - 1.0))


def _alt_conj_neglog(u):
    u = check_array(u, name="u")
    with np.errstate(divide="ignore", invalid="ignore"):
        val = -(1.0 + np.log(-u))
    return _out(np.where(u < 0, val, np.inf))


def _alt_conj_inv(u):
    u = check_array(u, name="u")
    with np.errstate(invalid="ignore"):
        val = -2.0 * np.sqrt(-u)
    return _out(np.where(u <= 0, val, np.inf))


def _alt_conj_softplus(u):
    u = check_array(u, name="u")
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(u > 0, u * np.log(u), 0.0)
        b = np.where(u < 1, (1.0 - u) * np.log1p(-u), 0.0)
    return _out(np.where((u >= 0) & (u <= 1), a + b, np.inf))


def _alt_conj_sqrt1px2(u):
    u = check_array(u, name="u")
    with np.errstate(invalid="ignore"):
        val = -np.sqrt((1.0 - u) * (1.0 + u))
    return _out(np.where(np.abs(u) <= 1, val, np.inf))


def _alt_conj_abs_p(p):
    p = check_scalar(p, name="p", lo=1, lo_open=True)
    q = 1.0 / (1.0 - 1.0 / p)

    def fstar(u):
        u = check_array(u, name="u")
        return _out(np.power(np.abs(u), q) / q)

    return fstar


def _alt_conj_l1(u):
    u = _vectors(u, name="u")
    return _out(np.where(np.all(np.abs(u) <= 1, axis=-1), 0.0, np.inf))


def _alt_conj_quad(Q):
    Q = _check_spd(Q)
    L = np.linalg.cholesky(Q)                             # Q = L Lᵀ, so uᵀQ⁻¹u = ‖L⁻¹u‖²
    d = Q.shape[0]

    def fstar(u):
        u = _vectors(u, name="u", d=d)
        Z = np.linalg.solve(L, u.reshape(-1, d).T)        # (d, k)
        return _out(0.5 * np.sum(Z * Z, axis=0).reshape(u.shape[:-1]))

    return fstar


def _alt_conj_logsumexp(u):
    u = _vectors(u, name="u")
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(u > 0, u * np.log(u), 0.0)
    on_simplex = (u >= 0).all(axis=-1) & (np.abs(u.sum(axis=-1) - 1.0) <= 1e-9)
    return _out(np.where(on_simplex, terms.sum(axis=-1), np.inf))


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
