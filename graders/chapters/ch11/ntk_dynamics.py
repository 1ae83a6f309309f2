"""ch11.ntk_dynamics — the linear model's neural tangent kernel K = XXᵀ and the gradient flow of
least squares, ė = −Ke (11.20–11.21), with V = ½‖e‖² as a Lyapunov function; the Lyapunov
derivative of ex 11.3. scipy's expm is the grader's oracle."""
from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, Float, Tuple, arrays, assert_close, expect, oracle, row, seeds

exercise = Exercise(module="ch11.ntk_linear",
                    functions=("linear_ntk", "gradient_flow_lsq", "lyapunov_V", "predicted_error", "vdot"),
                    forbidden=("torch", "scipy.linalg.expm", "scipy.linalg.expm_frechet", "scipy.sparse.linalg"),
                    title="Linear NTK dynamics and Lyapunov functions")


def _scaled(X: np.ndarray, lam_max: float) -> np.ndarray:
    """``X`` scaled so that λ_max(XXᵀ) = lam_max."""
    return X * math.sqrt(lam_max / float(np.linalg.eigvalsh(X @ X.T)[-1]))


def _problem(N: int, p: int, seed: int, lam_max: float = 10.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A seeded least-squares problem: X (N, p) with λ_max(XXᵀ) = lam_max, y (N,), θ0 (p,)."""
    g = np.random.default_rng(seed)
    X = _scaled(g.normal(size=(N, p)), lam_max)
    return X, g.normal(size=N), g.normal(size=p)


def _flow(N: int, p: int, T: int) -> Tuple:
    return Tuple(Array((T + 1, p), label="thetas"), Array((T + 1, N), label="errors"))


@oracle
def _expm_residual(K: np.ndarray, e0: np.ndarray, t: float) -> np.ndarray:
    """exp(−Kt) e0 by scipy's expm (Padé with scaling and squaring), (N,)."""
    from scipy.linalg import expm

    return expm(-K * t) @ e0


# ---- the kernel and the Euler steps --------------------------------------------------------------

@exercise.check(points=1, given={"case": arrays(X=("N", "p"), dims=(1, 8))}, max_examples=20)
def linear_ntk_is_XXt(ctx, case):
    """linear_ntk(X) for X (N, p), one sample per row, is the N×N kernel K = XXᵀ (not the p×p
    XᵀX) (relative 1e-10)."""
    got = ctx.call("linear_ntk", case.X, returns=Array((case.N, case.N)))
    assert_close(got, ctx.ref.linear_ntk(case.X), rtol=1e-10, name="linear_ntk(X)")


@exercise.check(points=2, given={"case": arrays(X=("N", "p"), y="N", theta0="p", dims=(2, 7)),
                                 "T": st.one_of(st.just(0), st.integers(7, 30)), "frac": st.floats(0.05, 1.9)},
                max_examples=20)
def euler_steps(ctx, case, T, frac):
    """gradient_flow_lsq(X, y, θ0, dt, T) is T Euler steps θ_{k+1} = θ_k − dt·Xᵀ(Xθ_k − y) from
    θ0 (row 0), with e_k = Xθ_k − y: thetas (T + 1, p), errors (T + 1, N) (relative 1e-10), for
    dt < 2/λ_max(XXᵀ)."""
    dt = frac / float(np.linalg.eigvalsh(case.X @ case.X.T)[-1])
    thetas, errors = ctx.call("gradient_flow_lsq", case.X, case.y, case.theta0, dt, T,
                              returns=_flow(case.N, case.p, T))
    want_thetas, want_errors = ctx.ref.gradient_flow_lsq(case.X, case.y, case.theta0, dt, T)
    assert_close(thetas, want_thetas, rtol=1e-10, atol=1e-12, name="thetas")
    assert_close(errors, want_errors, rtol=1e-10, atol=1e-12, name="errors (e_k = Xθ_k − y)")


@exercise.check(points=1, given={"case": arrays(e="N", dims=(1, 9))}, max_examples=15)
def lyapunov_V_is_half_squared_norm(ctx, case):
    """lyapunov_V(e) is V = ½‖e‖² (relative 1e-12)."""
    got = ctx.call("lyapunov_V", case.e, returns=Float())
    assert_close(got, ctx.ref.lyapunov_V(case.e), rtol=1e-12, name="lyapunov_V(e)")


# ---- the Lyapunov function along the flow -------------------------------------------------------

@exercise.table(points=1, depends_on="euler_steps", rows=[
    row("lyapunov_decreases_small_step", "With dt = 0.2/λ_max(K), V(e_k) = ½‖e_k‖² never increases "
        "along gradient_flow_lsq (N = 4 < p = 7, 200 steps); counts once euler_steps passes.",
        N=4, p=7, seed=3, frac=0.2),
    row("lyapunov_decreases_near_the_limit", "With dt = 1.98/λ_max(K), just under the stability limit "
        "2/λ_max, V(e_k) still never increases (N = 9 > p = 4, 200 steps); counts once euler_steps passes.",
        N=9, p=4, seed=4, frac=1.98),
])
def lyapunov_decreases(ctx, N, p, seed, frac):
    X, y, theta0 = _problem(N, p, seed)
    dt, T = frac / 10.0, 200
    _, errors = ctx.call("gradient_flow_lsq", X, y, theta0, dt, T, returns=_flow(N, p, T))
    V = 0.5 * np.sum(errors**2, axis=1)                                          # (T + 1,)
    rises = np.flatnonzero(~(V[1:] <= V[:-1] * (1 + 1e-12)))
    expect(rises.size == 0, f"V = ½‖e‖² rises from {V[rises[0]] if rises.size else 0:.6g} to "
                            f"{V[rises[0] + 1] if rises.size else 0:.6g} at step {rises[0] if rises.size else 0} "
                            f"(dt = {dt:.4g} < 2/λ_max = 0.2)")


@exercise.check(points=2, depends_on="euler_steps")
def dV_dt_is_minus_eKe(ctx):
    """Along the flow V̇ = eᵀė = −eᵀKe: the forward differences (V(e_{k+1}) − V(e_k))/dt of your
    lyapunov_V at dt = 1e-4 match −e_kᵀKe_k, K = XXᵀ, to 1e-3 relative (λ_max(K) = 5, N = 6,
    p = 4); counts once euler_steps passes."""
    X, y, theta0 = _problem(6, 4, 11, lam_max=5.0)
    dt, T = 1e-4, 40
    _, errors = ctx.call("gradient_flow_lsq", X, y, theta0, dt, T, returns=_flow(6, 4, T))
    V = np.array(ctx.map("lyapunov_V", [(e,) for e in errors], returns=Float()))  # (T + 1,)
    want = -np.einsum("ki,ij,kj->k", errors[:-1], X @ X.T, errors[:-1])          # −e_kᵀKe_k
    assert_close(np.diff(V) / dt, want, rtol=1e-3, name="(V(e_{k+1}) − V(e_k))/dt vs −e_kᵀKe_k")


@exercise.table(points=2, rows=[
    row("euler_follows_expm_N_lt_p", "The residuals of gradient_flow_lsq (dt = 2e-4, 5000 steps, λ_max(K) = 10) "
        "follow the exact solution e(t) = exp(−Kt)e(0) of ė = −Ke (scipy's expm) at t = 0, 0.1, …, 1 "
        "to 1e-3 relative (N = 5 < p = 8).", N=5, p=8, seed=5),
    row("euler_follows_expm_N_gt_p", "Likewise for N = 8 > p = 3, where K = XXᵀ is singular and e(t) tends to "
        "a nonzero limit.", N=8, p=3, seed=6),
])
def euler_follows_expm(ctx, N, p, seed):
    X, y, theta0 = _problem(N, p, seed)
    dt, T, every = 2e-4, 5000, 500
    _, errors = ctx.call("gradient_flow_lsq", X, y, theta0, dt, T, returns=_flow(N, p, T))
    K, e0 = X @ X.T, X @ theta0 - y
    want = np.array([_expm_residual(K, e0, k * dt) for k in range(0, T + 1, every)])
    assert_close(errors[::every], want, rtol=1e-3, name="errors[k] vs exp(−K·k·dt) e(0)")


@exercise.table(points=2, rows=[
    row("interpolates_when_N_le_p", "For N = 4 ≤ p = 7 (K = XXᵀ positive definite) gradient_flow_lsq with "
        "dt = 1/λ_max(K) drives the residual to 0: ‖Xθ_T − y‖ and ‖e_T‖ ≤ 1e-6‖e_0‖.", N=4, p=7, seed=0),
    row("interpolates_when_N_le_p_2", "Likewise for N = 3 ≤ p = 5.", N=3, p=5, seed=2, points=1),
    row("plateaus_when_N_gt_p", "For N = 9 > p = 4 the residual plateaus at the least-squares residual "
        "Xθ_LS − y (θ_T → θ_LS) to 1e-6 relative.", N=9, p=4, seed=0),
    row("plateaus_when_N_gt_p_2", "Likewise for N = 8 > p = 3.", N=8, p=3, seed=1, points=1),
])
def converges_or_plateaus(ctx, N, p, seed):
    g = np.random.default_rng(seed)
    X = g.normal(size=(N, p))                                                    # the seeds of the calibration
    y, theta0 = g.normal(size=N), g.normal(size=p)
    lam = np.linalg.eigvalsh(X @ X.T)
    kappa = lam[-1] / lam[lam > 1e-9 * lam[-1]][0]
    T = int(math.ceil(kappa * math.log(1e10)))                                   # (1 − 1/κ)^T ≤ 1e-10
    thetas, errors = ctx.call("gradient_flow_lsq", X, y, theta0, 1.0 / lam[-1], T, returns=_flow(N, p, T))
    scale = float(np.linalg.norm(X @ theta0 - y))
    theta_ls = np.linalg.lstsq(X, y, rcond=None)[0]
    limit = X @ theta_ls - y if N > p else np.zeros(N)                          # the least-squares residual
    assert_close(X @ thetas[-1] - y, limit, rtol=0, atol=1e-6 * scale, name=f"Xθ_T − y after {T} steps")
    assert_close(errors[-1], limit, rtol=0, atol=1e-6 * scale, name=f"e_T after {T} steps")
    if N > p:
        assert_close(thetas[-1], theta_ls, rtol=1e-6, name=f"θ_T after {T} steps vs θ_LS")


@exercise.check(points=2, given={"case": arrays(X=("N", "p"), e0="N", dims=(1, 7)), "t": st.floats(0.0, 2.0)},
                max_examples=20)
def predicted_error_is_expm(ctx, case, t):
    """predicted_error(e0, K, t) is exp(−Kt) e0 for a kernel K = XXᵀ (N×N, singular when N > p,
    λ_max = 10) and t in [0, 2], equal to scipy's expm to relative 1e-10."""
    K = _scaled(case.X, 10.0) @ _scaled(case.X, 10.0).T
    K = (K + K.T) / 2
    got = ctx.call("predicted_error", case.e0, K, t, returns=Array((case.N,)))
    assert_close(got, _expm_residual(K, case.e0, t), rtol=1e-10, atol=1e-14, name=f"predicted_error(e0, K, {t!r})")


@exercise.check(points=1, visibility="hidden", given={"seed": seeds()}, max_examples=5)
def predicted_error_long_time_limit(ctx, seed):
    """For N > p and a long time (t = 50, λ_min⁺(K) ≥ 1), predicted_error(Xθ0 − y, XXᵀ, t) is the
    part of e0 in the null space of K, the least-squares residual Xθ_LS − y (absolute 1e-9‖e0‖)."""
    g = np.random.default_rng(seed)
    N, p = 7, 3
    U, _ = np.linalg.qr(g.normal(size=(N, p)))
    X = U @ np.diag(g.uniform(1.0, 2.0, size=p)) @ np.linalg.qr(g.normal(size=(p, p)))[0]   # singular values in [1, 2]
    y, theta0 = g.normal(size=N), g.normal(size=p)
    e0 = X @ theta0 - y
    got = ctx.call("predicted_error", e0, X @ X.T, 50.0, returns=Array((N,)))
    limit = X @ np.linalg.lstsq(X, y, rcond=None)[0] - y
    assert_close(got, limit, rtol=0, atol=1e-9 * float(np.linalg.norm(e0)), name="predicted_error at t = 50")


# ---- ex 11.3 --------------------------------------------------------------------------------------

@exercise.check(points=1, given={"seed": seeds(), "a": st.floats(-2.0, 2.0)}, max_examples=15)
def vdot_formula(ctx, seed, a):
    """vdot(x, y, a) is V̇ = 2x(ay² − x) + 4y(−y − ax²) elementwise on ndarrays x, y (ex 11.3)
    (relative 1e-12)."""
    g = np.random.default_rng(seed)
    x, y = g.uniform(-3.0, 3.0, size=13), g.uniform(-3.0, 3.0, size=13)
    got = ctx.call("vdot", x, y, a, returns=Array((13,)))
    assert_close(got, ctx.ref.vdot(x, y, a), rtol=1e-12, name=f"vdot(x, y, {a!r})")


@exercise.check(points=1, given={"seed": seeds(), "a": st.floats(-2.0, 2.0)}, max_examples=10)
def vdot_is_the_chain_rule(ctx, seed, a):
    """vdot is the derivative of V = x² + 2y² along ẋ = ay² − x, ẏ = −y − ax²: it matches the
    central difference (V(z + hF(z)) − V(z − hF(z)))/(2h), h = 1e-6 (relative 1e-6)."""
    g = np.random.default_rng(seed)
    x, y = g.uniform(-2.0, 2.0, size=9), g.uniform(-2.0, 2.0, size=9)
    fx, fy = a * y**2 - x, -y - a * x**2                                          # the vector field F
    h = 1e-6

    def V(u, v):
        return u**2 + 2 * v**2

    want = (V(x + h * fx, y + h * fy) - V(x - h * fx, y - h * fy)) / (2 * h)
    got = ctx.call("vdot", x, y, a, returns=Array((9,)))
    assert_close(got, want, rtol=1e-6, name=f"vdot(x, y, {a!r}) vs central differences of V along the flow")
