"""ch01.matrix_calculus — central differences, Jacobians in denominator layout (§1.5.2), and the
closed-form gradients of Lemma 1.7."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, arrays, assert_close, distinct_dims, rng, seeds, uniform
from graders.authoring.checks.gradcheck import central_difference
from graders.authoring.oracles import oracle

exercise = Exercise(module="ch01.calculus", title="Matrix calculus in denominator layout",
                    functions=("num_grad", "num_jacobian", "grad_quadratic", "grad_trace_AXB", "grad_logdet"))

#: X (m, n) with entries of magnitude in [0.5, 3] (the checks draw their signs), where x³ is far from flat.
_away_from_zero = arrays(X=uniform(0.5, 3.0, "m", "n"), dims=(1, 6))
_square = st.tuples(st.integers(2, 6), seeds())


def _literal(M: np.ndarray) -> str:
    """``M`` as numpy source text for a grader function (float repr round-trips exactly)."""
    return f"np.array({np.asarray(M, dtype=float).tolist()!r})"


@oracle
def _quadratic_gradient(M: np.ndarray, X: np.ndarray) -> np.ndarray:
    """The gradient (M + Mᵀ) X of Σ X ⊙ (M X) with respect to X (m, n): Lemma 1.7's closed form,
    which the student's self-check must not ship."""
    return (M + M.T) @ X


# ----------------------------------------------------------------------------- finite differences
@exercise.check(points=1, given={"case": arrays(M=("m", "m"), X=("m", "n"), dims=(1, 6))}, max_examples=10)
def num_grad_exact_on_quadratics(ctx, case):
    """num_grad(f, X) of f(X) = Σ X ⊙ (M X) for X of shape (m, n) is (M + Mᵀ) X: central differences
    are exact on quadratics up to rounding (relative 1e-8), and the result has the shape of X."""
    M, X = case.M, case.X
    f = ctx.function(f"lambda X: float(np.sum(X * ({_literal(M)} @ X)))")
    got = ctx.call("num_grad", f, X, returns=Array(X.shape))
    assert_close(got, _quadratic_gradient(M, X), rtol=1e-8, name="num_grad of Σ X⊙(MX)")


@exercise.check(points=2, given={"case": _away_from_zero}, max_examples=10)
def num_grad_central_on_cubics(ctx, case):
    """num_grad of f(X) = Σ X³ with the default h = 1e-6 matches 3X² to relative 1e-8, which central
    differences reach (error h²) and forward differences do not (error ≈ 3|x|h)."""
    X = case.X * case.rng.choice([-1.0, 1.0], size=case.X.shape)
    f = ctx.function("lambda X: float(np.sum(X ** 3))")
    got = ctx.call("num_grad", f, X, returns=Array(X.shape))
    assert_close(got, 3 * X**2, rtol=1e-8, name="num_grad of Σ X³ (central differences: error h² ≈ 1e-12)")


@exercise.check(points=1, visibility="hidden", given={"case": _away_from_zero}, max_examples=5)
def num_grad_uses_h(ctx, case):
    """With h = 1e-3 the central difference of x³ is exactly 3x² + h² (so h is the half-width of a
    centred step): num_grad(f, X, h=1e-3) = 3X² + 1e-6 (absolute 1e-9)."""
    X = case.X * case.rng.choice([-1.0, 1.0], size=case.X.shape)
    f = ctx.function("lambda X: float(np.sum(X ** 3))")
    got = ctx.call("num_grad", f, X, h=1e-3, returns=Array(X.shape))
    assert_close(got, 3 * X**2 + 1e-6, rtol=0, atol=1e-9, name="num_grad(Σ X³, h=1e-3), which should be 3X² + h²")


# x_fixed is the x of the fixed A (3, 5), drawn before the random A and its x.
@exercise.check(points=2, given={"case": arrays(x_fixed=(5,), A=("m", "n"), x="n", dims=(1, 6))}, max_examples=10)
def num_jacobian_denominator_layout(ctx, case):
    """num_jacobian(x ↦ A x, x) for A of shape (m, n), m ≠ n, is Aᵀ of shape (n, m): denominator
    layout, J[i, j] = ∂F_j/∂x_i (relative 1e-8). The fixed case A 3×5 comes first. A scalar-valued
    F counts as m = 1: num_jacobian(x ↦ ‖x‖², x) is the column 2x of shape (n, 1)."""
    for A, x in ((rng(35).normal(size=(3, 5)), case.x_fixed), (case.A, case.x)):
        F = ctx.function(f"lambda x: {_literal(A)} @ x")
        layout = f"num_jacobian(x ↦ A x) for A of shape {A.shape} (denominator layout: Aᵀ)"
        J = ctx.call("num_jacobian", F, x, returns=Array(A.T.shape, label=layout))
        assert_close(J, A.T, rtol=1e-8, name=f"num_jacobian(x ↦ A x) for A of shape {A.shape}")
    x = case.x
    column = f"num_jacobian(x ↦ ‖x‖², x) for x of shape {x.shape} (a scalar F counts as m = 1)"
    J = ctx.call("num_jacobian", ctx.function("lambda x: float(x @ x)"), x, returns=Array((x.size, 1), label=column))
    assert_close(J, 2 * x[:, None], rtol=1e-8, name="num_jacobian(x ↦ ‖x‖², x), which should be the column 2x")


@exercise.check(points=1, visibility="hidden", given={"case": st.tuples(distinct_dims(3, 1, 6), seeds())},
                max_examples=8)
def chain_rule_in_denominator_layout(ctx, case):
    """For c(x) = ½‖V tanh(W x)‖², the product of your Jacobians (∂u/∂x)(∂g/∂u)(∂c/∂g) equals the
    gradient ∂c/∂x (relative 1e-6): the chain rule of denominator layout."""
    (n, m, k), seed = case
    g = rng(seed)
    W, V, x = g.normal(size=(m, n)) / np.sqrt(n), g.normal(size=(k, m)), g.normal(size=n)
    u = np.tanh(W @ x)                                                     # (m,)
    gv = V @ u                                                             # (k,)
    J1 = ctx.call("num_jacobian", ctx.function(f"lambda x: np.tanh({_literal(W)} @ x)"), x,
                  returns=Array((n, m), label=f"num_jacobian of x ↦ tanh(W x) ({n} → {m})"))
    J2 = ctx.call("num_jacobian", ctx.function(f"lambda u: {_literal(V)} @ u"), u,
                  returns=Array((m, k), label=f"num_jacobian of u ↦ V u ({m} → {k})"))
    want = W.T @ ((1 - u**2) * (V.T @ gv))                                 # (n,)  analytic ∂c/∂x
    assert_close(J1 @ J2 @ gv, want, rtol=1e-6, name="(∂u/∂x)(∂g/∂u)(∂c/∂g)")
    c = ctx.function(f"lambda x: 0.5 * float(np.sum(({_literal(V)} @ np.tanh({_literal(W)} @ x)) ** 2))")
    grad = ctx.call("num_grad", c, x, returns=Array((n,)))
    assert_close(grad, want, rtol=1e-6, name="num_grad of the composed cost")


# ----------------------------------------------------------------------------- closed forms (Lemma 1.7)
def _quadratic_case(n, seed):
    """B (n, n), clearly non-symmetric so that 2Bx ≠ (B + Bᵀ)x, and x (n,)."""
    g = rng(seed)
    return g.normal(size=(n, n)) + np.triu(np.ones((n, n)), 1), g.normal(size=n)


def _logdet_case(n, seed):
    """X (n, n), non-symmetric, with det X > 0."""
    return rng(seed).normal(size=(n, n)) + np.triu(np.ones((n, n)), 1) + n * np.eye(n)


@oracle
def _quadratic_differences(B: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Central differences of xᵀBx at x, (n,)."""
    return central_difference(lambda z: float(z @ B @ z), x)


@oracle
def _trace_differences(A: np.ndarray, B: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Central differences of tr(A X B) with respect to X, of the shape of X."""
    return central_difference(lambda Z: float(np.trace(A @ Z @ B)), X)


@oracle
def _logdet_differences(X: np.ndarray) -> np.ndarray:
    """Central differences of log|det X| at X, of the shape of X."""
    return central_difference(lambda Z: float(np.linalg.slogdet(Z)[1]), X)


@exercise.check(points=1, given={"case": _square}, max_examples=10)
def grad_quadratic_vs_finite_differences(ctx, case):
    """grad_quadratic(B, x) equals central differences of xᵀBx for a non-symmetric B (relative 1e-6)."""
    B, x = _quadratic_case(*case)
    got = ctx.call("grad_quadratic", B, x, returns=Array(x.shape))
    want = _quadratic_differences(B, x)
    assert_close(got, want, rtol=1e-6, name="grad_quadratic(B, x) = ∂(xᵀBx)/∂x for a non-symmetric B")


@exercise.check(points=1, given={"case": arrays(A=("p", "m"), B=("n", "p"), X=("m", "n"), dims=(1, 6))},
                max_examples=10)
def grad_trace_vs_finite_differences(ctx, case):
    """grad_trace_AXB(A, B) for A (p, m), B (n, p) equals central differences of tr(A X B) with
    respect to X (m, n), and has the shape of X (relative 1e-6)."""
    A, B, X = case.A, case.B, case.X
    got = ctx.call("grad_trace_AXB", A, B, returns=Array(X.shape))
    want = _trace_differences(A, B, X)
    assert_close(got, want, rtol=1e-6, name="grad_trace_AXB(A, B) = ∂tr(AXB)/∂X")


@exercise.check(points=1, given={"case": _square}, max_examples=10)
def grad_logdet_vs_finite_differences(ctx, case):
    """grad_logdet(X) equals central differences of log|det X| for a non-symmetric X (relative 1e-6)."""
    X = _logdet_case(*case)
    got = ctx.call("grad_logdet", X, returns=Array(X.shape))
    want = _logdet_differences(X)
    assert_close(got, want, rtol=1e-6, name="grad_logdet(X) = ∂log|det X|/∂X for a non-symmetric X")


@exercise.check(points=1, visibility="hidden",
                given={"case": arrays(A=("p", "m"), B=("n", "p"), X=("m", "n"), dims=(2, 6))}, max_examples=10)
def closed_forms_match_lemma_1_7(ctx, case):
    """The three closed forms equal (B + Bᵀ)x, AᵀBᵀ and X⁻ᵀ to relative 1e-10."""
    B, x = _quadratic_case(case.n, case.seed)
    assert_close(ctx.call("grad_quadratic", B, x), (B + B.T) @ x, rtol=1e-10, name="grad_quadratic(B, x)")
    A, Bt = case.A, case.B
    assert_close(ctx.call("grad_trace_AXB", A, Bt), A.T @ Bt.T, rtol=1e-10, name="grad_trace_AXB(A, B)")
    X = _logdet_case(case.m, case.seed)
    assert_close(ctx.call("grad_logdet", X), np.linalg.inv(X).T, rtol=1e-10, name="grad_logdet(X)")
