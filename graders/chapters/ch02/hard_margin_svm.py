"""ch02.hard_margin_svm — the hard-margin SVM through its dual (2.16), w = Σ α_i y_i x_i (2.15)."""
from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_limits

from graders.authoring import Exercise, assert_close, expect, seeds
from graders.chapters.ch02._data import EX23_X, EX23_Y, separable, svm_result

exercise = Exercise(module="ch02.svm", functions=("hard_margin_svm",), title="Hard-margin SVM via the dual")


def _svc(X, y):
    """scikit-learn's SVC with a hard margin, the oracle (imported on first use: see graders.chapters)."""
    from sklearn.svm import SVC

    return SVC(kernel="linear", C=1e10, tol=1e-10).fit(X, y)


@exercise.check(points=2)
def book_ex_2_3(ctx):
    """Book ex 2.3: α = (1, 1, 0, 2, 0, 0), w = (2, 0), b = −3 (absolute 1e-6)."""
    res = ctx.call("hard_margin_svm", EX23_X, EX23_Y, returns=svm_result(*EX23_X.shape))
    assert_close(res["alpha"], np.array([1.0, 1.0, 0.0, 2.0, 0.0, 0.0]), rtol=0, atol=1e-6, name="alpha of book ex 2.3")
    assert_close(res["w"], np.array([2.0, 0.0]), rtol=0, atol=1e-6, name="w of book ex 2.3")
    assert_close(res["b"], -3.0, rtol=0, atol=1e-6, name="b of book ex 2.3")


@exercise.check(points=3, given={"seed": seeds()}, max_examples=8)
def kkt_conditions(ctx, seed):
    """On random separable data (n = 30, d = 3): α ≥ −1e-9, |Σα_iy_i| ≤ 1e-8, w = Σα_iy_ix_i
    (relative 1e-8), y_if_i ≥ 1 − 1e-6 and α_i(y_if_i − 1) ≤ 1e-6, with f = Xw + b."""
    X, y = separable(seed)
    res = ctx.call("hard_margin_svm", X, y, returns=svm_result(*X.shape))
    alpha, w, b = res["alpha"], res["w"], res["b"]
    signed = bool(np.all(alpha * y >= 0))                 # every α_i has the sign of y_i: the product y_i α_i
    expect(alpha.min() >= -1e-9, f"α should be ≥ 0 (dual feasibility); got min α = {alpha.min():.3g} at sample "
                                 f"{int(np.argmin(alpha))}"
                                 + (": every α_i has the sign of y_i, as y_i α_i (sklearn's dual_coef_) has"
                                    if signed else ""))
    expect(abs(alpha @ y) <= 1e-8, f"Σ α_i y_i should be 0 (the dual's equality constraint); got {alpha @ y:.3g}")
    assert_close(w, X.T @ (alpha * y), rtol=1e-8, name="w − Σ α_i y_i x_i (2.15)")
    margins = y * (X @ w + b)
    worst = int(np.argmin(margins))
    expect(margins[worst] >= 1 - 1e-6, f"y_i(wᵀx_i + b) should be ≥ 1 for every sample (primal feasibility); got "
                                       f"{margins[worst]:.9g} at sample {worst}")
    slack = alpha * (margins - 1)
    worst = int(np.argmax(slack))
    expect(slack[worst] <= 1e-6, f"α_i (y_i f_i − 1) should be 0 (complementary slackness); got {slack[worst]:.3g} at "
                                 f"sample {worst} (α = {alpha[worst]:.6g}, y f = {margins[worst]:.9g})")


@exercise.check(points=1, given={"seed": seeds()}, max_examples=5)
def balance_and_dual_objective(ctx, seed):
    """Σ_{y=+1} α_i = Σ_{y=−1} α_i, and the dual objective Σα − ½ΣΣα_iα_jy_iy_jx_iᵀx_j and ½‖w‖²
    both equal the optimal value ½‖w*‖² (relative 1e-6)."""
    X, y = separable(seed, n=20, d=2)
    res = ctx.call("hard_margin_svm", X, y, returns=svm_result(*X.shape))
    alpha, w = res["alpha"], res["w"]
    assert_close(alpha[y > 0].sum(), alpha[y < 0].sum(), rtol=1e-8, name="Σ α over the class +1 (vs the class −1)")
    with threadpool_limits(limits=1):                      # SLSQP's small solves: a threaded BLAS only slows them
        optimum = ctx.ref.hard_margin_svm(X, y)["w"]
    Q = (y[:, None] * y[None, :]) * (X @ X.T)
    assert_close(alpha.sum() - 0.5 * alpha @ Q @ alpha, 0.5 * optimum @ optimum, rtol=1e-6,
                 name="the dual objective Σα − ½αᵀQα at your α (vs the optimal value ½‖w*‖²)")
    assert_close(0.5 * w @ w, 0.5 * optimum @ optimum, rtol=1e-6, name="½‖w‖² (vs the optimal value ½‖w*‖²)")


@exercise.check(points=2, visibility="hidden", given={"seed": seeds()}, max_examples=5)
def margin_matches_sklearn(ctx, seed):
    """The margin 2/‖w‖ equals scikit-learn's SVC(kernel='linear', C=1e10, tol=1e-10) (relative 1e-6)."""
    X, y = separable(seed)
    res = ctx.call("hard_margin_svm", X, y, returns=svm_result(*X.shape))
    norm = float(np.linalg.norm(res["w"]))
    expect(norm > 0, "hard_margin_svm returned w = 0, which has no margin 2/‖w‖ (separable data need w ≠ 0)")
    want = 2 / np.linalg.norm(_svc(X, y).coef_[0])
    assert_close(2 / norm, want, rtol=1e-6, name="the margin 2/‖w‖")


@exercise.check(points=1, visibility="hidden", given={"seed": seeds()}, max_examples=5)
def decision_values_match_sklearn(ctx, seed):
    """The decision values Xw + b (so b too) equal scikit-learn's SVC (absolute 1e-5)."""
    X, y = separable(seed)
    res = ctx.call("hard_margin_svm", X, y, returns=svm_result(*X.shape))
    assert_close(X @ res["w"] + res["b"], _svc(X, y).decision_function(X), rtol=0, atol=1e-5,
                 name="the decision values Xw + b")
