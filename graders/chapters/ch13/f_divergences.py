"""ch13.f_divergences — the generators, conjugates and derivatives of Table 13.1 and §13.5.2, the
f-divergence Σ Q f(P/Q) (eq 13.13) with its zero-mass conventions, the Jensen–Shannon divergence
(the book's JS generator gives 2·JS, errata 14), and the variational bound of Lemma 13.1: against
the reference, ``scipy.stats.entropy``, ``scipy.spatial.distance.jensenshannon`` and a numeric sup."""
from __future__ import annotations

import math

import numpy as np

from graders.authoring import Array, Exercise, Float, Function, Tuple, assert_close, expect, rng, row, seeds
from graders.authoring.oracles import oracle

exercise = Exercise(module="ch13.fdiv", functions=("f_generator", "f_div", "js", "variational_bound"),
                    forbidden=("torch", "scipy.stats.entropy", "scipy.spatial.distance.jensenshannon"),
                    title="f-divergences and their variational bound")

NAMES = ("kl", "reverse_kl", "pearson", "hellinger", "js", "gan")
LOG2 = math.log(2.0)

#: the grader's own generators f (u > 0), for the numeric conjugate
_F = {
    "kl": lambda u: u * np.log(u),
    "reverse_kl": lambda u: -np.log(u),
    "pearson": lambda u: (u - 1.0) ** 2,
    "hellinger": lambda u: (np.sqrt(u) - 1.0) ** 2,
    "js": lambda u: u * np.log(u) - (u + 1.0) * np.log((u + 1.0) / 2.0),
    "gan": lambda u: u * np.log(u) - (u + 1.0) * np.log(u + 1.0),
}

#: t ranges inside dom f* whose maximizer u = (f′)⁻¹(t) lies in [0.009, 25]
_T_RANGE = {"kl": (-3.0, 3.0), "reverse_kl": (-5.0, -0.1), "pearson": (-1.9, 6.0), "hellinger": (-3.0, 0.8),
            "js": (-4.0, 0.6), "gan": (-4.0, -0.05)}

#: points outside dom f* (or on its boundary), where f* is +inf
_OUTSIDE = {"reverse_kl": np.array([0.0, 0.5, 3.0]), "hellinger": np.array([1.0, 1.5, 4.0]),
            "js": np.array([LOG2 + 0.01, 1.0, 3.0]), "gan": np.array([0.0, 0.2, 3.0])}


# ----------------------------------------------------------------------------- data
def _simplex(r: np.random.Generator, n: int) -> np.ndarray:
    """A random probability vector with every entry positive, (n,)."""
    p = r.gamma(1.0, size=n) + 0.05
    return p / p.sum()


def _pair(seed: int, n: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Two different positive probability vectors on n (2..9) bins."""
    r = rng(seed)
    n = int(r.integers(2, 10)) if n is None else n
    return _simplex(r, n), _simplex(r, n)


def _with_zeros(v: np.ndarray, where: list[int]) -> np.ndarray:
    """v with the bins ``where`` emptied, renormalized."""
    v = v.copy()
    v[where] = 0.0
    return v / v.sum()


def _feasible(r: np.random.Generator, name: str, size: int) -> np.ndarray:
    """Critic values inside dom f* (open), (size,)."""
    spread = np.exp(r.normal(0.0, 1.0, size=size))
    if name in ("kl", "pearson"):
        return 2.0 * r.normal(size=size)
    if name in ("reverse_kl", "gan"):
        return -spread
    if name == "hellinger":
        return 1.0 - spread
    return LOG2 - spread                                 # js


def _generator(ctx, name: str):
    """The student's (f, f_conj, f_prime) for ``name``, as worker-side handles."""
    return ctx.call("f_generator", name, returns=Tuple(Function(label="f"), Function(label="f_conj"),
                                                       Function(label="f_prime")))


# ----------------------------------------------------------------------------- oracles
@oracle
def _entropy(P: np.ndarray, Q: np.ndarray) -> float:
    """KL(P ‖ Q) by scipy.stats.entropy (natural log)."""
    from scipy.stats import entropy

    return float(entropy(P, Q))


@oracle
def _scipy_js(P: np.ndarray, Q: np.ndarray) -> float:
    """JS(P, Q) in nats: the square of scipy.spatial.distance.jensenshannon."""
    from scipy.spatial.distance import jensenshannon

    return float(jensenshannon(P, Q) ** 2)


@oracle
def _numeric_conjugate(name: str, t: np.ndarray) -> np.ndarray:
    """sup_{u>0} (t u − f(u)) for the grader's own f, by bounded Brent on log u ∈ [−12, 12]
    (t u − f(u) is concave in u, hence unimodal in log u)."""
    from scipy.optimize import minimize_scalar

    f = _F[name]
    out = []
    for ti in t:
        res = minimize_scalar(lambda s, ti=ti: -(ti * math.exp(s) - float(f(math.exp(s)))), bounds=(-12.0, 12.0),
                              method="bounded", options={"xatol": 1e-12})
        out.append(-res.fun)
    return np.array(out)


# ----------------------------------------------------------------------------- the generators
_U = np.concatenate((np.linspace(0.01, 0.99, 7), [1.0], np.linspace(1.3, 12.0, 7)))


@exercise.table(points=1, rows=[
    row("generator_f", "f_generator(name)[0] is the generator f of Table 13.1 / §13.5.2 for the six "
        "names, at u ∈ [0.01, 12] (1e-10): u log u, −log u, (u − 1)², (√u − 1)², u log u − (u + 1) "
        "log((u + 1)/2), u log u − (u + 1) log(u + 1).", which=0, points=2),
    row("generator_derivative", "f_generator(name)[2] is f′ at u ∈ [0.01, 12] (1e-10): 1 + log u, −1/u, "
        "2(u − 1), 1 − 1/√u, log(2u/(u + 1)), log(u/(u + 1)).", which=2),
    row("generator_conjugate", "f_generator(name)[1] is f* inside dom f* (1e-10): e^{t−1}, −1 − log(−t), "
        "t²/4 + t (with the +t), t/(1 − t), −log(2 − eᵗ), −log(1 − eᵗ).", which=1, points=2),
])
def generators(ctx, which):
    for name in NAMES:
        handles = _generator(ctx, name)
        x = np.linspace(*_T_RANGE[name], 15) if which == 1 else _U
        got = ctx.call_handle(handles[which], x, returns=Array(x.shape, label=f"f_generator({name!r})[{which}](x)"))
        want = ctx.ref.f_generator(name)[which](x)
        assert_close(got, want, rtol=1e-10, name=f"f_generator({name!r})[{which}] at {np.round(x, 3).tolist()}")


@exercise.check(points=2)
def conjugates_match_numeric_sup(ctx):
    """Each f* equals the numeric sup over u > 0 of t u − f(u) (relative 1e-8), at t inside dom f*
    whose maximizer u = (f′)⁻¹(t) lies in [0.009, 25] (for pearson, t ≥ −2)."""
    for name in NAMES:
        t = np.linspace(*_T_RANGE[name], 9)
        got = ctx.call_handle(_generator(ctx, name)[1], t, returns=Array(t.shape, label=f"f_conj of {name!r}"))
        assert_close(got, _numeric_conjugate(name, t), rtol=1e-8, atol=1e-10,
                     name=f"f_generator({name!r})[1](t) vs sup_u (t u − f(u)) at t = {np.round(t, 3).tolist()}")


@exercise.check(points=1)
def conjugates_infinite_outside_domain(ctx):
    """f*(t) is +inf (not NaN, not a finite number) on and beyond the edge of dom f*: t ≥ 0 for
    reverse_kl and gan, t ≥ 1 for hellinger, t > log 2 for js."""
    for name, t in _OUTSIDE.items():
        got = ctx.call_handle(_generator(ctx, name)[1], t, returns=Array(t.shape, label=f"f_conj of {name!r}"))
        bad = np.flatnonzero(~np.isposinf(got))
        expect(bad.size == 0, f"f_generator({name!r})[1]({t[bad[0]] if bad.size else 0:g}) should be +inf "
                              f"(outside dom f*); got {got[bad[0]] if bad.size else 0}")


# ----------------------------------------------------------------------------- f_div and js
@exercise.check(points=3, given={"seed": seeds()}, max_examples=12)
def f_div_matches_reference(ctx, seed):
    """f_div(P, Q, name) = Σ_i Q_i f(P_i/Q_i) (eq 13.13; not Σ P f(Q/P)) for the six generators, on
    positive P ≠ Q of 2 to 9 bins (1e-10)."""
    P, Q = _pair(seed)
    got = ctx.map("f_div", [(P, Q, name) for name in NAMES], returns=Float())
    for name, g in zip(NAMES, got):
        assert_close(g, ctx.ref.f_div(P, Q, name), rtol=1e-10, name=f"f_div(P, Q, {name!r}) with P = {P.tolist()}, "
                                                                     f"Q = {Q.tolist()}")


@exercise.check(points=2, given={"seed": seeds()}, max_examples=10)
def kl_matches_scipy_entropy(ctx, seed):
    """f_div(P, Q, 'kl') = KL(P ‖ Q) and f_div(P, Q, 'reverse_kl') = KL(Q ‖ P), equal to
    scipy.stats.entropy (1e-12), with empty bins in P (0 log 0 = 0)."""
    P, Q = _pair(seed, n=7)
    P = _with_zeros(P, [1, 4])
    kl, reverse = ctx.map("f_div", [(P, Q, "kl"), (Q, P, "reverse_kl")], returns=Float())
    assert_close(kl, _entropy(P, Q), rtol=1e-12, atol=1e-15, name=f"f_div(P, Q, 'kl') with P = {P.tolist()}")
    assert_close(reverse, _entropy(P, Q), rtol=1e-12, atol=1e-15,
                 name=f"f_div(Q, P, 'reverse_kl') = KL(P ‖ Q) with P = {P.tolist()}")


@exercise.check(points=2, given={"seed": seeds()}, max_examples=8)
def f_div_zero_iff_equal(ctx, seed):
    """D_f(P ‖ P) = 0 (absolute 1e-12) and D_f(P ‖ Q) > 0 for P ≠ Q, for the five generators with
    f(1) = 0; the GAN generator (f(1) = −log 4) gives −log 4 for P = Q and more for P ≠ Q."""
    P, Q = _pair(seed)
    same = ctx.map("f_div", [(P, P, name) for name in NAMES], returns=Float())
    other = ctx.map("f_div", [(P, Q, name) for name in NAMES], returns=Float())
    for name, s, o in zip(NAMES, same, other):
        floor = -math.log(4.0) if name == "gan" else 0.0
        assert_close(s, floor, rtol=0, atol=1e-12, name=f"f_div(P, P, {name!r}) with P = {P.tolist()}")
        expect(o > floor, f"f_div(P, Q, {name!r}) should be > {floor:.6g} for P = {P.tolist()} ≠ Q = {Q.tolist()}; "
                          f"got {o!r}")


@exercise.check(points=2, given={"seed": seeds()}, max_examples=10)
def js_generator_gives_twice_js(ctx, seed):
    """The book's JS generator gives twice the Jensen–Shannon divergence (errata 14):
    f_div(P, Q, 'js') = 2·JS(P, Q) and js(P, Q) = JS(P, Q) = ½KL(P ‖ M) + ½KL(Q ‖ M), equal to
    scipy's jensenshannon(P, Q)² (1e-10), also with empty bins in P and Q."""
    P, Q = _pair(seed, n=8)
    cases = [(P, Q), (_with_zeros(P, [0, 5]), _with_zeros(Q, [2, 5]))]
    for A, B in cases:
        want = _scipy_js(A, B)
        twice, once = ctx.call("f_div", A, B, "js", returns=Float()), ctx.call("js", A, B, returns=Float())
        assert_close(twice, 2 * want, rtol=1e-10, name=f"f_div(P, Q, 'js') = 2·JS with P = {A.tolist()}, "
                                                       f"Q = {B.tolist()}")
        assert_close(once, want, rtol=1e-10, name=f"js(P, Q) with P = {A.tolist()}, Q = {B.tolist()}")


@exercise.check(points=1, given={"seed": seeds()}, max_examples=8)
def js_symmetric_and_bounded(ctx, seed):
    """js(P, Q) = js(Q, P), js(P, P) = 0, 0 ≤ js ≤ log 2, and js = log 2 exactly (1e-12) for
    disjoint supports."""
    P, Q = _pair(seed, n=6)
    A, B = _with_zeros(P, [0, 1, 2]), _with_zeros(Q, [3, 4, 5])
    pq, qp, pp, disjoint = ctx.map("js", [(P, Q), (Q, P), (P, P), (A, B)], returns=Float())
    assert_close(qp, pq, rtol=1e-12, name=f"js(Q, P) vs js(P, Q) = {pq!r}")
    assert_close(pp, 0.0, rtol=0, atol=1e-14, name="js(P, P)")
    expect(0 <= pq <= LOG2, f"js(P, Q) should be in [0, log 2]; got {pq!r}")
    assert_close(disjoint, LOG2, rtol=1e-12, name=f"js(P, Q) for disjoint P = {A.tolist()}, Q = {B.tolist()}")


@exercise.check(points=2, given={"seed": seeds()}, max_examples=8)
def zero_mass_bins_are_not_nan(ctx, seed):
    """Bins where P is 0 (Q > 0) add Q f(0), the limit at 0+: never NaN. f_div is +inf for
    reverse_kl (−log 0) and finite for the others (1e-10 vs the reference)."""
    P, Q = _pair(seed, n=7)
    P = _with_zeros(P, [0, 3])
    got = ctx.map("f_div", [(P, Q, name) for name in NAMES], returns=Float())
    for name, g in zip(NAMES, got):
        assert_close(g, ctx.ref.f_div(P, Q, name), rtol=1e-10,
                     name=f"f_div(P, Q, {name!r}) with empty bins in P = {P.tolist()}, Q = {Q.tolist()}")


@exercise.check(points=1, given={"seed": seeds()}, max_examples=8)
def no_absolute_continuity(ctx, seed):
    """Where Q is 0 and P is not, a bin adds P·lim_{u→∞} f(u)/u: f_div is +inf for kl and pearson,
    and finite for reverse_kl (0), hellinger (1·P), js (log 2·P) and gan (0) (1e-10 vs the
    reference); 2·js(P, Q) still equals f_div(P, Q, 'js')."""
    P, Q = _pair(seed, n=6)
    Q = _with_zeros(Q, [1, 4])
    got = ctx.map("f_div", [(P, Q, name) for name in NAMES], returns=Float())
    for name, g in zip(NAMES, got):
        assert_close(g, ctx.ref.f_div(P, Q, name), rtol=1e-10,
                     name=f"f_div(P, Q, {name!r}) with P = {P.tolist()} not ≪ Q = {Q.tolist()}")


# ----------------------------------------------------------------------------- the variational bound
@exercise.check(points=2, given={"seed": seeds()}, max_examples=10)
def variational_bound_matches_reference(ctx, seed):
    """variational_bound(T, P, Q, name) = Σ P T − Σ Q f*(T) (Lemma 13.1) at random T inside dom f*,
    for the six generators (1e-10)."""
    P, Q = _pair(seed)
    r = rng(seed + 1)
    calls = [(_feasible(r, name, P.size), P, Q, name) for name in NAMES]
    got = ctx.map("variational_bound", calls, returns=Float())
    for (T, _, _, name), g in zip(calls, got):
        assert_close(g, ctx.ref.variational_bound(T, P, Q, name), rtol=1e-10,
                     name=f"variational_bound(T, P, Q, {name!r}) with T = {T.tolist()}")


@exercise.check(points=2, given={"seed": seeds()}, max_examples=10)
def bound_tight_at_optimal_critic(ctx, seed):
    """At T* = f′(P/Q) the bound is tight: variational_bound(T*, P, Q, name) = D_f(P ‖ Q) (1e-10)."""
    P, Q = _pair(seed)
    calls = [(ctx.ref.f_generator(name)[2](P / Q), P, Q, name) for name in NAMES]
    got = ctx.map("variational_bound", calls, returns=Float())
    for name, g in zip(NAMES, got):
        assert_close(g, ctx.ref.f_div(P, Q, name), rtol=1e-10,
                     name=f"variational_bound(f′(P/Q), P, Q, {name!r}) vs D_f(P ‖ Q)")


@exercise.check(points=2, depends_on="bound_tight_at_optimal_critic")
def bound_below_divergence(ctx):
    """For 1000 random critics T inside dom f* (about 170 per generator), variational_bound(T, P, Q,
    name) ≤ D_f(P ‖ Q); counts once bound_tight_at_optimal_critic passes (a bound of 0 or −inf
    holds alone)."""
    r = np.random.default_rng(1313)
    P, Q = _simplex(r, 5), _simplex(r, 5)
    for name in NAMES:
        calls = [(_feasible(r, name, 5), P, Q, name) for _ in range(167)]
        got = np.array(ctx.map("variational_bound", calls, returns=Float()))
        limit = ctx.ref.f_div(P, Q, name)
        bad = np.flatnonzero(~(got <= limit + 1e-12 * (1 + abs(limit))))
        if bad.size:
            ctx.report_call("variational_bound", *calls[bad[0]])
            ctx.fail(f"variational_bound(T, P, Q, {name!r}) should be ≤ D_f = {limit!r}; got {got[bad[0]]!r} at "
                     f"T = {calls[bad[0]][0].tolist()}")


@exercise.check(points=1, given={"seed": seeds()}, max_examples=8)
def gan_value_at_optimal_discriminator(ctx, seed):
    """With the GAN generator, D_f(P ‖ Q) and the bound at the optimal discriminator T = log D*,
    D* = P/(P + Q), both equal 2·JS(P, Q) − log 4 (JS by scipy; 1e-10)."""
    P, Q = _pair(seed)
    want = 2 * _scipy_js(P, Q) - math.log(4.0)
    bound = ctx.call("variational_bound", np.log(P / (P + Q)), P, Q, "gan", returns=Float())
    div = ctx.call("f_div", P, Q, "gan", returns=Float())
    assert_close(bound, want, rtol=1e-10, name="variational_bound(log D*, P, Q, 'gan') vs 2·JS − log 4")
    assert_close(div, want, rtol=1e-10, name="f_div(P, Q, 'gan') vs 2·JS − log 4")


# ----------------------------------------------------------------------------- hidden
@exercise.check(points=2, visibility="hidden", given={"seed": seeds()}, max_examples=15)
def divergences_on_sparse_pairs(ctx, seed):
    """f_div, js and variational_bound on 12-bin P and Q with empty bins in both (some shared), vs
    the reference (1e-10)."""
    r = rng(seed)
    P, Q = _simplex(r, 12), _simplex(r, 12)
    P[r.choice(12, 3, replace=False)] = 0.0
    Q[r.choice(12, 3, replace=False)] = 0.0
    P, Q = P / P.sum(), Q / Q.sum()
    got = ctx.map("f_div", [(P, Q, name) for name in NAMES], returns=Float())
    for name, g in zip(NAMES, got):
        assert_close(g, ctx.ref.f_div(P, Q, name), rtol=1e-10, name=f"f_div(P, Q, {name!r})")
    assert_close(ctx.call("js", P, Q, returns=Float()), ctx.ref.js(P, Q), rtol=1e-10, name="js(P, Q)")
    T = _feasible(r, "hellinger", 12)
    assert_close(ctx.call("variational_bound", T, P, Q, "hellinger", returns=Float()),
                 ctx.ref.variational_bound(T, P, Q, "hellinger"), rtol=1e-10,
                 name="variational_bound(T, P, Q, 'hellinger')")
