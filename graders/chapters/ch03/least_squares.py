"""ch03.least_squares — OLS (3.7), ridge in primal (3.14) and dual (3.16) form, and the augmented
data that turn ridge into OLS (ex 3.4, corrected: ỹ = [y; 0])."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, Tuple, assert_close, distinct_dims, rng, seeds
from graders.chapters.ch03._fixtures import EX32_AGE, EX32_BETA, EX32_BETA_EXACT, EX32_BP

exercise = Exercise(module="ch03.regression", functions=("ols", "ridge", "ridge_augmented"),
                    forbidden=("torch", "scipy", "sympy"), title="Least squares and ridge regression")

#: λ values; none is 1, so λ and λ² differ.
_lams = st.sampled_from([0.05, 0.4, 3.0, 25.0])
#: Sizes (p, N), p ≠ N from 1 to 9 (p < N and p > N), a λ and a seed for X and y.
_ridge_cases = {"dims": distinct_dims(2, 1, 9), "lam": _lams, "seed": seeds()}


@st.composite
def _tall(draw):
    """(p, N, seed) with N >= p + 2: X (p, N) has full row rank and is well conditioned."""
    p = draw(st.integers(1, 6))
    return p, p + draw(st.integers(2, 6)), draw(seeds())


def _data(p: int, N: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    g = rng(seed)
    return g.normal(size=(p, N)), g.normal(size=N)  # (p, N), (N,)


def _augmented(p: int, N: int) -> Tuple:
    """What ridge_augmented returns: X̃ (p, N+p) and ỹ (N+p,)."""
    return Tuple(Array((p, N + p), label="X_aug"), Array((N + p,), label="y_aug"))


# ----------------------------------------------------------------------------- checks
@exercise.check(points=2)
def book_ex_3_2(ctx):
    """Book ex 3.2 (age → blood pressure, a row of ones for the intercept): β = (46.441379,
    1.539847) to 1e-6, the exact OLS solution of the table to 1e-10."""
    X = np.vstack([np.ones_like(EX32_AGE), EX32_AGE])  # (2, 7)
    beta = ctx.call("ols", X, EX32_BP, returns=Array((2,)))
    assert_close(beta, EX32_BETA, rtol=0, atol=1e-6, name="β of book ex 3.2")
    assert_close(beta, EX32_BETA_EXACT, rtol=1e-10, name="β of book ex 3.2 (exact rational solution)")


@exercise.check(points=1, given={"case": _tall()}, max_examples=20)
def ols_normal_equations(ctx, case):
    """ols returns the (p,) solution of the normal equations X(y − Xᵀβ) = 0 (eq 3.7; 1e-10)."""
    X, y = _data(*case)
    beta = ctx.call("ols", X, y, returns=Array((X.shape[0],)))
    want = ctx.ref.ols(X, y)
    scale = np.linalg.norm(X, 2) * (np.linalg.norm(X, 2) * np.linalg.norm(want) + np.linalg.norm(y))
    assert_close(X @ (y - X.T @ beta), np.zeros(X.shape[0]), rtol=0, atol=1e-10 * scale,
                 name="the normal-equation residual X(y − Xᵀβ)")
    assert_close(beta, want, rtol=1e-10, name="β")


@exercise.check(points=1, given=_ridge_cases, max_examples=20)
def ridge_primal_equals_dual(ctx, dims, lam, seed):
    """ridge(..., form='primal') and ridge(..., form='dual') give the same β, the ridge solution
    (push-through identity, 1e-10), both when p < N and when p > N."""
    X, y = _data(*dims, seed)
    want = ctx.ref.ridge(X, y, lam)
    for form in ("primal", "dual"):
        beta = ctx.call("ridge", X, y, lam, form=form, returns=Array((dims[0],)))
        assert_close(beta, want, rtol=1e-10, name=f"ridge(X, y, {lam:g}, form={form!r})")


@exercise.check(points=2, given=_ridge_cases, max_examples=20)
def ridge_normal_equations(ctx, dims, lam, seed):
    """Both forms solve the ridge normal equations (XXᵀ + λI)β = Xy, i.e. X(y − Xᵀβ) = λβ
    (eqs 3.14, 3.16; relative 1e-10), with λ itself, not λ²."""
    X, y = _data(*dims, seed)
    want = ctx.ref.ridge(X, y, lam)
    scale = (np.linalg.norm(X, 2) ** 2 + lam) * np.linalg.norm(want)
    for form in ("primal", "dual"):
        beta = ctx.call("ridge", X, y, lam, form=form, returns=Array((dims[0],)))
        assert_close(X @ (y - X.T @ beta) - lam * beta, np.zeros(X.shape[0]), rtol=0, atol=1e-10 * scale,
                     name=f"the ridge residual X(y − Xᵀβ) − λβ of form={form!r} (λ = {lam:g})")


@exercise.check(points=2, given={"dims": distinct_dims(2, 1, 8), "lam": _lams, "seed": seeds()}, max_examples=15)
def augmented_is_ridge(ctx, dims, lam, seed):
    """ridge_augmented gives X̃ = [X, √λI] (p, N+p) and ỹ = [y; 0] (N+p,), not the book's typo
    [y; √λ] (erratum 3); your ols on them equals ridge (1e-10)."""
    p, N = dims
    X, y = _data(p, N, seed)
    X_aug, y_aug = ctx.call("ridge_augmented", X, y, lam, returns=_augmented(p, N))
    want_X, want_y = ctx.ref.ridge_augmented(X, y, lam)
    assert_close(X_aug[:, :N], want_X[:, :N], rtol=1e-15, name="the first N columns of X_aug (X itself)")
    assert_close(X_aug[:, N:], want_X[:, N:], rtol=1e-14, name=f"the last p columns of X_aug (√λ I, λ = {lam:g})")
    assert_close(y_aug[:N], want_y[:N], rtol=1e-15, name="the first N entries of y_aug (y itself)")
    assert_close(y_aug[N:], want_y[N:], rtol=0, atol=0,
                 name="the last p entries of y_aug (they are zeros: ỹ = [y; 0])")
    beta = ctx.call("ols", X_aug, y_aug, returns=Array((p,)))
    assert_close(beta, ctx.ref.ridge(X, y, lam), rtol=1e-10, name="ols on the augmented data (vs ridge)")


@exercise.check(points=2, visibility="hidden", given=_ridge_cases, max_examples=15)
def ridge_matches_sklearn(ctx, dims, lam, seed):
    """Both forms equal scikit-learn's Ridge(alpha=λ, fit_intercept=False) fitted on Xᵀ (1e-8)."""
    from sklearn.linear_model import Ridge  # the oracle, imported on first use (see graders.chapters)

    X, y = _data(*dims, seed)
    want = Ridge(alpha=lam, fit_intercept=False, solver="cholesky").fit(X.T, y).coef_
    for form in ("primal", "dual"):
        beta = ctx.call("ridge", X, y, lam, form=form, returns=Array((dims[0],)))
        assert_close(beta, want, rtol=1e-8, atol=1e-12, name=f"ridge β of form={form!r} (vs sklearn Ridge)")


@exercise.check(points=1, visibility="hidden", given={"case": _tall(), "lam": _lams}, max_examples=10)
def augmented_objective_identity(ctx, case, lam):
    """‖ỹ − X̃ᵀb‖² = ‖y − Xᵀb‖² + λ‖b‖² for arbitrary b (relative 1e-12)."""
    X, y = _data(*case)
    p, N = X.shape
    X_aug, y_aug = ctx.call("ridge_augmented", X, y, lam, returns=_augmented(p, N))
    for b in rng(case[2] + 1).normal(size=(3, p)):
        got = np.sum((y_aug - X_aug.T @ b) ** 2)
        assert_close(got, np.sum((y - X.T @ b) ** 2) + lam * (b @ b), rtol=1e-12,
                     name="‖ỹ − X̃ᵀb‖² (vs ‖y − Xᵀb‖² + λ‖b‖²)")
