"""ch02.kernel_svm — the kernel SVM dual (2.41) on a Gram matrix, and its decision function (2.42)."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from threadpoolctl import threadpool_limits

from graders.authoring import Array, Exercise, arrays, assert_close, rng, seeds, uniform
from graders.authoring.checks.kkt import assert_svm_conditions, svm_conditions
from graders.authoring.oracles import oracle
from graders.chapters.ch02._data import EX25_X, EX25_Y, overlapping, separable, svm_result

exercise = Exercise(module="ch02.svm", functions=("kernel_svm_fit", "kernel_svm_decision"),
                    title="Kernel SVM on a Gram matrix")

#: A seed for the data and a box constraint C.
_cases = {"seed": seeds(), "C": st.sampled_from([0.5, 5.0])}


def _rbf(X, Z, sigma=1.0) -> np.ndarray:
    return np.exp(-((X[:, None, :] - Z[None, :, :]) ** 2).sum(-1) / (2 * sigma**2))


def _ring_data(seed, n=40):
    """Two classes separated by a noisy circle: not linearly separable, not separable in the RBF space."""
    g = rng(seed)
    X = g.normal(size=(n, 2))
    y = np.where(X[:, 0] ** 2 + X[:, 1] ** 2 + 0.5 * g.normal(size=n) > 1.2, 1.0, -1.0)
    y[:2] = [1.0, -1.0]
    return X, y


@oracle
def _quad_features(X: np.ndarray) -> np.ndarray:
    """The feature map φ(x) = [x1², x2², √2x1x2] of (xᵀz)² (2.36), one row per point: (n, 3)."""
    return np.stack([X[:, 0] ** 2, X[:, 1] ** 2, np.sqrt(2) * X[:, 0] * X[:, 1]], axis=1)


@exercise.check(points=3)
def book_ex_2_5(ctx):
    """Book ex 2.5 (8 points, k(x, z) = (xᵀz)², C = 10 so the box is inactive): α is not unique,
    so the decision function is graded: f(x) = (x1² + x2²)/8 − 5/4 on 200 test points, b = −1.25 and
    the feature-space w = Σα_iy_iφ(x_i) = (1/8, 1/8, 0) for φ = [x1², x2², √2x1x2] (absolute 1e-6)."""
    K = (EX25_X @ EX25_X.T) ** 2
    res = ctx.call("kernel_svm_fit", K, EX25_Y, 10.0, returns=svm_result(len(EX25_Y)))
    T = rng(12).uniform(-4, 4, size=(200, 2))
    f = ctx.call("kernel_svm_decision", (T @ EX25_X.T) ** 2, res["alpha"], EX25_Y, res["b"], returns=Array((200,)))
    assert_close(f, (T[:, 0] ** 2 + T[:, 1] ** 2) / 8 - 1.25, rtol=0, atol=1e-6, name="f(x) of book ex 2.5")
    assert_close(res["b"], -1.25, rtol=0, atol=1e-6, name="b of kernel_svm_fit on book ex 2.5")
    phi = _quad_features(EX25_X)
    assert_close(phi.T @ (res["alpha"] * EX25_Y), np.array([0.125, 0.125, 0.0]), rtol=0, atol=1e-6,
                 name="the feature-space w = Σ α_i y_i φ(x_i) of kernel_svm_fit's α")


@exercise.check(points=1, given={"seed": seeds()}, max_examples=4)
def hard_margin_with_C_inf(ctx, seed):
    """C = np.inf is the hard margin: on book ex 2.5, kernel_svm_fit(K, y, np.inf) gives b = −1.25 and
    f(x) = (x1² + x2²)/8 − 5/4 (absolute 1e-6), and with the linear kernel K = XXᵀ of separable data
    (n = 20, d = 2) its decision values are those of the hard-margin SVM (absolute 1e-5)."""
    K = (EX25_X @ EX25_X.T) ** 2
    res = ctx.call("kernel_svm_fit", K, EX25_Y, np.inf, returns=svm_result(len(EX25_Y)))
    assert_close(res["b"], -1.25, rtol=0, atol=1e-6, name="b of kernel_svm_fit(K, y, np.inf) on book ex 2.5")
    T = rng(13).uniform(-4, 4, size=(50, 2))
    f = ctx.call("kernel_svm_decision", (T @ EX25_X.T) ** 2, res["alpha"], EX25_Y, res["b"], returns=Array((50,)))
    assert_close(f, (T[:, 0] ** 2 + T[:, 1] ** 2) / 8 - 1.25, rtol=0, atol=1e-6,
                 name="f(x) of book ex 2.5 after kernel_svm_fit(K, y, np.inf)")
    X, y = separable(seed, n=20, d=2)
    res = ctx.call("kernel_svm_fit", X @ X.T, y, np.inf, returns=svm_result(len(y)))
    with threadpool_limits(limits=1):                      # SLSQP's small solves: a threaded BLAS only slows them
        hard = ctx.ref.hard_margin_svm(X, y)
    assert_close((X @ X.T) @ (res["alpha"] * y) + res["b"], X @ hard["w"] + hard["b"], rtol=0, atol=1e-5,
                 name="the decision values of kernel_svm_fit(X Xᵀ, y, np.inf) (vs the hard margin)")


@exercise.check(points=1, given={"case": arrays(K_test=("m", "n"), alpha=uniform(0, 2, "n"), dims=(1, 9))},
                max_examples=10)
def decision_function_values(ctx, case):
    """kernel_svm_decision(K_test, α, y, b) = K_test (α ⊙ y) + b for K_test of shape (m, n), m ≠ n
    (relative 1e-12)."""
    K_test, alpha, g = case.K_test, case.alpha, case.rng
    b, y = float(g.normal()), np.where(g.uniform(size=case.n) > 0.5, 1.0, -1.0)
    assert_close(ctx.call("kernel_svm_decision", K_test, alpha, y, b, returns=Array((case.m,))),
                 ctx.ref.kernel_svm_decision(K_test, alpha, y, b), rtol=1e-12,
                 name="kernel_svm_decision(K_test, α, y, b) = Σ_i α_i y_i k(x_i, x) + b")


@exercise.check(points=2, given=_cases, max_examples=6)
def soft_margin_kkt_on_K(ctx, seed, C):
    """On an RBF Gram matrix of non-separable data: 0 ≤ α ≤ C, Σα_iy_i = 0 (1e-9) and the KKT
    trichotomy (1e-5) with f = K(α ⊙ y) + b computed by the grader."""
    X, y = _ring_data(seed)
    K = _rbf(X, X)
    res = ctx.call("kernel_svm_fit", K, y, C, returns=svm_result(len(y)))
    cond = svm_conditions(res["alpha"], y, K @ (res["alpha"] * y) + res["b"], C)
    assert_svm_conditions(cond, box_tol=1e-9, equality_tol=1e-9, trichotomy_tol=1e-5, name=f"kernel_svm_fit(C={C:g})")


@exercise.check(points=2, visibility="hidden", given=_cases, max_examples=5)
def decision_matches_sklearn(ctx, seed, C):
    """On an RBF Gram matrix of non-separable data, your decision values on 17 test points equal
    scikit-learn's SVC(kernel='precomputed', C, tol=1e-10) (absolute 1e-4)."""
    from sklearn.svm import SVC  # the oracle, imported on first use (see graders.chapters)

    X, y = _ring_data(seed)
    K = _rbf(X, X)
    res = ctx.call("kernel_svm_fit", K, y, C, returns=svm_result(len(y)))
    K_test = _rbf(rng(seed + 1).normal(size=(17, 2)), X)                  # (m, n) with m ≠ n
    svc = SVC(kernel="precomputed", C=C, tol=1e-10).fit(K, y)
    f = ctx.call("kernel_svm_decision", K_test, res["alpha"], y, res["b"], returns=Array((17,)))
    assert_close(f, svc.decision_function(K_test), rtol=0, atol=1e-4, name=f"the decision values (C={C:g})")


@exercise.check(points=1, visibility="hidden", given={"seed": seeds()}, max_examples=4)
def linear_kernel_is_the_linear_svm(ctx, seed):
    """With the linear kernel K = XXᵀ (C = 1), w = Xᵀ(α ⊙ y) and the decision values equal those of
    the soft-margin SVM (absolute 1e-5 and 1e-4)."""
    X, y = overlapping(seed, n=30)
    res = ctx.call("kernel_svm_fit", X @ X.T, y, 1.0, returns=svm_result(len(y)))
    with threadpool_limits(limits=1):                      # SLSQP's small solves: a threaded BLAS only slows them
        linear = ctx.ref.soft_margin_svm(X, y, 1.0)
    assert_close(X.T @ (res["alpha"] * y), linear["w"], rtol=0, atol=1e-5, name="w = Xᵀ(α ⊙ y) with K = XXᵀ")
    f = ctx.call("kernel_svm_decision", X @ X.T, res["alpha"], y, res["b"], returns=Array((30,)))
    assert_close(f, X @ linear["w"] + linear["b"], rtol=0, atol=1e-4, name="the decision values with K = XXᵀ")
