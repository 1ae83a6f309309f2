"""ch03.logistic_regression — weighted, penalized binary logistic regression (eq 3.10, ex 3.3)."""
from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, Float, Tuple, assert_close, expect, rng, seeds
from graders.authoring.checks.edges import overlapping_labels, separable_labels
from graders.authoring.checks.numeric import expit
from graders.chapters.ch03._fixtures import EX33_BETA0, EX33_BETA1, EX33_DAMAGED, EX33_RINGS, EX33_TEMP

exercise = Exercise(module="ch03.logistic", functions=("logistic_fit", "logistic_nll"),
                    forbidden=("torch", "scipy", "sympy"), title="Logistic regression")


@dataclasses.dataclass(frozen=True)
class Problem:
    """A logistic problem in the column layout: X (p, N), targets t, weights (or None), λ."""

    X: np.ndarray
    t: np.ndarray
    weights: np.ndarray | None
    lam: float

    @property
    def w(self) -> np.ndarray:
        return np.ones(self.t.size) if self.weights is None else self.weights


def _make_problem(seed: int, p: int, N: int, lam: float, weighted: bool, fractional: bool,
                  offset: float = 0.0) -> Problem:
    g = rng(seed)
    X = g.normal(size=(p, N)) + offset                     # (p, N)
    q = expit(0.3 + g.normal(size=p) @ (X - offset))       # (N,)
    if fractional:  # all targets strictly inside (0, 1): the minimizer exists even for λ = 0
        t = np.clip(q + 0.15 * g.normal(size=N), 0.05, 0.95)
    else:           # labels, both classes present (λ > 0 then makes the minimizer exist)
        t = (g.random(N) < q).astype(float)
        t[:2] = (0.0, 1.0)
    weights = g.uniform(0.5, 2.0, size=N) if weighted else None
    return Problem(X, t, weights, lam)


@st.composite
def _problems(draw) -> Problem:
    lam = draw(st.sampled_from([0.0, 0.3, 4.0]))
    fractional = lam == 0.0 or draw(st.booleans())
    return _make_problem(draw(seeds()), draw(st.integers(1, 4)), draw(st.integers(15, 40)), lam,
                         draw(st.booleans()), fractional)


def _fit(ctx, problem: Problem, fit_intercept: bool = True) -> tuple[float, np.ndarray]:
    """The student's (beta0, beta), beta of shape (p,)."""
    return ctx.call("logistic_fit", problem.X, problem.t, weights=problem.weights, lam=problem.lam,
                    fit_intercept=fit_intercept,
                    returns=Tuple(Float(label="beta0"), Array((problem.X.shape[0],), label="beta")))


def _gradient(problem: Problem, beta0: float, beta: np.ndarray) -> np.ndarray:
    """∇ of Σ w[log(1 + eᶻ) − t z] + (λ/2)‖β‖² in (β0, β), computed here."""
    r = problem.w * (expit(beta0 + beta @ problem.X) - problem.t)   # (N,)   w ⊙ (q − t)
    return np.concatenate([[r.sum()], problem.X @ r + problem.lam * beta])


def _gradient_scale(problem: Problem) -> float:
    """Σ_n w_n ‖(1, x_n)‖ bounds the data term's gradient: the scale of a 'zero' gradient."""
    return max(1.0, float(problem.w @ np.sqrt(1.0 + np.sum(problem.X**2, axis=0))))


# ----------------------------------------------------------------------------- checks
@exercise.check(points=2)
def book_ex_3_3(ctx):
    """Book ex 3.3 (O-ring damage vs launch temperature; t = fraction damaged, w = 6 O-rings):
    β0 = 11.6629897, β1 = −0.2162337 (±1e-6)."""
    problem = Problem(EX33_TEMP[None, :], EX33_DAMAGED / EX33_RINGS, np.full(EX33_TEMP.size, EX33_RINGS), 0.0)
    beta0, beta = _fit(ctx, problem)
    assert_close(beta0, EX33_BETA0, rtol=0, atol=1e-6, name="β0 of book ex 3.3")
    assert_close(beta, [EX33_BETA1], rtol=0, atol=1e-6, name="β1 of book ex 3.3")


@exercise.check(points=2, given={"problem": _problems()}, max_examples=20)
def gradient_vanishes(ctx, problem):
    """At the returned (β0, β) the gradient of Σ w[−t log q − (1−t) log(1−q)] + (λ/2)‖β‖² is 0:
    ‖∇‖ ≤ 1e-8 · Σ w‖(1, x)‖ (sum, not mean; intercept unpenalized; weights default to ones)."""
    beta0, beta = _fit(ctx, problem)
    grad = _gradient(problem, beta0, beta)
    tol = 1e-8 * _gradient_scale(problem)
    expect(np.all(np.isfinite(grad)) and np.linalg.norm(grad) <= tol,
           f"the objective's gradient at your solution should vanish: ‖∇‖ = {np.linalg.norm(grad):.3g} > {tol:.3g} "
           f"(∂/∂β0 = {grad[0]:.3g}, ∂/∂β = {np.array2string(grad[1:], precision=3)})")


@exercise.check(points=1, given={"problem": _problems(), "seed": seeds()}, max_examples=20)
def nll_value(ctx, problem, seed):
    """logistic_nll equals Σ w[log(1 + eᶻ) − t z] + (λ/2)‖β‖² at random (β0, β) (relative 1e-10)."""
    g = rng(seed)
    beta0, beta = float(g.normal()), g.normal(size=problem.X.shape[0])
    got = ctx.call("logistic_nll", problem.X, problem.t, beta0, beta, weights=problem.weights, lam=problem.lam,
                   returns=Float())
    assert_close(got, ctx.ref.logistic_nll(problem.X, problem.t, beta0, beta, problem.weights, problem.lam),
                 rtol=1e-10, name="logistic_nll")


@exercise.check(points=1)
def nll_stable_at_large_logits(ctx):
    """logistic_nll is finite and exact at |z| = 800: 1600 for two wrong confident predictions,
    0 for two right ones (log(1 + eᶻ) computed without overflow)."""
    X = np.array([[1.0, -1.0]])
    wrong = ctx.call("logistic_nll", X, np.array([0.0, 1.0]), 0.0, np.array([800.0]), returns=Float())
    assert_close(wrong, 1600.0, rtol=1e-12, name="logistic_nll at z = ±800 with the wrong labels")
    right = ctx.call("logistic_nll", X, np.array([1.0, 0.0]), 0.0, np.array([800.0]), returns=Float())
    assert_close(right, 0.0, rtol=0, atol=1e-12, name="logistic_nll at z = ±800 with the right labels")


@exercise.check(points=1)
def intercept_not_penalized(ctx):
    """With λ = 10 on an off-centre design, ∂ℓ/∂β0 = Σ w(q − t) = 0: only β is penalized."""
    problem = _make_problem(6, 3, 40, 10.0, True, False, offset=3.0)
    beta0, beta = _fit(ctx, problem)
    residual = problem.w @ (expit(beta0 + beta @ problem.X) - problem.t)
    tol = 1e-8 * _gradient_scale(problem)
    penalized = np.isfinite(residual) and abs(residual + problem.lam * beta0) <= max(tol, 1e-6 * abs(residual))
    expect(abs(residual) <= tol, f"Σ w(q − t) should be 0 at the optimum; got {residual:.3g} (tolerance {tol:.3g}) "
                                 f"with β0 = {beta0:.6g}"
                                 + (": it equals −λβ0, as if β0 were penalized (only β is)" if penalized else ""))


@exercise.check(points=1)
def separable_labels_raise(ctx):
    """On 0/1 labels that a hyperplane separates, logistic_fit with λ = 0 raises ValueError (no
    minimizer: ‖β‖ → ∞) and with λ = 0.5 fits them; on overlapping 0/1 labels with λ = 0 it
    returns the minimizer (‖∇‖ ≤ 1e-8 · Σ w‖(1, x)‖)."""
    X, t = separable_labels(rng(31), p=2, N=12)
    outcome = ctx.outcome("logistic_fit", X, t, lam=0.0)
    expect(outcome.status == "student_error" and outcome.error is not None and outcome.error.type == "ValueError",
           "logistic_fit(X, t, lam=0.0) should raise ValueError for 0/1 labels that a hyperplane separates "
           "(X (2, 12)); " + ("it returned a value" if outcome.status == "ok" else
                              f"it raised {outcome.error.one_line() if outcome.error else outcome.status}"))
    overlapping = overlapping_labels(rng(32), p=2, N=20)
    for problem, what in ((Problem(X, t, None, 0.5), "separable labels with λ = 0.5"),
                          (Problem(*overlapping, None, 0.0), "overlapping labels with λ = 0 (a minimizer exists)")):
        beta0, beta = _fit(ctx, problem)
        grad = _gradient(problem, beta0, beta)
        tol = 1e-8 * _gradient_scale(problem)
        expect(np.all(np.isfinite(grad)) and np.linalg.norm(grad) <= tol,
               f"on {what}, the objective's gradient at logistic_fit's solution should vanish: "
               f"‖∇‖ = {np.linalg.norm(grad):.3g} > {tol:.3g}")


@exercise.check(points=2, visibility="hidden")
def matches_sklearn(ctx):
    """(β0, β) equal scikit-learn's LogisticRegression(C=1/λ, tol=1e-12, solver='newton-cholesky') with
    sample_weight (1e-5)."""
    from sklearn.linear_model import LogisticRegression  # the oracle, imported on first use (see graders.chapters)

    for seed, lam, weighted, offset in ((5, 0.3, True, 0.0), (7, 5.0, True, 1.5), (8, 1.0, False, 0.0)):
        problem = _make_problem(seed, 3, 40, lam, weighted, False, offset)
        beta0, beta = _fit(ctx, problem)
        clf = LogisticRegression(C=1.0 / lam, tol=1e-12, max_iter=1000, solver="newton-cholesky")
        clf.fit(problem.X.T, problem.t, sample_weight=problem.w)
        assert_close(beta0, clf.intercept_[0], rtol=0, atol=1e-5, name=f"β0 (λ = {lam:g}, vs sklearn)")
        assert_close(beta, clf.coef_[0], rtol=0, atol=1e-5, name=f"β (λ = {lam:g}, vs sklearn)")


@exercise.check(points=1, visibility="hidden", given={"problem": _problems()}, max_examples=10)
def no_intercept(ctx, problem):
    """With fit_intercept=False, β0 = 0 and the gradient in β vanishes (‖∇_β‖ ≤ 1e-8 · Σ w‖x‖)."""
    beta0, beta = _fit(ctx, problem, fit_intercept=False)
    expect(beta0 == 0.0, f"beta0 should be 0 with fit_intercept=False; got {beta0!r}")
    grad = _gradient(problem, 0.0, beta)[1:]
    tol = 1e-8 * _gradient_scale(problem)
    expect(np.all(np.isfinite(grad)) and np.linalg.norm(grad) <= tol,
           f"the gradient in β should vanish: ‖∇_β‖ = {np.linalg.norm(grad):.3g} > {tol:.3g}")
