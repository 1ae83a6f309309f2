"""ch01.convex_conjugate — f*(u) = sup_x ux − f(x) (eq 1.52): the numeric sup on a grid, the closed
forms of Table 1.3, and the Fenchel–Young inequality."""
from __future__ import annotations

import importlib

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, Function, Record, assert_close, expect, expit, rng, seeds
from graders.authoring.oracles import oracle

exercise = Exercise(module="ch01.conjugate", functions=("conj_numeric", "CONJUGATES", "fenchel_young_gap"),
                    title="Convex conjugates (Table 1.3) and Fenchel–Young")

GRID = np.linspace(-20.0, 20.0, 400001)                  # spacing 1e-4 (CURRICULUM)
KEYS = ("exp", "xlogx", "neglog", "inv", "softplus", "sqrt1px2", "abs_p", "l1", "quad", "logsumexp")

#: scalar key -> (u range whose maximizer lies well inside GRID, x range inside dom f, f′)
SCALAR = {
    "exp": ((0.05, 20.0), (-3.0, 3.0), np.exp),
    "xlogx": ((-4.0, 3.0), (0.05, 5.0), lambda x: np.log(x) + 1.0),
    "neglog": ((-5.0, -0.1), (0.1, 5.0), lambda x: -1.0 / x),
    "inv": ((-5.0, -0.01), (0.2, 5.0), lambda x: -1.0 / x**2),
    "softplus": ((0.01, 0.99), (-5.0, 5.0), expit),
    "sqrt1px2": ((-0.99, 0.99), (-5.0, 5.0), lambda x: x / np.sqrt(1.0 + x * x)),
}
#: p of the |x|^p/p factory -> u range (maximizer sign(u)|u|^{1/(p−1)} inside GRID)
ABS_P = {3.0: (-5.0, 5.0), 1.5: (-4.0, 4.0)}

#: points outside dom f*, where f* must be +inf (not NaN)
OUTSIDE = {
    "exp": np.array([-1e-3, -1.0, -50.0]),
    "neglog": np.array([0.0, 1e-3, 2.0]),
    "inv": np.array([1e-3, 2.0]),
    "softplus": np.array([-1e-3, 1.001, 5.0]),
    "sqrt1px2": np.array([-1.001, 1.001, 3.0]),
}
#: boundary points of dom f* (where f* = 0)
BOUNDARY = {"exp": [0.0], "inv": [0.0], "softplus": [0.0, 1.0], "sqrt1px2": [-1.0, 1.0]}


# ----------------------------------------------------------------------------- helpers
def _conjugates(ctx) -> dict:
    """The student's CONJUGATES dict (worker-side callables as handles), with every key present."""
    return ctx.get("CONJUGATES", returns=Record(**{key: Function() for key in KEYS}))


def _functions(ctx) -> dict:
    table = ctx.get("FUNCTIONS")
    expect(isinstance(table, dict) and all(k in table for k in KEYS),
           "FUNCTIONS (given in ch01/conjugate.py) should be the dict of the primal functions; it was changed")
    return table


def _factory(ctx, table, key, arg, what):
    return ctx.call_handle(table[key], arg, returns=Function(label=f"what CONJUGATES[{key!r}]({what}) returns"))


@oracle
def _numeric_conjugate(key: str, p: float | None, u: np.ndarray) -> np.ndarray:
    """The grid sup of ux − f(x) over GRID for the reference's primal ``FUNCTIONS[key]`` (built by
    the factory with ``p`` where ``p`` is not None), (len(u),)."""
    f = importlib.import_module(exercise.reference_name).FUNCTIONS[key]   # the module itself, never a recording
    return _numeric_sup(f if p is None else f(p), u)


@oracle
def _fenchel_young_gap(key: str, p: float | None, x: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The reference's fenchel_young_gap of its own ``FUNCTIONS[key]`` and ``CONJUGATES[key]``
    (built by the factories with ``p`` where ``p`` is not None), of the shape of x."""
    module = importlib.import_module(exercise.reference_name)              # the module itself, never a recording
    f, fstar = module.FUNCTIONS[key], module.CONJUGATES[key]
    if p is not None:
        f, fstar = f(p), fstar(p)
    return module.fenchel_young_gap(f, fstar, x, u)


def _numeric_sup(f, u: np.ndarray, grid: np.ndarray = GRID) -> np.ndarray:
    """The grader's own grid sup of ux − f(x) (+inf outside dom f)."""
    with np.errstate(all="ignore"):
        fx = np.asarray(f(grid), dtype=float)
    fx = np.where(np.isnan(fx), np.inf, fx)
    return np.array([np.max(ui * grid - fx) for ui in u])


def _scalar_cases(ctx, table):
    """One tuple per scalar case: (key, p, label, the student's f* handle, the reference f and f*,
    the u range, the x range, f′); p is None except for the abs_p factory."""
    ref = ctx.ref
    for key, (urange, xrange, fprime) in SCALAR.items():
        yield (key, None, f"CONJUGATES[{key!r}]", table[key], ref.FUNCTIONS[key], ref.CONJUGATES[key], urange, xrange,
               fprime)
    for p, urange in ABS_P.items():
        yield ("abs_p", p, f"CONJUGATES['abs_p']({p:g})", _factory(ctx, table, "abs_p", p, f"p={p:g}"),
               ref.FUNCTIONS["abs_p"](p), ref.CONJUGATES["abs_p"](p), urange, (-3.0, 3.0),
               lambda x, p=p: np.sign(x) * np.abs(x) ** (p - 1))


# ----------------------------------------------------------------------------- checks
@exercise.check(points=1)
def conj_numeric_on_known_conjugates(ctx):
    """conj_numeric(f, u, xgrid) is the grid sup of ux − f(x): ½x² → u²/2, eˣ → u log u − u, and
    −log x (+inf for x ≤ 0) → −1 − log(−u), also when f gives NaN instead of +inf for x ≤ 0 (NaN
    counts as +inf, a point outside dom f) (absolute 1e-6)."""
    conjugates = ctx.ref.CONJUGATES
    square = np.linspace(-3.0, 3.0, 13)
    cases = [
        ("lambda x: 0.5 * x ** 2", square, np.linspace(-10.0, 10.0, 20001),
         conjugates["quad"](np.eye(1))(square[:, None])),
        ("lambda x: np.exp(x)", np.linspace(0.5, 5.0, 10), GRID, conjugates["exp"](np.linspace(0.5, 5.0, 10))),
        ("lambda x: np.where(x > 0, -np.log(np.where(x > 0, x, 1.0)), np.inf)", np.linspace(-3.0, -0.2, 8), GRID,
         conjugates["neglog"](np.linspace(-3.0, -0.2, 8))),
        ("lambda x: np.where(x > 0, -np.log(np.where(x > 0, x, 1.0)), np.nan)", np.linspace(-3.0, -0.2, 8), GRID,
         conjugates["neglog"](np.linspace(-3.0, -0.2, 8))),
    ]
    for source, u, grid, exact in cases:
        got = ctx.call("conj_numeric", ctx.function(source), u, grid, returns=Array(u.shape))
        assert_close(got, exact, rtol=0, atol=1e-6, name=f"conj_numeric({source.split(': ')[1]}, u, xgrid)")


@exercise.check(points=2)
def closed_forms_match_numeric_sup(ctx):
    """Every scalar closed form (exp, xlogx, neglog, inv, softplus, sqrt1px2, abs_p with p = 3 and
    1.5) equals the grid sup of ux − f(x) over [−20, 20] with spacing 1e-4 (absolute 1e-4), at u
    whose maximizer lies inside the grid."""
    table = _conjugates(ctx)
    for key, p, label, fstar, _, _, (lo, hi), _, _ in _scalar_cases(ctx, table):
        u = np.linspace(lo, hi, 15)
        got = ctx.call_handle(fstar, u, returns=Array(u.shape, label=f"{label}(u)"))
        assert_close(got, _numeric_conjugate(key, p, u), rtol=0, atol=1e-4, name=f"{label}(u) vs the numeric sup")


@exercise.check(points=1)
def infinite_outside_domain(ctx):
    """f*(u) is +inf (not NaN, not a finite number) outside dom f*: u < 0 for exp, u ≥ 0 for neglog,
    u > 0 for inv, u ∉ [0, 1] for softplus, |u| > 1 for sqrt1px2, ‖u‖∞ > 1 for l1, u off the
    probability simplex for logsumexp."""
    table = _conjugates(ctx)
    for key, u in OUTSIDE.items():
        got = ctx.call_handle(table[key], u, returns=Array(u.shape, label=f"CONJUGATES[{key!r}](u)"))
        bad = np.flatnonzero(~np.isposinf(got))
        expect(bad.size == 0, f"CONJUGATES[{key!r}]({u[bad[0]] if bad.size else 0:g}) should be +inf (outside dom f*); "
                              f"got {got[bad[0]] if bad.size else 0}")
    vectors = {"l1": np.array([[0.5, -1.2, 0.0], [2.0, 0.0, 0.1]]),
               "logsumexp": np.array([[0.5, 0.6, 0.0], [-0.1, 0.6, 0.5], [0.2, 0.2, 0.2]])}
    for key, U in vectors.items():
        got = ctx.call_handle(table[key], U, returns=Array((U.shape[0],), label=f"CONJUGATES[{key!r}](U)"))
        expect(np.all(np.isposinf(got)), f"CONJUGATES[{key!r}] should be +inf at every row of {U.tolist()} (outside "
                                         f"dom f*); got {got.tolist()}")


@exercise.check(points=1, given={"seed": seeds()}, max_examples=8)
def vector_conjugates(ctx, seed):
    """Vector closed forms on rows of U (k, d): l1 → indicator of ‖u‖∞ ≤ 1 (0 inside), quad(Q) →
    ½uᵀQ⁻¹u, logsumexp → Σ uᵢ log uᵢ on the simplex (0 log 0 = 0) (relative 1e-10)."""
    g = rng(seed)
    table = _conjugates(ctx)
    U = g.uniform(-1.0, 1.0, size=(6, 4))
    got = ctx.call_handle(table["l1"], U, returns=Array((6,), label="CONJUGATES['l1'](U) for U of shape (6, 4)"))
    assert_close(got, np.zeros(6), rtol=0, atol=0, name="CONJUGATES['l1'] inside the unit ℓ∞ ball")
    M = g.normal(size=(3, 3))
    Q = M @ M.T + 3 * np.eye(3)
    U = g.normal(size=(5, 3))
    fstar = _factory(ctx, table, "quad", Q, "Q")
    got = ctx.call_handle(fstar, U, returns=Array((5,), label="CONJUGATES['quad'](Q)(U) for U of shape (5, 3)"))
    assert_close(got, ctx.ref.CONJUGATES["quad"](Q)(U), rtol=1e-10, name="CONJUGATES['quad'](Q)(U) = ½ uᵀQ⁻¹u")
    P = g.dirichlet(np.ones(4), size=5)
    P[0] = [0.0, 0.3, 0.7, 0.0]                                                # zero entries: 0 log 0 = 0
    got = ctx.call_handle(table["logsumexp"], P,
                          returns=Array((5,), label="CONJUGATES['logsumexp'](U) for U of shape (5, 4)"))
    assert_close(got, ctx.ref.CONJUGATES["logsumexp"](P), rtol=1e-10, atol=1e-14,
                 name="CONJUGATES['logsumexp'](U) = Σ uᵢ log uᵢ on the simplex")


@exercise.check(points=2, given={"seed": seeds()}, max_examples=3)
def fenchel_young(ctx, seed):
    """fenchel_young_gap(f, f*, x, u) = f(x) + f*(u) − ux is ≥ 0 on 10⁴ random pairs of every scalar
    conjugate (≥ −1e-12 relative) and equals the expected gap, and it is 0 at u = f′(x) (1e-10),
    also for l1 (u = sign x), quad (u = Qx) and logsumexp (u = softmax x)."""
    g = rng(seed)
    table, funcs = _conjugates(ctx), _functions(ctx)
    for key, p, label, fstar, f, fstar_ref, (ulo, uhi), (xlo, xhi), fprime in _scalar_cases(ctx, table):
        fh = funcs[key] if p is None else ctx.call_handle(funcs["abs_p"], p)
        x, u = g.uniform(xlo, xhi, 10_000), g.uniform(ulo, uhi, 10_000)
        gap = ctx.call("fenchel_young_gap", fh, fstar, x, u,
                       returns=Array(x.shape, label=f"fenchel_young_gap for {label}"))
        terms = np.abs(f(x)) + np.abs(fstar_ref(u)) + np.abs(u * x)
        worst = int(np.argmin(gap + 1e-12 * (1 + terms)))
        expect(gap[worst] >= -1e-12 * (1 + terms[worst]),
               f"fenchel_young_gap for {label} is negative at x = {x[worst]:.6g}, u = {u[worst]:.6g}: {gap[worst]:.3g} "
               "(Fenchel–Young: f(x) + f*(u) ≥ ux)")
        assert_close(gap, _fenchel_young_gap(key, p, x, u), rtol=1e-9, atol=1e-9,
                     name=f"fenchel_young_gap for {label} (f(x) + f*(u) − ux)")
        at = fprime(x)
        gap = ctx.call("fenchel_young_gap", fh, fstar, x[:200], at[:200],
                       returns=Array((200,), label=f"fenchel_young_gap for {label} at u = f′(x)"))
        assert_close(gap, np.zeros(200), rtol=0, atol=1e-10 * (1 + float(np.max(terms))),
                     name=f"fenchel_young_gap for {label} at u = f′(x) (equality case)")
    X = g.normal(size=(50, 3))
    M = g.normal(size=(3, 3))
    Q = M @ M.T + 3 * np.eye(3)
    E = np.exp(X - X.max(axis=1, keepdims=True))
    vector = [("l1", funcs["l1"], table["l1"], np.sign(X), ctx.ref.FUNCTIONS["l1"]),
              ("quad", ctx.call_handle(funcs["quad"], Q), _factory(ctx, table, "quad", Q, "Q"), X @ Q,
               ctx.ref.FUNCTIONS["quad"](Q)),
              ("logsumexp", funcs["logsumexp"], table["logsumexp"], E / E.sum(axis=1, keepdims=True),
               ctx.ref.FUNCTIONS["logsumexp"])]
    for key, fh, fstar, U, f in vector:
        gap = ctx.call("fenchel_young_gap", fh, fstar, X, U,
                       returns=Array((50,), label=f"fenchel_young_gap for {key} on (50, 3) rows"))
        scale = 1 + float(np.max(np.abs(f(X)) + np.abs(np.sum(U * X, axis=1))))
        assert_close(gap, np.zeros(50), rtol=0, atol=1e-10 * scale,
                     name=f"fenchel_young_gap for {key} at a subgradient u")


@exercise.check(points=1, visibility="hidden")
def biconjugate(ctx):
    """f** = f: your conj_numeric applied to your f* (exp, softplus, sqrt1px2) on a u-grid of
    spacing 1e-4 gives back f (absolute 1e-3)."""
    table = _conjugates(ctx)
    ref = ctx.ref.FUNCTIONS
    cases = [("exp", np.linspace(-2.0, 2.0, 9), np.linspace(0.0, 30.0, 300001)),
             ("softplus", np.linspace(-3.0, 3.0, 9), np.linspace(0.0, 1.0, 10001)),
             ("sqrt1px2", np.linspace(-3.0, 3.0, 9), np.linspace(-1.0, 1.0, 20001))]
    for key, x, ugrid in cases:
        got = ctx.call("conj_numeric", table[key], x, ugrid,
                       returns=Array(x.shape, label=f"conj_numeric(CONJUGATES[{key!r}], x, ugrid)"))
        assert_close(got, ref[key](x), rtol=0, atol=1e-3, name=f"f** for {key} (should be f)")


@exercise.check(points=1, visibility="hidden", given={"a": st.sampled_from([0.5, 2.0, 3.0])}, max_examples=3)
def scaling_rule(ctx, a):
    """(a f)*(u) = a f*(u/a) for f = eˣ: your conj_numeric of a·eˣ equals a·CONJUGATES['exp'](u/a)
    (absolute 1e-4)."""
    table = _conjugates(ctx)
    u = np.linspace(0.2, 8.0, 12)
    numeric = ctx.call("conj_numeric", ctx.function(f"lambda x: {a!r} * np.exp(x)"), u, GRID, returns=Array(u.shape))
    closed = ctx.call_handle(table["exp"], u / a, returns=Array(u.shape, label="CONJUGATES['exp'](u / a)"))
    assert_close(a * closed, numeric, rtol=0, atol=1e-4, name=f"{a:g}·f*(u/{a:g}) vs (a f)*(u)")
    assert_close(numeric, u * np.log(u / a) - u, rtol=0, atol=1e-4, name=f"(a f)*(u) for a = {a:g}")


@exercise.check(points=1, visibility="hidden", given={"seed": seeds()}, max_examples=3)
def closed_forms_match_reference(ctx, seed):
    """Every closed form matches Table 1.3 to relative 1e-10 inside its domain, including the
    boundary values f*(0) = 0 (exp, inv), f*(0) = f*(1) = 0 (softplus), f*(±1) = 0 (sqrt1px2)."""
    g = rng(seed)
    table = _conjugates(ctx)
    for key, _, label, fstar, _, fstar_ref, (lo, hi), _, _ in _scalar_cases(ctx, table):
        u = np.sort(g.uniform(lo, hi, 50))
        if key in BOUNDARY:
            u = np.r_[u, BOUNDARY[key]]
        got = ctx.call_handle(fstar, u, returns=Array(u.shape, label=f"{label}(u)"))
        assert_close(got, fstar_ref(u), rtol=1e-10, atol=1e-14, name=f"{label}(u)")
