"""``graders.authoring.checks.kkt``: KKT residuals of a hand-solved QP, the SVM conditions on the
book's ex 2.3 (and a 4-point example), duality gaps, and PSD tests with a scale-relative tolerance."""
from __future__ import annotations

import math

import numpy as np
import pytest

from graders.authoring.checks.kkt import (
    KKTResiduals,
    assert_gap,
    assert_kkt,
    assert_psd,
    assert_svm_conditions,
    kkt_residuals,
    min_eigenvalue,
    relative_gap,
    svm_conditions,
)
from graders.grading.outcomes import CheckFailed

# --------------------------------------------------------------------------- a small QP
# min ½‖x‖² − x₀  s.t.  g(x) = 1 − x₀ − x₁ ≤ 0,  h(x) = x₀ − x₂ = 0.
# With x₂ = x₀ the objective is x₀² + ½x₁² − x₀, whose free minimum (½, 0) violates g, so g is
# active: 2x₀ − 1 = λ = x₁ and x₀ + x₁ = 1 give x = (⅔, ⅓, ⅔), λ = ⅓, and ν = x₂ = ⅔ from
# ∇f + λ∇g + ν∇h = (x₀ − 1 − λ + ν, x₁ − λ, x₂ − ν) = 0.
X_STAR = np.array([2.0, 1.0, 2.0]) / 3
LAMBDA_STAR = 1.0 / 3
NU_STAR = 2.0 / 3


def _qp_residuals(x, lam, nu) -> KKTResiduals:
    grad_f = x - np.array([1.0, 0.0, 0.0])
    grad_g = np.array([-1.0, -1.0, 0.0])
    grad_h = np.array([1.0, 0.0, -1.0])
    return kkt_residuals(grad_lagrangian=grad_f + lam * grad_g + nu * grad_h,
                         inequalities=[1.0 - x[0] - x[1]], multipliers=[lam], equalities=[x[0] - x[2]])


def test_the_residuals_of_the_solved_qp_are_zero():
    r = _qp_residuals(X_STAR, LAMBDA_STAR, NU_STAR)
    assert max(r.stationarity, r.primal, r.dual, r.complementarity) < 1e-15
    assert_kkt(r, tol=1e-12, name="x*")


def test_the_solution_is_the_numerical_minimiser():
    # a brute-force check of the hand solution: no feasible neighbour does better
    def f(x):
        return 0.5 * x @ x - x[0]

    g = np.random.default_rng(0)
    for _ in range(200):
        d = g.normal(size=3) * 1e-2
        d[2] = d[0]                       # keep h = 0
        y = X_STAR + d
        if 1.0 - y[0] - y[1] <= 0:        # feasible
            assert f(y) >= f(X_STAR) - 1e-15


def test_a_perturbed_point_has_the_expected_residuals():
    x = X_STAR + np.array([0.1, 0.0, 0.0])  # infeasible for h, slack in g
    r = _qp_residuals(x, LAMBDA_STAR, NU_STAR)
    assert r.stationarity == pytest.approx(0.1)
    assert r.primal == pytest.approx(0.1)          # |h| = 0.1; g = −0.1 is feasible
    assert r.dual == 0.0
    assert r.complementarity == pytest.approx(LAMBDA_STAR * 0.1)
    assert r.worst()[0] in ("stationarity", "primal")
    with pytest.raises(CheckFailed,
                       match=r"^x violates the KKT conditions: (stationarity|primal) residual 0\.1 > 1e-06$"):
        assert_kkt(r, tol=1e-6, name="x")


def test_each_residual_measures_its_own_condition():
    r = kkt_residuals(grad_lagrangian=np.array([0.0, -0.3]), inequalities=np.array([0.2, -1.0]),
                      multipliers=np.array([0.0, -0.5]), equalities=np.array([0.0, -0.4]))
    assert r == KKTResiduals(stationarity=0.3, primal=0.4, dual=0.5, complementarity=0.5)
    assert r.worst() == ("dual", 0.5)  # the first of the largest
    with pytest.raises(CheckFailed, match=r"dual residual 0\.5 > 0\.45"):
        assert_kkt(r, tol=0.45, name="p")
    with pytest.raises(CheckFailed, match=r"stationarity residual 0\.3 > 0\.1"):
        assert_kkt(r, tol=0.1, name="p")


def test_kkt_residuals_without_constraints_and_with_a_matrix_gradient():
    r = kkt_residuals(grad_lagrangian=np.array([[0.0, 1e-3], [-2e-3, 0.0]]))
    assert r == KKTResiduals(2e-3, 0.0, 0.0, 0.0)
    assert kkt_residuals(grad_lagrangian=np.zeros(0)) == KKTResiduals(0.0, 0.0, 0.0, 0.0)


def test_nan_residuals_fail():
    r = kkt_residuals(grad_lagrangian=np.array([np.nan, 0.0]))
    assert math.isnan(r.stationarity)
    with pytest.raises(CheckFailed, match="stationarity residual nan"):
        assert_kkt(r, tol=1e6, name="x")


# --------------------------------------------------------------------------- SVM conditions
# Book ex 2.3 (hard margin): α = (1, 1, 0, 2, 0, 0), w = (2, 0), b = −3.
EX23_X = np.array([[2.0, 1.0], [2.0, -1.0], [3.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, -1.0]])
EX23_Y = np.array([1.0, 1.0, 1.0, -1.0, -1.0, -1.0])
EX23_ALPHA = np.array([1.0, 1.0, 0.0, 2.0, 0.0, 0.0])


def _decision(alpha, X, y):
    """f(x_i) = wᵀx_i + b with w = Σ α y x and b from the free support vectors."""
    w = (alpha * y) @ X
    free = alpha > 1e-9
    b = float(np.mean(y[free] - X[free] @ w))
    return X @ w + b, w, b


def test_ex_2_3_solution_is_the_book_one():
    f, w, b = _decision(EX23_ALPHA, EX23_X, EX23_Y)
    np.testing.assert_allclose(w, [2.0, 0.0])
    assert b == pytest.approx(-3.0)
    np.testing.assert_allclose(EX23_Y * f, [1.0, 1.0, 3.0, 1.0, 3.0, 3.0])


def test_ex_2_3_satisfies_the_svm_conditions():
    f, _, _ = _decision(EX23_ALPHA, EX23_X, EX23_Y)
    c = svm_conditions(EX23_ALPHA, EX23_Y, f)
    assert (c.box, c.equality, c.trichotomy) == (0.0, 0.0, 0.0)
    assert_svm_conditions(c, box_tol=1e-9, equality_tol=1e-9, trichotomy_tol=1e-9, name="ex 2.3")
    # also as a soft margin with C above every α (nothing at the bound C)
    soft = svm_conditions(EX23_ALPHA, EX23_Y, f, C=10.0)
    assert (soft.box, soft.equality, soft.trichotomy) == (0.0, 0.0, 0.0)


def test_a_wrong_alpha_breaks_the_equality():
    f, _, _ = _decision(EX23_ALPHA, EX23_X, EX23_Y)
    alpha = EX23_ALPHA + np.array([0.0, 0.0, 0.0, 0.5, 0.0, 0.0])
    c = svm_conditions(alpha, EX23_Y, f)
    assert c.equality == pytest.approx(0.5)
    with pytest.raises(CheckFailed, match=r"^svm: Σ α_i y_i = 0\.5, should be 0 \(tolerance 1e-06\)$"):
        assert_svm_conditions(c, box_tol=1e-6, equality_tol=1e-6, trichotomy_tol=1e-6, name="svm")
    assert svm_conditions(alpha, EX23_Y, f, with_equality=False).equality == 0.0


def test_a_wrong_decision_breaks_the_trichotomy_at_the_worst_sample():
    # w = (1, 0), b = −1.5 (half the book's): the support vectors have margin ½ but α > 0
    f = EX23_X @ np.array([1.0, 0.0]) - 1.5
    c = svm_conditions(EX23_ALPHA, EX23_Y, f)
    assert c.trichotomy == pytest.approx(0.5)
    assert c.worst_index == 0
    assert c.box == 0.0 and c.equality == 0.0
    with pytest.raises(CheckFailed, match=r"^svm: complementary slackness fails: .*worst trichotomy violation 0\.5 "
                                          r"\(at sample 0\) > 0\.001$"):
        assert_svm_conditions(c, box_tol=1e-6, equality_tol=1e-6, trichotomy_tol=1e-3, name="svm")


def test_four_point_example_and_its_violations():
    # x = ±1 (support vectors, α = ½) and ±2 (α = 0) on a line: w = 1, b = 0
    X = np.array([1.0, -1.0, 2.0, -2.0])
    y = np.array([1.0, -1.0, 1.0, -1.0])
    alpha = np.array([0.5, 0.5, 0.0, 0.0])
    assert (alpha * y) @ X == 1.0
    good = svm_conditions(alpha, y, X)
    assert (good.box, good.equality, good.trichotomy) == (0.0, 0.0, 0.0)
    # a point with α = 0 inside the margin (margin ½ < 1)
    inside = svm_conditions(alpha, y, np.array([1.0, -1.0, 0.5, -2.0]))
    assert (inside.trichotomy, inside.worst_index) == (0.5, 2)
    # a negative α leaves the box
    c = svm_conditions(np.array([0.5, 0.5, -0.25, 0.0]), y, X, with_equality=False)
    assert c.box == 0.25
    with pytest.raises(CheckFailed, match=r"^s: α leaves the box \[0, C\] by 0\.25 \(tolerance 0\.01\)$"):
        assert_svm_conditions(c, box_tol=1e-2, equality_tol=1.0, trichotomy_tol=1.0, name="s")


def test_soft_margin_bounds():
    y = np.array([1.0, -1.0, 1.0])
    # α = C: the margin may be below 1 (a margin error), not above
    at_c = svm_conditions(np.array([1.0, 1.0, 0.0]), y, np.array([0.2, -0.9, 3.0]), C=1.0, with_equality=False)
    assert at_c.trichotomy == 0.0
    above = svm_conditions(np.array([1.0, 1.0, 0.0]), y, np.array([1.5, -0.9, 3.0]), C=1.0, with_equality=False)
    assert (above.trichotomy, above.worst_index) == (pytest.approx(0.5), 0)
    # α above C leaves the box
    assert svm_conditions(np.array([1.25, 0.0, 0.0]), y, np.array([0.5, -2.0, 2.0]), C=1.0).box == pytest.approx(0.25)
    # zero_tol is relative to C: 1e-7·C counts as 0 for C = 1, as a free α for a tiny zero_tol
    loose = svm_conditions(np.array([1e-7, 0.0, 0.0]), y, np.array([3.0, -3.0, 3.0]), C=1.0, with_equality=False)
    assert loose.trichotomy == 0.0
    strict = svm_conditions(np.array([1e-7, 0.0, 0.0]), y, np.array([3.0, -3.0, 3.0]), C=1.0, zero_tol=1e-9,
                            with_equality=False)
    assert strict.trichotomy == pytest.approx(2.0)  # a free α needs margin 1, it has 3


def test_svm_conditions_describe():
    c = svm_conditions(np.array([0.5, 0.5]), np.array([1.0, -1.0]), np.array([1.0, -0.25]))
    assert c.describe() == "box violation 0, |Σαy| 0, worst trichotomy violation 0.75 (at sample 1)"


# --------------------------------------------------------------------------- duality gap
def test_relative_gap():
    assert relative_gap(10.0, 9.0) == pytest.approx(0.1)
    assert relative_gap(-20.0, -21.0) == pytest.approx(0.05)
    assert relative_gap(0.5, 0.25) == pytest.approx(0.25)   # |P| < 1: divided by 1
    assert relative_gap(1.0, 2.0) == pytest.approx(-1.0)    # a negative gap is reported as it is


def test_assert_gap():
    assert_gap(100.0, 100.0 - 1e-7, tol=1e-8, name="svm")
    assert_gap(1.0, 1.0 + 1e-9, tol=1e-8, name="svm")       # a tiny negative gap passes
    with pytest.raises(CheckFailed, match=r"^svm: duality gap \(P − D\)/max\(1, \|P\|\) = 0\.1 with P = 10, D = 9; "
                                          r"should be within 1e-06$"):
        assert_gap(10.0, 9.0, tol=1e-6, name="svm")
    with pytest.raises(CheckFailed, match=r"= -1 with"):      # a dual above the primal fails too
        assert_gap(1.0, 2.0, tol=1e-6, name="svm")
    with pytest.raises(CheckFailed):
        assert_gap(float("nan"), 1.0, tol=1.0, name="svm")


# --------------------------------------------------------------------------- PSD
def test_min_eigenvalue_of_the_symmetric_part():
    lam, norm = min_eigenvalue(np.array([[2.0, 0.0], [0.0, -3.0]]))
    assert (lam, norm) == (-3.0, 3.0)
    # a skew part does not count: [[1, 5], [-5, 1]] has symmetric part I
    lam, norm = min_eigenvalue(np.array([[1.0, 5.0], [-5.0, 1.0]]))
    assert lam == pytest.approx(1.0) and norm == pytest.approx(1.0)


def test_a_gram_matrix_is_psd_at_any_scale():
    g = np.random.default_rng(0)
    F = g.normal(size=(12, 3))
    K = F @ F.T                                  # rank 3: nine eigenvalues are 0 up to rounding
    for scale in (1e-8, 1.0, 1e8):
        assert_psd(scale * K, name="K")
    assert_psd(np.zeros((3, 3)), name="K")


def test_a_planted_negative_eigenvalue_fails_with_its_value():
    g = np.random.default_rng(1)
    Q, _ = np.linalg.qr(g.normal(size=(5, 5)))
    eigenvalues = np.array([4.0, 2.0, 1.0, 0.5, -1e-3])
    K = Q @ np.diag(eigenvalues) @ Q.T
    assert min_eigenvalue(K)[0] == pytest.approx(-1e-3, rel=1e-9)
    with pytest.raises(CheckFailed, match=r"^K should be positive semi-definite: its smallest eigenvalue is -0\.001 < "
                                          r"-4e-10 \(= -1e-10 × ‖K‖₂ 4\)$"):
        assert_psd(K, name="K")
    assert_psd(K, rtol=1e-3, name="K")           # −1e-3 ≥ −1e-3·4


def test_the_psd_tolerance_scales_with_the_norm():
    K = np.diag([1e6, -1e-5])                    # −1e-5 ≥ −1e-10·1e6: rounding at that scale
    assert_psd(K, name="K")
    with pytest.raises(CheckFailed):             # the same negative eigenvalue with a small norm fails
        assert_psd(np.diag([1.0, -1e-5]), name="K")


def test_psd_refuses_nan_and_inf():
    with pytest.raises(CheckFailed, match=r"^G contains NaN or infinite entries$"):
        assert_psd(np.array([[1.0, np.nan], [np.nan, 1.0]]), name="G")
    with pytest.raises(CheckFailed, match="NaN or infinite"):
        assert_psd(np.array([[np.inf, 0.0], [0.0, 1.0]]), name="G")
