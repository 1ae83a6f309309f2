"""ch02.soft_margin_svm — the soft-margin dual (2.27) with the box 0 ≤ α ≤ C, and the hinge primal (2.34)."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from threadpoolctl import threadpool_limits

from graders.authoring import Exercise, Float, assert_close, expect, rng, seeds
from graders.authoring.checks.kkt import assert_gap, assert_svm_conditions, svm_conditions
from graders.chapters.ch02._data import overlapping, separable, svm_result

exercise = Exercise(module="ch02.svm", functions=("soft_margin_svm", "hinge_primal"),
                    title="Soft-margin SVM and the hinge primal")

#: A seed for the data and a box constraint C.
_cases = {"seed": seeds(), "C": st.sampled_from([0.1, 1.0, 10.0])}


@exercise.check(points=1, given=_cases, max_examples=10)
def hinge_primal_value(ctx, seed, C):
    """hinge_primal(w, b, X, y, C) = ½‖w‖² + C Σ max(0, 1 − y_i(wᵀx_i + b)) (2.34) (relative 1e-12)."""
    X, y = overlapping(seed, n=15)
    g = rng(seed)
    w, b = g.normal(size=3), float(g.normal())
    got = ctx.call("hinge_primal", w, b, X, y, C, returns=Float())
    assert_close(got, ctx.ref.hinge_primal(w, b, X, y, C), rtol=1e-12, name=f"hinge_primal(w, b, X, y, C={C:g})")


@exercise.check(points=2, given=_cases, max_examples=6)
def kkt_trichotomy(ctx, seed, C):
    """KKT trichotomy with f = Xw + b (tolerance 1e-5): α_i = 0 ⇒ y_if_i ≥ 1, 0 < α_i < C ⇒ y_if_i = 1,
    α_i = C ⇒ y_if_i ≤ 1 (α counts as 0 below 1e-6·C and as C above C − 1e-6·C)."""
    X, y = overlapping(seed)
    res = ctx.call("soft_margin_svm", X, y, C, returns=svm_result(*X.shape))
    cond = svm_conditions(res["alpha"], y, X @ res["w"] + res["b"], C)
    assert_svm_conditions(cond, box_tol=1e-9, equality_tol=1e-9, trichotomy_tol=1e-5, name=f"soft_margin_svm(C={C:g})")


@exercise.check(points=1, given=_cases, max_examples=6, depends_on="kkt_trichotomy")
def box_and_equality_constraints(ctx, seed, C):
    """0 ≤ α_i ≤ C and Σ α_i y_i = 0 (absolute 1e-9), and w = Σ α_i y_i x_i (relative 1e-8);
    counts once kkt_trichotomy passes (α = 0 satisfies these alone)."""
    X, y = overlapping(seed)
    res = ctx.call("soft_margin_svm", X, y, C, returns=svm_result(*X.shape))
    alpha = res["alpha"]
    cond = svm_conditions(alpha, y, X @ res["w"] + res["b"], C)
    assert_svm_conditions(cond, box_tol=1e-9, equality_tol=1e-9, trichotomy_tol=np.inf,
                          name=f"soft_margin_svm(C={C:g})")
    assert_close(res["w"], X.T @ (alpha * y), rtol=1e-8, name="w of soft_margin_svm − Σ α_i y_i x_i")


@exercise.check(points=1, given=_cases, max_examples=6)
def zero_duality_gap(ctx, seed, C):
    """The hinge primal at (w, b), by your hinge_primal (right at a fixed (w, b) first, relative
    1e-12), equals the dual objective Σα − ½‖Σα_iy_ix_i‖² (relative 1e-6)."""
    X, y = overlapping(seed)
    g = rng(seed + 1)
    w0, b0 = g.normal(size=X.shape[1]), float(g.normal())
    assert_close(ctx.call("hinge_primal", w0, b0, X, y, C, returns=Float()), ctx.ref.hinge_primal(w0, b0, X, y, C),
                 rtol=1e-12, name=f"hinge_primal at a fixed (w, b) (C={C:g})")
    res = ctx.call("soft_margin_svm", X, y, C, returns=svm_result(*X.shape))
    alpha = res["alpha"]
    v = X.T @ (alpha * y)
    primal = ctx.call("hinge_primal", res["w"], res["b"], X, y, C, returns=Float(label="hinge_primal at your (w, b)"))
    assert_gap(primal, alpha.sum() - 0.5 * v @ v, tol=1e-6, name=f"soft_margin_svm(C={C:g})")


@exercise.check(points=1, given=_cases, max_examples=6)
def support_set(ctx, seed, C):
    """support is the sorted integer array of the indices with α_i > 1e-6·C (not α_i > 0: solvers
    leave 1e-16 instead of exact zeros)."""
    X, y = overlapping(seed)
    res = ctx.call("soft_margin_svm", X, y, C, returns=svm_result(*X.shape, support=True))
    want = np.flatnonzero(res["alpha"] > 1e-6 * C)
    got = res["support"]
    expect(got.shape == want.shape and np.array_equal(got, want),
           f"support should be the indices with α_i > 1e-6·C = {1e-6 * C:g} of your α: {want.tolist()}; got "
           f"{got.tolist()[:40]}")


@exercise.check(points=1, given={"seed": seeds()}, max_examples=4, depends_on="kkt_trichotomy")
def norm_grows_with_C(ctx, seed):
    """‖w‖ is non-decreasing in C ∈ {0.01, 0.1, 1, 10} (a looser box allows a narrower margin);
    counts once kkt_trichotomy passes (a constant w satisfies this alone)."""
    X, y = overlapping(seed)
    fits = [ctx.call("soft_margin_svm", X, y, C, returns=svm_result(*X.shape))
            for C in (0.01, 0.1, 1.0, 10.0)]
    norms = [float(np.linalg.norm(res["w"])) for res in fits]
    expect(all(a <= b * (1 + 1e-6) for a, b in zip(norms, norms[1:])),
           f"‖w‖ should not decrease as C grows over 0.01, 0.1, 1, 10; got {[round(n, 6) for n in norms]}")


@exercise.check(points=2, visibility="hidden", given=_cases, max_examples=5)
def matches_sklearn(ctx, seed, C):
    """w equals scikit-learn's SVC(kernel='linear', C, tol=1e-10) (absolute 1e-5) and so do the
    decision values (absolute 1e-4)."""
    from sklearn.svm import SVC  # the oracle, imported on first use (see graders.chapters)

    X, y = overlapping(seed)
    res = ctx.call("soft_margin_svm", X, y, C, returns=svm_result(*X.shape))
    svc = SVC(kernel="linear", C=C, tol=1e-10).fit(X, y)
    assert_close(res["w"], svc.coef_[0], rtol=0, atol=1e-5, name=f"w (C={C:g})")
    assert_close(X @ res["w"] + res["b"], svc.decision_function(X), rtol=0, atol=1e-4,
                 name=f"the decision values (C={C:g})")


@exercise.check(points=1, visibility="hidden", given={"seed": seeds()}, max_examples=4)
def large_C_is_hard_margin(ctx, seed):
    """On separable data, C = 1e6 reproduces the hard-margin w and b (relative 1e-6)."""
    X, y = separable(seed)
    res = ctx.call("soft_margin_svm", X, y, 1e6, returns=svm_result(*X.shape))
    with threadpool_limits(limits=1):                      # SLSQP's small solves: a threaded BLAS only slows them
        hard = ctx.ref.hard_margin_svm(X, y)
    alpha = res["alpha"]
    expect(np.isfinite(res["b"]), f"b at C = 1e6 is {res['b']}; the largest α_i is {alpha.max():.3g}, and "
                                   "α_i > 1e-6·C = 1 may hold for no support vector: then use the fallback of the "
                                   "module docstring (0 < α_i < C, then the KKT interval)")
    assert_close(res["w"], hard["w"], rtol=1e-6, atol=1e-9, name="w at C = 1e6 (vs the hard margin)")
    assert_close(res["b"], hard["b"], rtol=1e-6, atol=1e-9, name="b at C = 1e6 (vs the hard margin)")
