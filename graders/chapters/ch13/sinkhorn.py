"""ch13.sinkhorn — entropic optimal transport (POT's convention, the book's eq 13.38 with γ = reg) by
Sinkhorn's scalings u ← a/(K v), v ← b/(Kᵀ u) with K = e^{−M/reg} (eqs 13.44–13.45): exact
marginals, the Gibbs certificate (log P + M/reg additively separable, which with the marginals
proves optimality for any implementation), POT's ``ot.sinkhorn``, the log domain at reg = 1e-3, the
limits reg → 0 (``ot.emd2``) and reg → ∞ (a bᵀ), and speed on 200×300. POT is forbidden."""
from __future__ import annotations

import time

import numpy as np

from graders.authoring import Array, Exercise, Float, Tuple, assert_close, distinct_dims, expect, rng, seeds
from graders.authoring.oracles import oracle
from graders.chapters.ch13._pot import pot

exercise = Exercise(module="ch13.sinkhorn", functions=("sinkhorn", "sinkhorn_cost"), forbidden=("torch",),
                    title="Sinkhorn's algorithm for entropic optimal transport")


def _problem(seed: int, n: int, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """a (n,) and b (m,) positive on the simplex, M (n, m) squared distances between two clouds in ℝ²
    scaled to max M = 1."""
    r = rng(seed)
    a, b = r.uniform(0.2, 1.0, size=n), r.uniform(0.2, 1.0, size=m)
    xs, ys = r.normal(size=(n, 2)), r.normal(size=(m, 2)) + 0.5
    M = ((xs[:, None, :] - ys[None, :, :]) ** 2).sum(-1)
    return a / a.sum(), b / b.sum(), M / M.max()


def _answer(n: int, m: int) -> Tuple:
    return Tuple(Array((n, m), label="P"), Array((n,), label="u"), Array((m,), label="v"))


def _plan(ctx, a, b, M, reg, **kwargs):
    n, m = M.shape
    return ctx.call("sinkhorn", a, b, M, reg, returns=_answer(n, m), **kwargs)


def _separability(P: np.ndarray, M: np.ndarray, reg: float) -> float:
    """max |L_ij − L_i0 − L_0j + L_00| for L = log P + M/reg, relative to max |L| (0 for a Gibbs plan)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        L = np.log(P) + M / reg
    residual = L - L[:, :1] - L[:1, :] + L[0, 0]
    return float(np.max(np.abs(residual)) / max(1.0, float(np.max(np.abs(L)))))


@oracle
def _pot_sinkhorn(a: np.ndarray, b: np.ndarray, M: np.ndarray, reg: float) -> np.ndarray:
    """POT's entropic plan ot.sinkhorn(a, b, M, reg), run to a 1e-14 marginal error."""
    return pot().sinkhorn(a, b, M, reg, numItermax=100000, stopThr=1e-14)


@oracle
def _emd2(a: np.ndarray, b: np.ndarray, M: np.ndarray) -> float:
    """The exact optimal transport cost, ot.emd2(a, b, M)."""
    return float(pot().emd2(a, b, M))


_REGS = (0.05, 0.3)


@exercise.check(points=3, given={"dims": distinct_dims(2, 2, 15), "seed": seeds()}, max_examples=12)
def marginals_match(ctx, dims, seed):
    """sinkhorn(a, b, M, reg) returns a plan with P 1 = a and Pᵀ 1 = b (∞-norm 1e-9), positive and
    finite, for n ≠ m and reg = 0.05 and 0.3 (max M = 1), with the default n_iter and tol (ten
    iterations are not enough; alternate both normalizations until the error is below tol)."""
    a, b, M = _problem(seed, *dims)
    for reg in _REGS:
        P, _, _ = _plan(ctx, a, b, M, reg)
        expect(bool(np.all(np.isfinite(P)) and np.all(P > 0)), f"P should be positive and finite at reg = {reg}")
        assert_close(P.sum(axis=1), a, rtol=0, atol=1e-9, name=f"P 1 (the rows' sums) vs a at reg = {reg}")
        assert_close(P.sum(axis=0), b, rtol=0, atol=1e-9, name=f"Pᵀ 1 (the columns' sums) vs b at reg = {reg}")


@exercise.check(points=3, given={"dims": distinct_dims(2, 2, 15), "seed": seeds()}, max_examples=12)
def gibbs_certificate(ctx, dims, seed):
    """The plan has the Gibbs form P = diag(u) e^{−M/reg} diag(v) (K = e^{−M/reg}, not e^{−M·reg}):
    L = log P + M/reg is additively separable, L_ij − L_i0 − L_0j + L_00 = 0 (1e-10 relative to
    max |L|), at reg = 0.05 and 0.3. With the marginals this certifies optimality."""
    a, b, M = _problem(seed, *dims)
    for reg in _REGS:
        P, _, _ = _plan(ctx, a, b, M, reg)
        expect(bool(np.all(P > 0)), f"P should be positive at reg = {reg} (log P is needed); min P = {P.min()!r}")
        gap = _separability(P, M, reg)
        expect(gap <= 1e-10, f"log P + M/reg should be additively separable at reg = {reg}; the residual "
                             f"L_ij − L_i0 − L_0j + L_00 reaches {gap:.3g} (relative)")


@exercise.check(points=2, given={"dims": distinct_dims(2, 2, 12), "seed": seeds()}, max_examples=10)
def matches_pot_sinkhorn(ctx, dims, seed):
    """P equals POT's ot.sinkhorn(a, b, M, reg) (1e-9 relative to max P) at reg = 0.05 and 0.3, in
    the scaling and in the log domain."""
    a, b, M = _problem(seed, *dims)
    for reg in _REGS:
        want = _pot_sinkhorn(a, b, M, reg)
        for log_domain in (False, True):
            P, _, _ = _plan(ctx, a, b, M, reg, log_domain=log_domain)
            assert_close(P, want, rtol=1e-9, name=f"P at reg = {reg}, log_domain={log_domain} vs ot.sinkhorn")


@exercise.check(points=1, given={"dims": distinct_dims(2, 2, 12), "seed": seeds()}, max_examples=8,
                depends_on="marginals_match")
def scalings_give_plan(ctx, dims, seed):
    """The returned scalings rebuild the plan: P = u_i K_ij v_j with K = e^{−M/reg} (1e-10), u of
    shape (n,) and v of shape (m,), at reg = 0.5 in both domains; counts once marginals_match passes."""
    a, b, M = _problem(seed, *dims)
    K = np.exp(-M / 0.5)
    for log_domain in (False, True):
        P, u, v = _plan(ctx, a, b, M, 0.5, log_domain=log_domain)
        assert_close(u[:, None] * K * v[None, :], P, rtol=1e-10,
                     name=f"diag(u) K diag(v) vs P (log_domain={log_domain})")


@exercise.check(points=2)
def log_domain_stable_at_small_reg(ctx):
    """With log_domain=True and reg = 1e-3 on costs in [1, 2] (every entry of e^{−M/reg} underflows to
    0 in float64) the plan has no NaN, is non-negative, has its marginals (1e-8) and a cost ⟨P, M⟩
    within reg·log(n m) of the exact ot.emd2, on two 6×9 problems."""
    for seed in (1301, 1305):
        a, b, M = _problem(seed, 6, 9)
        M = M + 1.0                                      # a constant shift leaves the optimal plan unchanged
        P, _, _ = _plan(ctx, a, b, M, 1e-3, log_domain=True)
        expect(not np.isnan(P).any() and bool(np.all(P >= 0)), "P should be non-negative without NaN at reg = 1e-3")
        assert_close(P.sum(axis=1), a, rtol=0, atol=1e-8, name="P 1 vs a at reg = 1e-3")
        assert_close(P.sum(axis=0), b, rtol=0, atol=1e-8, name="Pᵀ 1 vs b at reg = 1e-3")
        gap = float(np.sum(P * M)) - _emd2(a, b, M)
        expect(-1e-9 <= gap <= 1e-3 * np.log(54), f"⟨P, M⟩ − emd2 should be in [0, reg·log(nm)] at reg = 1e-3; "
                                                   f"got {gap!r}")


@exercise.check(points=1, given={"dims": distinct_dims(2, 2, 12), "seed": seeds()}, max_examples=10)
def sinkhorn_cost_is_inner_product(ctx, dims, seed):
    """sinkhorn_cost(P, M) = Σ_ij P_ij M_ij (1e-12), for any non-square P and M."""
    r = rng(seed)
    P, M = r.uniform(size=dims), r.uniform(size=dims)
    got = ctx.call("sinkhorn_cost", P, M, returns=Float())
    assert_close(got, float(np.sum(P * M)), rtol=1e-12, name=f"sinkhorn_cost(P, M) with P, M of shape {dims}")


@exercise.check(points=2, depends_on="sinkhorn_cost_is_inner_product")
def cost_decreases_to_emd(ctx):
    """As reg decreases (1, 0.3, 0.1, 0.03, 0.01, 0.003; log domain) the cost sinkhorn_cost(P_reg, M)
    decreases toward the exact ot.emd2(a, b, M) (7×10 problem), ending within reg·log(n m) of it;
    counts once sinkhorn_cost_is_inner_product passes."""
    a, b, M = _problem(1327, 7, 10)
    regs = (1.0, 0.3, 0.1, 0.03, 0.01, 0.003)
    costs = []
    for reg in regs:
        P, _, _ = _plan(ctx, a, b, M, reg, log_domain=True)
        costs.append(ctx.call("sinkhorn_cost", P, M, returns=Float()))
    exact = _emd2(a, b, M)
    expect(bool(np.all(np.diff(costs) < 0)), f"the cost should decrease as reg decreases {regs}; got {costs}")
    expect(-1e-9 <= costs[-1] - exact <= regs[-1] * np.log(70),
           f"at reg = {regs[-1]} the cost {costs[-1]!r} should be within reg·log(nm) above emd2 = {exact!r}")


@exercise.check(points=1, given={"dims": distinct_dims(2, 2, 12), "seed": seeds()}, max_examples=8)
def large_reg_gives_independent_coupling(ctx, dims, seed):
    """As reg → ∞ the plan tends to the independent coupling: at reg = 1e6, P = a bᵀ (1e-5)."""
    a, b, M = _problem(seed, *dims)
    P, _, _ = _plan(ctx, a, b, M, 1e6)
    assert_close(P, np.outer(a, b), rtol=1e-5, name="P at reg = 1e6 vs a bᵀ")


@exercise.check(points=1)
def fast_on_200_by_300(ctx):
    """A 200×300 problem at reg = 0.1 (max M = 1) is solved to the default tolerance in under 1 s
    (vectorize the updates), with the marginals (1e-9)."""
    a, b, M = _problem(1329, 200, 300)
    start = time.perf_counter()
    P, _, _ = _plan(ctx, a, b, M, 0.1)
    elapsed = time.perf_counter() - start
    assert_close(P.sum(axis=1), a, rtol=0, atol=1e-9, name="P 1 vs a (200×300)")
    assert_close(P.sum(axis=0), b, rtol=0, atol=1e-9, name="Pᵀ 1 vs b (200×300)")
    expect(elapsed < 1.0, f"sinkhorn on 200×300 took {elapsed:.2f} s (call included); it should take under 1 s")


# ----------------------------------------------------------------------------- hidden
@exercise.check(points=2, visibility="hidden", given={"dims": distinct_dims(2, 3, 20), "seed": seeds()},
                max_examples=10)
def unbalanced_weights_and_scaled_costs(ctx, dims, seed):
    """Weights spread over three orders of magnitude and costs scaled by 5: marginals (1e-9), the
    Gibbs certificate (1e-10) and POT's plan (1e-9), at reg = 0.2."""
    n, m = dims
    r = rng(seed)
    a, b = np.exp(r.uniform(-3.5, 0.0, size=n)), np.exp(r.uniform(-3.5, 0.0, size=m))
    a, b = a / a.sum(), b / b.sum()
    M = 5.0 * r.uniform(size=(n, m))
    P, _, _ = _plan(ctx, a, b, M, 0.2)
    assert_close(P.sum(axis=1), a, rtol=0, atol=1e-9, name="P 1 vs a")
    assert_close(P.sum(axis=0), b, rtol=0, atol=1e-9, name="Pᵀ 1 vs b")
    expect(bool(np.all(P > 0)) and _separability(P, M, 0.2) <= 1e-10, "log P + M/reg should be separable")
    assert_close(P, _pot_sinkhorn(a, b, M, 0.2), rtol=1e-9, name="P vs ot.sinkhorn")
