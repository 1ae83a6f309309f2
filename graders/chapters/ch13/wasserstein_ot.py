"""ch13.wasserstein_ot — 1-D Wasserstein distances by merged quantile functions (eq 13.21) against
``scipy.stats.wasserstein_distance`` and POT's exact ``ot.emd2``, the 1-D Monge map G⁻¹∘F, the
Gaussian W2² of eq 13.22 (a square, errata 13) against POT's Bures–Wasserstein distance, the
symmetric Gaussian OT map of eq 13.28, and the Kantorovich LP (eq 13.30) by scipy's linprog against
``ot.emd2``. POT itself is forbidden in the submission."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, Float, Function, Tuple, assert_close, distinct_dims, expect, rng, seeds
from graders.authoring.oracles import oracle
from graders.chapters.ch13._pot import pot

exercise = Exercise(module="ch13.wass",
                    functions=("w_p_1d", "monge_map_1d", "w2_gaussian_sq", "gaussian_ot_map", "emd_discrete"),
                    forbidden=("torch", "scipy.stats.wasserstein_distance", "scipy.stats.wasserstein_distance_nd"),
                    title="Wasserstein distances and optimal transport maps")


# ----------------------------------------------------------------------------- data
def _samples(seed: int, n: int, m: int, weighted: bool):
    """x (n,), y (m,) from two different laws, and weights (None unless ``weighted``)."""
    r = rng(seed)
    x, y = r.normal(size=n), 1.5 * r.standard_t(3, size=m) + 0.3
    if not weighted:
        return x, y, None, None
    return x, y, r.uniform(0.1, 2.0, size=n), r.uniform(0.1, 2.0, size=m)


def _spd(r: np.random.Generator, d: int) -> np.ndarray:
    """A random symmetric positive-definite (d, d) matrix, condition number below ~100."""
    B = r.normal(size=(d, d))
    return B @ B.T / d + 0.1 * np.eye(d)


def _gaussians(seed: int, d: int):
    r = rng(seed)
    return r.normal(size=d), _spd(r, d), r.normal(size=d), _spd(r, d)


def _transport_problem(seed: int, n: int, m: int):
    """a (n,), b (m,) on the simplex and a cost M (n, m) of squared distances between points in ℝ²."""
    r = rng(seed)
    a, b = r.uniform(0.2, 1.0, size=n), r.uniform(0.2, 1.0, size=m)
    xs, ys = r.normal(size=(n, 2)), r.normal(size=(m, 2)) + 0.5
    return a / a.sum(), b / b.sum(), ((xs[:, None, :] - ys[None, :, :]) ** 2).sum(-1)


# ----------------------------------------------------------------------------- oracles
@oracle
def _scipy_w1(x: np.ndarray, y: np.ndarray, wx: np.ndarray | None, wy: np.ndarray | None) -> float:
    """W1 by scipy.stats.wasserstein_distance (the integral of |F − G|)."""
    from scipy.stats import wasserstein_distance

    return float(wasserstein_distance(x, y, wx, wy))


@oracle
def _emd2(a: np.ndarray, b: np.ndarray, M: np.ndarray) -> float:
    """The exact optimal transport cost by POT's network simplex, ot.emd2(a, b, M)."""
    return float(pot().emd2(a, b, M))


@oracle
def _bures_sq(m1: np.ndarray, S1: np.ndarray, m2: np.ndarray, S2: np.ndarray) -> float:
    """W2² between Gaussians: ot.gaussian.bures_wasserstein_distance(m1, m2, S1, S2) squared."""
    return float(pot().gaussian.bures_wasserstein_distance(m1, m2, S1, S2)) ** 2


def _normalized(w: np.ndarray | None, size: int) -> np.ndarray:
    return np.full(size, 1.0 / size) if w is None else w / w.sum()


# ----------------------------------------------------------------------------- w_p_1d
@exercise.check(points=3, given={"dims": distinct_dims(2, 1, 40), "seed": seeds()}, max_examples=12)
def w1_matches_scipy(ctx, dims, seed):
    """w_p_1d(x, y, 1) = scipy.stats.wasserstein_distance(x, y) (1e-10) for n ≠ m samples, without
    weights (uniform 1/n and 1/m: sorting and pairing the samples is wrong when n ≠ m) and with
    weights wx, wy."""
    n, m = dims
    for weighted in (False, True):
        x, y, wx, wy = _samples(seed, n, m, weighted)
        got = ctx.call("w_p_1d", x, y, 1, wx, wy, returns=Float())
        assert_close(got, _scipy_w1(x, y, wx, wy), rtol=1e-10,
                     name=f"w_p_1d(x, y, 1{', wx, wy' if weighted else ''}) with n = {n}, m = {m}")


@exercise.check(points=2, given={"dims": distinct_dims(2, 1, 30), "seed": seeds()}, max_examples=10)
def w2_squared_matches_pot_emd(ctx, dims, seed):
    """w_p_1d(x, y, 2, wx, wy)² equals the exact transport cost ot.emd2(wx, wy, (x_i − y_j)²) with
    the squared cost (1e-10): w_p_1d returns W2 itself, the square root, for n ≠ m weighted samples."""
    n, m = dims
    x, y, wx, wy = _samples(seed, n, m, True)
    got = ctx.call("w_p_1d", x, y, 2, wx, wy, returns=Float())
    want = _emd2(_normalized(wx, n), _normalized(wy, m), (x[:, None] - y[None, :]) ** 2)
    assert_close(got**2, want, rtol=1e-10, name=f"w_p_1d(x, y, 2, wx, wy)² with n = {n}, m = {m}")


@exercise.check(points=2, given={"dims": distinct_dims(2, 1, 30), "seed": seeds()}, max_examples=10)
def w_p_matches_reference(ctx, dims, seed):
    """w_p_1d(x, y, p) = (∫₀¹ |F⁻¹ − G⁻¹|^p dt)^{1/p} for p = 1.5 and 3, with and without weights
    (1e-10); on x = (0, 1, 3), y = (1, 2) it gives W2² = 1/3 + 1/6 + 1/3 = 5/6."""
    n, m = dims
    x, y, _, _ = _samples(seed, n, m, False)
    xw, yw, wx, wy = _samples(seed + 1, n, m, True)
    calls = [(x, y, 1.5), (xw, yw, 3.0, wx, wy)]
    got = ctx.map("w_p_1d", calls, returns=Float())
    for args, g in zip(calls, got):
        assert_close(g, ctx.ref.w_p_1d(*args), rtol=1e-10,
                     name=f"w_p_1d(x, y, {args[2]}{', wx, wy' if len(args) > 3 else ''}) with n = {n}, m = {m}")
    small = ctx.call("w_p_1d", np.array([0.0, 1.0, 3.0]), np.array([1.0, 2.0]), 2, returns=Float())
    assert_close(small**2, 5 / 6, rtol=1e-12, name="w_p_1d([0, 1, 3], [1, 2], 2)²")


# ----------------------------------------------------------------------------- monge_map_1d
def _monge(ctx, xs, ys):
    return ctx.call("monge_map_1d", xs, ys, returns=Function(label="monge_map_1d(xs, ys)"))


@exercise.check(points=2, given={"seed": seeds()}, max_examples=10)
def monge_map_sorts_equal_sizes(ctx, seed):
    """With n = m, T = monge_map_1d(xs, ys) sends the k-th smallest xs to the k-th smallest ys (the
    monotone matching): T(xs) = sort(ys) in the order of xs."""
    r = rng(seed)
    n = int(r.integers(3, 15))
    xs, ys = r.normal(size=n), r.exponential(size=n)
    got = ctx.call_handle(_monge(ctx, xs, ys), xs, returns=Array((n,), label="T(xs)"))
    want = np.empty(n)
    want[np.argsort(xs)] = np.sort(ys)
    assert_close(got, want, rtol=0, name=f"T(xs) for xs = {np.round(xs, 4).tolist()}, ys = {np.round(ys, 4).tolist()}")


@exercise.check(points=2, given={"dims": distinct_dims(2, 2, 12), "seed": seeds()}, max_examples=12)
def monge_map_matches_reference(ctx, dims, seed):
    """T = G⁻¹∘F with F(x) = #{xs ≤ x}/n and G⁻¹(t) = min{y : G(y) ≥ t} (the ⌈t m⌉-th smallest ys,
    min(ys) for t = 0), for n ≠ m, at the samples, between them and outside their range, exactly."""
    n, m = dims
    r = rng(seed)
    xs, ys = r.normal(size=n), r.normal(size=m) * 2.0 + 1.0
    s = np.sort(xs)
    query = np.concatenate((xs, (s[1:] + s[:-1]) / 2, [s[0] - 1.0, s[-1] + 1.0]))
    got = ctx.call_handle(_monge(ctx, xs, ys), query, returns=Array(query.shape, label="T(x)"))
    assert_close(got, ctx.ref.monge_map_1d(xs, ys)(query), rtol=0,
                 name=f"T(x) with n = {n}, m = {m} at x = {np.round(query, 4).tolist()}")


@exercise.check(points=1, given={"seed": seeds()}, max_examples=8)
def monge_map_pushes_forward(ctx, seed):
    """With n = k·m, T pushes the empirical law of xs onto that of ys: T(xs) takes every ys value
    exactly k times, and T is non-decreasing on a fine grid."""
    r = rng(seed)
    m, k = int(r.integers(2, 7)), int(r.integers(2, 4))
    xs, ys = r.uniform(-2.0, 2.0, size=k * m), r.normal(size=m)
    T = _monge(ctx, xs, ys)
    pushed = ctx.call_handle(T, xs, returns=Array((k * m,), label="T(xs)"))
    assert_close(np.sort(pushed), np.repeat(np.sort(ys), k), rtol=0, name=f"sorted T(xs) with n = {k}·{m}")
    grid = np.linspace(-3.0, 3.0, 301)
    values = ctx.call_handle(T, grid, returns=Array(grid.shape, label="T(grid)"))
    expect(bool(np.all(np.diff(values) >= 0)), "T should be non-decreasing on [−3, 3]")


# ----------------------------------------------------------------------------- Gaussians
@exercise.check(points=3, given={"d": st.integers(1, 5), "seed": seeds()}, max_examples=10)
def w2_gaussian_matches_pot(ctx, d, seed):
    """w2_gaussian_sq(m1, S1, m2, S2) = ‖m1 − m2‖² + tr(S1 + S2 − 2(S1^½ S2 S1^½)^½), equal to the
    square of POT's ot.gaussian.bures_wasserstein_distance (1e-10), in 1 to 5 dimensions."""
    m1, S1, m2, S2 = _gaussians(seed, d)
    got = ctx.call("w2_gaussian_sq", m1, S1, m2, S2, returns=Float())
    assert_close(got, _bures_sq(m1, S1, m2, S2), rtol=1e-10, name=f"w2_gaussian_sq(m1, S1, m2, S2) in d = {d}")


@exercise.check(points=1)
def w2_gaussian_is_squared(ctx):
    """Eq 13.22 gives W2², not W2 (errata 13): in 1-D, W2²(N(m1, σ1²), N(m2, σ2²)) = (m1 − m2)² +
    (σ1 − σ2)², here (0 − 3)² + (1 − 2)² = 10; and W2² of a Gaussian with itself is 0 (1e-12)."""
    got = ctx.call("w2_gaussian_sq", np.array([0.0]), np.array([[1.0]]), np.array([3.0]), np.array([[4.0]]),
                   returns=Float())
    assert_close(got, 10.0, rtol=1e-12, name="w2_gaussian_sq(0, 1, 3, 4) (variances 1 and 4)")
    S = np.array([[2.0, 0.3], [0.3, 1.0]])
    same = ctx.call("w2_gaussian_sq", np.array([1.0, -1.0]), S, np.array([1.0, -1.0]), S, returns=Float())
    assert_close(same, 0.0, rtol=0, atol=1e-12, name="w2_gaussian_sq(m, S, m, S)")


def _map(ctx, d, *args):
    return ctx.call("gaussian_ot_map", *args, returns=Tuple(Array((d, d), label="A"), Array((d,), label="b")))


@exercise.check(points=2, given={"d": st.integers(2, 5), "seed": seeds()}, max_examples=10)
def ot_map_matches_reference(ctx, d, seed):
    """gaussian_ot_map returns A = S1^{−½}(S1^½ S2 S1^½)^½ S1^{−½} (eq 13.28) and b = m2 − A m1
    (1e-10), in 2 to 5 dimensions."""
    m1, S1, m2, S2 = _gaussians(seed, d)
    A, b = _map(ctx, d, m1, S1, m2, S2)
    A_ref, b_ref = ctx.ref.gaussian_ot_map(m1, S1, m2, S2)
    assert_close(A, A_ref, rtol=1e-10, name="A")
    assert_close(b, b_ref, rtol=1e-10, scale=float(np.abs(m2).max()), name="b")


@exercise.check(points=2, given={"d": st.integers(2, 5), "seed": seeds()}, max_examples=10)
def ot_map_pushes_covariance(ctx, d, seed):
    """x ↦ A x + b pushes N(m1, S1) onto N(m2, S2): A S1 Aᵀ = S2 and A m1 + b = m2 (1e-10)."""
    m1, S1, m2, S2 = _gaussians(seed, d)
    A, b = _map(ctx, d, m1, S1, m2, S2)
    assert_close(A @ S1 @ A.T, S2, rtol=1e-10, name="A S1 Aᵀ vs S2")
    assert_close(A @ m1 + b, m2, rtol=1e-10, scale=1.0, name="A m1 + b vs m2")


@exercise.check(points=2, given={"d": st.integers(2, 5), "seed": seeds()}, max_examples=10,
                depends_on="ot_map_pushes_covariance")
def ot_map_symmetric_positive_definite(ctx, d, seed):
    """The optimal A is symmetric (1e-10) and positive definite (a gradient of a convex function):
    S2^½ S1^{−½} also pushes S1 onto S2 but is not the optimal map; counts once
    ot_map_pushes_covariance passes."""
    m1, S1, m2, S2 = _gaussians(seed, d)
    A, _ = _map(ctx, d, m1, S1, m2, S2)
    assert_close(A.T, A, rtol=1e-10, name="Aᵀ vs A")
    smallest = float(np.linalg.eigvalsh((A + A.T) / 2).min())
    expect(smallest > 0, f"A should be positive definite; its smallest eigenvalue is {smallest!r}")


@exercise.check(points=1, given={"d": st.integers(1, 5), "seed": seeds()}, max_examples=8)
def ot_map_isotropic(ctx, d, seed):
    """Isotropic case: S1 = σ1² I and S2 = σ2² I give A = (σ2/σ1) I (1e-12)."""
    r = rng(seed)
    s1, s2 = float(r.uniform(0.3, 3.0)), float(r.uniform(0.3, 3.0))
    A, _ = _map(ctx, d, r.normal(size=d), s1**2 * np.eye(d), r.normal(size=d), s2**2 * np.eye(d))
    assert_close(A, s2 / s1 * np.eye(d), rtol=1e-12, name=f"A for σ1 = {s1:.4g}, σ2 = {s2:.4g}")


@exercise.check(points=1)
def pushed_samples_have_target_moments(ctx):
    """20000 samples of N(m1, S1) (rows X, 3-D) pushed by X Aᵀ + b have the mean m2 and covariance S2
    of the target within 5 standard errors."""
    r = np.random.default_rng(1328)
    m1, S1, m2, S2 = r.normal(size=3), _spd(r, 3), r.normal(size=3), _spd(r, 3)
    A, b = _map(ctx, 3, m1, S1, m2, S2)
    N = 20000
    X = r.multivariate_normal(m1, S1, size=N)            # (N, 3), one sample per row
    Y = X @ A.T + b
    mean_err = np.abs(Y.mean(axis=0) - m2) / np.sqrt(np.diag(S2) / N)
    expect(bool(np.all(mean_err <= 5)), f"the pushed samples' mean is {mean_err.max():.3g} standard errors from m2")
    cov_se = np.sqrt((np.outer(np.diag(S2), np.diag(S2)) + S2**2) / N)
    cov_err = np.abs(np.cov(Y, rowvar=False) - S2) / cov_se
    expect(bool(np.all(cov_err <= 5)), f"the pushed samples' covariance is {cov_err.max():.3g} standard errors "
                                       "from S2")


# ----------------------------------------------------------------------------- emd_discrete
def _emd(ctx, a, b, M):
    n, m = M.shape
    return ctx.call("emd_discrete", a, b, M, returns=Tuple(Array((n, m), label="P"), Float(label="cost")))


@exercise.check(points=2, given={"dims": distinct_dims(2, 2, 12), "seed": seeds()}, max_examples=10)
def emd_marginals_exact(ctx, dims, seed):
    """emd_discrete(a, b, M) returns a coupling: P ≥ 0, P 1 = a and Pᵀ 1 = b (absolute 1e-9), with
    n ≠ m."""
    a, b, M = _transport_problem(seed, *dims)
    P, _ = _emd(ctx, a, b, M)
    expect(bool(np.all(P >= -1e-12)), f"P should be non-negative; its smallest entry is {P.min()!r}")
    assert_close(P.sum(axis=1), a, rtol=0, atol=1e-9, name="P 1 (the rows' sums) vs a")
    assert_close(P.sum(axis=0), b, rtol=0, atol=1e-9, name="Pᵀ 1 (the columns' sums) vs b")


@exercise.check(points=3, given={"dims": distinct_dims(2, 2, 12), "seed": seeds()}, max_examples=10)
def emd_cost_matches_pot(ctx, dims, seed):
    """The returned cost is the optimal ⟨P, M⟩ (eq 13.30), equal to POT's exact ot.emd2(a, b, M) and
    to ⟨P, M⟩ of the returned P (1e-10)."""
    a, b, M = _transport_problem(seed, *dims)
    P, cost = _emd(ctx, a, b, M)
    want = _emd2(a, b, M)
    assert_close(cost, want, rtol=1e-10, name="cost vs ot.emd2(a, b, M)")
    assert_close(float(np.sum(P * M)), want, rtol=1e-10, name="⟨P, M⟩ of the returned P vs ot.emd2(a, b, M)")


@exercise.check(points=1, given={"dims": distinct_dims(2, 2, 12), "seed": seeds()}, max_examples=8,
                depends_on="emd_marginals_exact")
def emd_plan_is_a_vertex(ctx, dims, seed):
    """The LP solution is a vertex of the transport polytope: at most n + m − 1 entries of P exceed
    1e-12; counts once emd_marginals_exact passes."""
    n, m = dims
    P, _ = _emd(ctx, *_transport_problem(seed, n, m))
    count = int(np.sum(P > 1e-12))
    expect(count <= n + m - 1, f"P has {count} non-zero entries, more than n + m − 1 = {n + m - 1}")


@exercise.check(points=1, depends_on="emd_cost_matches_pot")
def emd_triangle_inequality(ctx):
    """With the Euclidean distance as cost, the optimal cost W1 is a metric: for three random
    weighted clouds in ℝ² of 5, 7 and 6 points, W1(μ1, μ3) ≤ W1(μ1, μ2) + W1(μ2, μ3) (and each
    term is positive); counts once emd_cost_matches_pot passes."""
    r = np.random.default_rng(1330)
    clouds = [r.normal(size=(k, 2)) + shift for k, shift in ((5, 0.0), (7, 1.0), (6, -0.5))]
    weights = [r.uniform(0.2, 1.0, size=len(c)) for c in clouds]
    weights = [w / w.sum() for w in weights]

    def w1(i, j):
        M = np.sqrt(((clouds[i][:, None, :] - clouds[j][None, :, :]) ** 2).sum(-1))
        return _emd(ctx, weights[i], weights[j], M)[1]

    d12, d23, d13 = w1(0, 1), w1(1, 2), w1(0, 2)
    expect(min(d12, d23, d13) > 0, f"each W1 should be positive; got {d12!r}, {d23!r}, {d13!r}")
    expect(d13 <= d12 + d23 + 1e-12, f"W1(μ1, μ3) = {d13!r} should be ≤ W1(μ1, μ2) + W1(μ2, μ3) = {d12 + d23!r}")


# ----------------------------------------------------------------------------- hidden
@exercise.check(points=2, visibility="hidden", given={"dims": distinct_dims(2, 3, 25), "seed": seeds()},
                max_examples=10)
def w_p_with_ties_and_empty_weights(ctx, dims, seed):
    """w_p_1d on samples with repeated values and some zero weights: W1 vs scipy and W2² vs
    ot.emd2 (1e-10)."""
    n, m = dims
    r = rng(seed)
    x, y = np.round(r.normal(size=n), 1), np.round(r.normal(size=m) + 0.2, 1)
    wx, wy = r.uniform(0.1, 1.0, size=n), r.uniform(0.1, 1.0, size=m)
    wx[r.integers(n)] = 0.0
    wy[r.integers(m)] = 0.0
    w1, w2 = ctx.map("w_p_1d", [(x, y, 1, wx, wy), (x, y, 2, wx, wy)], returns=Float())
    assert_close(w1, _scipy_w1(x, y, wx, wy), rtol=1e-10, name="w_p_1d(x, y, 1, wx, wy) with ties")
    want = _emd2(wx / wx.sum(), wy / wy.sum(), (x[:, None] - y[None, :]) ** 2)
    assert_close(w2**2, want, rtol=1e-10, atol=1e-14, name="w_p_1d(x, y, 2, wx, wy)² with ties")
