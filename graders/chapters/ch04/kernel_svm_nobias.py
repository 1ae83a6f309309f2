"""ch04.kernel_svm_nobias — the kernel SVM without bias (§4.4.2): the box-constrained dual
max 1ᵀλ − ½λᵀ(yyᵀ ⊙ K)λ over 0 ≤ λ ≤ C, with NO equality constraint, and f = Σ y_j λ_j k(x_j, ·)
(eq 4.36). λ need not be unique, so it is graded by the objective, the duality gap, the KKT
conditions and the decision values, never entry by entry."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from threadpoolctl import threadpool_limits

from graders.authoring import Array, Exercise, assert_close, distinct_dims, expect, rng, seeds
from graders.authoring.checks.kkt import assert_gap, svm_conditions
from graders.authoring.oracles import oracle
from graders.chapters.ch04._kernels import KERNELS

exercise = Exercise(module="ch04.ksvm", functions=("ksvm_nobias_fit", "ksvm_nobias_decision"),
                    forbidden=("torch", "scipy", "sympy"), title="Kernel SVM without bias")


def _problem(seed: int, n: int, kernel: str, imbalance: float = 0.0):
    """Points (n, 2) with noisy nonlinear ±1 labels; ``imbalance`` > 0 shifts them towards +1."""
    g = rng(seed)
    X = g.normal(size=(n, 2))
    score = X[:, 0] + 0.6 * X[:, 1] ** 2 - 0.3 + 0.5 * g.normal(size=n) + imbalance
    y = np.where(score > 0, 1.0, -1.0)
    y[:2] = (1.0, -1.0)                                   # both classes present
    return X, y, KERNELS[kernel](X, X)


@st.composite
def _problems(draw):
    kernel = draw(st.sampled_from(["rbf", "poly2", "linear"]))
    seed, n = draw(seeds()), draw(st.integers(6, 30))
    C = draw(st.sampled_from([0.1, 1.0, 10.0]))
    return (kernel, seed, n, C), *_problem(seed, n, kernel, imbalance=draw(st.sampled_from([0.0, 1.0])))


def _dual(lam, Q) -> float:
    return float(lam.sum() - 0.5 * lam @ Q @ lam)


@oracle
def _box_qp_optimum(K: np.ndarray, y: np.ndarray, C: float) -> float:
    """The optimal dual value of the box QP by scipy's L-BFGS-B (the oracle, imported on first use)."""
    from scipy.optimize import minimize

    Q = np.outer(y, y) * K
    with threadpool_limits(1):  # tiny matrices: BLAS threads only contend (100× slower on a busy host)
        res = minimize(lambda lam: (-_dual(lam, Q), Q @ lam - 1.0), np.zeros(len(y)), jac=True, method="L-BFGS-B",
                       bounds=[(0.0, C)] * len(y),
                       options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 100000, "maxfun": 100000})
    return _dual(np.clip(res.x, 0.0, C), Q)


def _optimum(ctx, K, y, C) -> float:
    """The optimal dual value: the better of scipy's L-BFGS-B on the box QP and the reference."""
    return max(_box_qp_optimum(K, y, C), _dual(ctx.ref.ksvm_nobias_fit(K, y, C), np.outer(y, y) * K))


def _balance_hint(lam: np.ndarray, y: np.ndarray) -> str:
    """A hint only where the answer shows its cause: Σλ_i y_i = 0 (to 1e-8·Σλ) at a λ that falls
    short of the optimum is the biased SVM's equality constraint."""
    if np.all(np.isfinite(lam)) and abs(float(lam @ y)) <= 1e-8 * max(1.0, float(np.abs(lam).sum())):
        return ("; your λ has Σλ_i y_i = 0, the biased SVM's equality constraint, which the no-bias dual "
                "does not have")
    return ""


def _fit_in_box(ctx, K, y, C) -> np.ndarray:
    """The student's λ = ksvm_nobias_fit(K, y, C): of shape (n,) and in the box [0, C] (to 1e-12·C)."""
    lam = ctx.call("ksvm_nobias_fit", K, y, C, returns=Array(y.shape))
    low, high = float(np.min(lam)), float(np.max(lam))
    expect(np.all(np.isfinite(lam)) and low >= -1e-12 * C and high <= C * (1 + 1e-12),
           f"λ should lie in the box [0, C] = [0, {C:g}] (to 1e-12·C); got values in [{low:.6g}, {high:.6g}]")
    return lam


@exercise.check(points=2, given={"problem": _problems()}, max_examples=12)
def dual_objective_is_optimal(ctx, problem):
    """The dual objective 1ᵀλ − ½λᵀ(yyᵀ ⊙ K)λ reaches the optimum of the box QP (the grader's
    L-BFGS-B; relative 1e-7): no equality constraint Σλy = 0, and the ½ is there."""
    (_, _, _, C), _, y, K = problem
    lam = _fit_in_box(ctx, K, y, C)
    got, best = _dual(lam, np.outer(y, y) * K), _optimum(ctx, K, y, C)
    tol = 1e-7 * max(1.0, abs(best))
    expect(np.isfinite(got) and got >= best - tol,
           f"your λ reaches the dual objective {got:.10g}, but the optimum over the box is {best:.10g} "
           f"(shortfall {best - got:.3g} > {tol:.3g}){_balance_hint(lam, y)}")


@exercise.check(points=1, given={"problem": _problems()}, max_examples=15, depends_on="dual_objective_is_optimal")
def box_constraints(ctx, problem):
    """λ has shape (n,) and 0 ≤ λ_i ≤ C (to 1e-12·C) (λ = 0 is in the box: it counts once
    dual_objective_is_optimal passes)."""
    (_, _, _, C), _, y, K = problem
    _fit_in_box(ctx, K, y, C)


@exercise.check(points=2, given={"problem": _problems()}, max_examples=12)
def zero_duality_gap(ctx, problem):
    """With α = λ ⊙ y and f = ksvm_nobias_decision(K, λ, y), the RKHS primal
    ½αᵀKα + CΣ max(0, 1 − y_i f_i) equals the dual objective (gap ≤ 1e-6 relative)."""
    (_, _, _, C), _, y, K = problem
    lam = _fit_in_box(ctx, K, y, C)
    f = ctx.call("ksvm_nobias_decision", K, lam, y, returns=Array(y.shape))
    alpha = lam * y
    primal = 0.5 * alpha @ K @ alpha + C * np.maximum(0.0, 1.0 - y * f).sum()
    assert_gap(primal, _dual(lam, np.outer(y, y) * K), tol=1e-6, name="primal vs dual")


@exercise.check(points=1, given={"problem": _problems()}, max_examples=12)
def kkt_trichotomy(ctx, problem):
    """KKT conditions at 1e-5 with f = K(λ ⊙ y): λ_i = 0 ⇒ y_i f_i ≥ 1, 0 < λ_i < C ⇒ y_i f_i = 1,
    λ_i = C ⇒ y_i f_i ≤ 1."""
    (_, _, _, C), _, y, K = problem
    lam = _fit_in_box(ctx, K, y, C)
    conditions = svm_conditions(lam, y, K @ (lam * y), C, zero_tol=1e-5, with_equality=False)
    expect(conditions.trichotomy <= 1e-5,
           f"complementary slackness fails: {conditions.describe()} > 1e-5 (f = K(λ ⊙ y), no bias)")


@exercise.check(points=1, given={"dims": distinct_dims(2, 1, 9), "seed": seeds()}, max_examples=15)
def decision_values(ctx, dims, seed):
    """ksvm_nobias_decision(K_test (m, n), λ, y) = K_test(y ⊙ λ) = Σ_j y_j λ_j k(x_j, x), no bias (1e-12)."""
    m, n = dims
    g = rng(seed)
    K_test, lam = g.normal(size=(m, n)), g.uniform(0.0, 2.0, size=n)
    y = np.where(g.random(n) < 0.5, -1.0, 1.0)
    assert_close(ctx.call("ksvm_nobias_decision", K_test, lam, y), ctx.ref.ksvm_nobias_decision(K_test, lam, y),
                 rtol=1e-12,
                 name="ksvm_nobias_decision(K_test, lam, y)")


@exercise.check(points=1)
def orthogonal_points_closed_form(ctx):
    """Orthogonal features, K = diag(1, 4, 0.25), y = (1, −1, 1), C = 2: the dual separates and
    λ_i = min(1/K_ii, C) = (1, 0.25, 2) (1e-9); a constraint Σλy = 0 would change it."""
    K, y = np.diag([1.0, 4.0, 0.25]), np.array([1.0, -1.0, 1.0])
    assert_close(ctx.call("ksvm_nobias_fit", K, y, 2.0, returns=Array(y.shape)), [1.0, 0.25, 2.0], rtol=1e-9,
                 name="λ for K = diag(1, 4, 0.25), C = 2")


@exercise.check(points=1, visibility="hidden")
def imbalanced_labels(ctx):
    """With 27 of 30 labels +1 the box-QP optimum is far from balanced (Σλ_i y_i ≈ 3.9, where a
    bias would force 0); your dual objective matches it (relative 1e-7)."""
    _, y, K = _problem(17, 30, "rbf", imbalance=2.0)
    lam = _fit_in_box(ctx, K, y, 1.0)
    got, best = _dual(lam, np.outer(y, y) * K), _optimum(ctx, K, y, 1.0)
    expect(got >= best - 1e-7 * max(1.0, abs(best)),
           f"your dual objective {got:.10g} is below the box-QP optimum {best:.10g}{_balance_hint(lam, y)}")


@exercise.check(points=1, visibility="hidden", given={"problem": _problems()}, max_examples=10)
def decision_matches_reference(ctx, problem):
    """f on 7 test points equals the reference's (f is unique even where λ is not; 1e-4 relative)."""
    (kernel, seed, _, C), X, y, K = problem
    X_test = rng(seed + 1).normal(size=(7, 2))
    K_test = KERNELS[kernel](X_test, X)
    lam = ctx.call("ksvm_nobias_fit", K, y, C, returns=Array(y.shape))
    got = ctx.call("ksvm_nobias_decision", K_test, lam, y)
    want = ctx.ref.ksvm_nobias_decision(K_test, ctx.ref.ksvm_nobias_fit(K, y, C), y)
    assert_close(got, want, rtol=1e-4, atol=1e-6, name="the decision values on test points (vs the reference)")
