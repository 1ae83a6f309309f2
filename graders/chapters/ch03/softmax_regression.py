"""ch03.softmax_regression — softmax, summed cross-entropy with denominator-layout gradients, and
the penalized multinomial fit (softmax pinned over the book's independent sigmoids: erratum 4)."""
from __future__ import annotations

import numpy as np

from graders.authoring import Array, Exercise, Float, Tuple, assert_close, distinct_dims, expect, rng, seeds
from graders.authoring.checks.edges import one_column_far_below
from graders.authoring.oracles import oracle

exercise = Exercise(module="ch03.logistic", functions=("softmax", "softmax_xent", "softmax_fit"),
                    forbidden=("torch", "scipy", "sympy"), title="Softmax regression")


def _xent_problem(p: int, c: int, N: int, seed: int):
    """W (p, c), b (c,), X (p, N), one-hot Y (c, N) and the labels (N,)."""
    g = rng(seed)
    labels = g.integers(0, c, size=N)
    return g.normal(size=(p, c)), g.normal(size=c), g.normal(size=(p, N)), np.eye(c)[:, labels], labels


#: (p, c, N) pairwise different, c >= 2: a transposed dW (c, p) or a sample-axis softmax cannot pass.
_xent_cases = {"dims": distinct_dims(3, 2, 8), "seed": seeds()}


def _xent(ctx, W, b, X, Y) -> tuple[float, np.ndarray, np.ndarray]:
    """The student's (loss, dW, db), dW of the shape of W and db of b's."""
    return ctx.call("softmax_xent", W, b, X, Y,
                    returns=Tuple(Float(label="loss"), Array(W.shape, label="dW"), Array(b.shape, label="db")))


def _xent_losses(ctx, W, b, X, Y, Ws, bs) -> np.ndarray:
    """The student's losses at each (Ws[k], bs[k]) with X and Y fixed, in one round trip: (len(Ws),)."""
    values = ctx.map("softmax_xent", [(V, v, X, Y) for V, v in zip(Ws, bs)],
                     returns=Tuple(Float(label="loss"), Array(W.shape, label="dW"), Array(b.shape, label="db")))
    return np.array([loss for loss, _, _ in values])


def _steps(x: np.ndarray, h: float) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """``x + h e_i`` and ``x − h e_i`` for every entry i of ``x`` (same shape as x each)."""
    plus, minus = [], []
    for i in range(x.size):
        step = np.zeros(x.size)
        step[i] = h
        plus.append(x + step.reshape(x.shape))
        minus.append(x - step.reshape(x.shape))
    return plus, minus


def _central_differences(ctx, W, b, X, Y, h: float = 1e-6) -> tuple[np.ndarray, np.ndarray]:
    """Central differences of the student's own loss in W (p, c) and in b (c,)."""
    W_plus, W_minus = _steps(W, h)
    b_plus, b_minus = _steps(b, h)
    Ws = W_plus + W_minus + [W] * (2 * b.size)
    bs = [b] * (2 * W.size) + b_plus + b_minus
    losses = _xent_losses(ctx, W, b, X, Y, Ws, bs)
    n, m = W.size, b.size
    dW = (losses[:n] - losses[n:2 * n]) / (2 * h)
    db = (losses[2 * n:2 * n + m] - losses[2 * n + m:]) / (2 * h)
    return dW.reshape(W.shape), db


@oracle
def _torch_xent(W, b, X, labels):
    """Loss and gradients by torch (the oracle, imported on first use: see graders.chapters):
    cross_entropy(reduction='sum') on (N, c) logits, float64, on one thread (restored after):
    these tensors are tiny, and once scikit-learn's OpenMP runtime is loaded in the same process,
    torch's thread pool makes each op ~50× slower."""
    import torch
    import torch.nn.functional as F

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        Wt, bt = torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)
        logits = (Wt.T @ torch.from_numpy(X) + bt[:, None]).T          # (N, c) for torch
        loss = F.cross_entropy(logits, torch.from_numpy(labels), reduction="sum")
        loss.backward()
        return loss.item(), Wt.grad.numpy().copy(), bt.grad.numpy().copy()
    finally:
        torch.set_num_threads(threads)


def _far_below_sample(W: np.ndarray, b: np.ndarray, X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(W, b, X) whose logits WᵀX + b have one column (sample 0) about 1e3 below every other
    sample's, with an O(1) spread inside it: W = 1 + 1e-3·W (p, c), x_0 = −(1e3/p)·1."""
    p = W.shape[0]
    W_near_ones = 1.0 + 1e-3 * W                          # (p, c)
    X_low = X.copy()
    X_low[:, 0] = -1e3 / p                                # logits of sample 0 ≈ −1e3 − (Wᵀ1)/p
    return W_near_ones, b, X_low


def _fit_problem(seed: int, p: int = 4, c: int = 3, N: int = 60):
    g = rng(seed)
    labels = g.integers(0, c, size=N)
    X = g.normal(size=(p, N))
    X[:c] += 1.5 * np.eye(c)[:, labels]                  # classes shifted apart (p >= c)
    return X, labels


def _fit(ctx, X, labels, lam, c) -> tuple[np.ndarray, np.ndarray]:
    """The student's (W, b): W (p, c) and b (c,)."""
    return ctx.call("softmax_fit", X, labels, lam,
                    returns=Tuple(Array((X.shape[0], c), label="W"), Array((c,), label="b")))


# ----------------------------------------------------------------------------- checks
@exercise.check(points=1, given={"dims": distinct_dims(2, 2, 8), "seed": seeds()}, max_examples=20)
def softmax_normalizes_columns(ctx, dims, seed):
    """softmax(Z) of (c, N) logits normalizes each column (axis=0, the class axis): columns sum to 1,
    values as exp(Z)/Σ exp(Z) (1e-12); softmax(Z, axis=1) normalizes rows."""
    Z = 3.0 * rng(seed).normal(size=dims)  # (c, N)
    P = ctx.call("softmax", Z, returns=Array(dims))
    assert_close(P.sum(axis=0), np.ones(dims[1]), rtol=1e-12,
                 name="the column sums of softmax(Z) (axis 0 is the class axis)")
    assert_close(P, ctx.ref.softmax(Z), rtol=1e-12, name="softmax(Z)")
    assert_close(ctx.call("softmax", Z, axis=1), ctx.ref.softmax(Z, axis=1), rtol=1e-12, name="softmax(Z, axis=1)")


@exercise.check(points=1)
def large_logits_stay_finite(ctx):
    """Logits of size 1e3 give finite, exact results (each column's own maximum subtracted before
    exp): softmax([[1e3, −1e3], [0, 1e3]]) = I, and softmax of logits with one column 1e3 below
    the others equals the reference (1e-12); softmax_xent is finite and right (1e-10) with W, b
    scaled by 1e3 and with one sample's logits 1e3 below the other samples'."""
    P = ctx.call("softmax", np.array([[1e3, -1e3], [0.0, 1e3]]), returns=Array((2, 2)))
    assert_close(P, np.eye(2), rtol=0, atol=1e-12, name="softmax([[1e3, -1e3], [0, 1e3]])")
    Z = one_column_far_below(3.0 * rng(16).normal(size=(4, 5)), rng(17))      # (c, N)
    assert_close(ctx.call("softmax", Z, returns=Array(Z.shape)), ctx.ref.softmax(Z), rtol=1e-12,
                 name="softmax(Z) of (4, 5) logits with one column 1e3 below the others")
    W, b, X, Y, labels = _xent_problem(4, 3, 5, 12)
    for what, (W_case, b_case, X_case) in (("W, b scaled by 1e3", (1e3 * W, 1e3 * b, X)),
                                          ("one sample's logits 1e3 below the others'", _far_below_sample(W, b, X))):
        loss, dW, db = _xent(ctx, W_case, b_case, X_case, Y)
        want = _torch_xent(W_case, b_case, X_case, labels)
        assert_close(loss, want[0], rtol=1e-10, name=f"the loss with {what}")
        assert_close(dW, want[1], rtol=1e-10, name=f"dW with {what}")
        assert_close(db, want[2], rtol=1e-10, name=f"db with {what}")


@exercise.check(points=1, given=_xent_cases, max_examples=15)
def xent_loss_value(ctx, dims, seed):
    """The loss is −Σ_n Σ_k Y log softmax(Wᵀx + b), summed over samples (torch's
    cross_entropy(reduction='sum'), relative 1e-10); dW has shape (p, c), db (c,)."""
    W, b, X, Y, labels = _xent_problem(*dims, seed)
    loss, _, _ = _xent(ctx, W, b, X, Y)
    assert_close(loss, _torch_xent(W, b, X, labels)[0], rtol=1e-10, name="the loss")


@exercise.check(points=2, given=_xent_cases, max_examples=10)
def xent_gradients_central_differences(ctx, dims, seed):
    """dW (p, c) and db (c,) equal central differences of your own loss (h = 1e-6, relative 1e-6),
    whose value is the cross-entropy (relative 1e-10): denominator layout, ∂loss/∂W has the shape of W."""
    W, b, X, Y, labels = _xent_problem(*dims, seed)
    loss, dW, db = _xent(ctx, W, b, X, Y)
    assert_close(loss, _torch_xent(W, b, X, labels)[0], rtol=1e-10,
                 name="the loss whose central differences your gradients should be")
    want_dW, want_db = _central_differences(ctx, W, b, X, Y)
    assert_close(dW, want_dW, rtol=1e-6, name="dW (vs central differences of your loss)")
    assert_close(db, want_db, rtol=1e-6, name="db (vs central differences of your loss)")


@exercise.check(points=2, visibility="hidden", given=_xent_cases, max_examples=15)
def xent_gradients_match_torch(ctx, dims, seed):
    """loss, dW and db equal torch autograd through cross_entropy(reduction='sum') (relative 1e-10)."""
    W, b, X, Y, labels = _xent_problem(*dims, seed)
    loss, dW, db = _xent(ctx, W, b, X, Y)
    want = _torch_xent(W, b, X, labels)
    assert_close(loss, want[0], rtol=1e-10, name="the loss (vs torch)")
    assert_close(dW, want[1], rtol=1e-10, name="dW (vs torch autograd)")
    assert_close(db, want[2], rtol=1e-10, name="db (vs torch autograd)")


@exercise.check(points=1, depends_on="xent_loss_value")
def xent_shift_invariance(ctx):
    """Adding the same constant to every logit (b → b + 7) changes neither the loss nor the
    gradients (relative 1e-12): softmax, not independent sigmoids (it counts once
    xent_loss_value passes)."""
    W, b, X, Y, _ = _xent_problem(5, 3, 8, 13)
    loss, dW, db = _xent(ctx, W, b, X, Y)
    shifted, dW2, db2 = _xent(ctx, W, b + 7.0, X, Y)
    assert_close(shifted, loss, rtol=1e-12, name="the loss with every logit shifted by 7 (vs unshifted)")
    assert_close(dW2, dW, rtol=1e-10, name="dW with every logit shifted by 7 (vs unshifted)")
    assert_close(db2, db, rtol=1e-10, name="db with every logit shifted by 7 (vs unshifted)")


@exercise.check(points=1)
def fit_is_stationary(ctx):
    """softmax_fit minimizes Σ xent + (λ/2)‖W‖_F² (bias unpenalized): the gradient at (W, b),
    built from your softmax_xent (which must be right at a fixed point first, relative 1e-8),
    vanishes (≤ 1e-8 · Σ‖(x, 1)‖) for λ ∈ {0.05, 1}."""
    X, labels = _fit_problem(13)
    Y = np.eye(3)[:, labels]
    W0, b0 = rng(113).normal(size=(X.shape[0], 3)), rng(114).normal(size=3)
    for got, want, what in zip(_xent(ctx, W0, b0, X, Y), _torch_xent(W0, b0, X, labels), ("loss", "dW", "db")):
        assert_close(got, want, rtol=1e-8, name=f"softmax_xent's {what} at a fixed (W, b) on the fit's data")
    scale = max(1.0, float(np.sum(np.sqrt(1.0 + np.sum(X**2, axis=0)))))
    for lam in (0.05, 1.0):
        W, b = _fit(ctx, X, labels, lam, 3)
        _, dW, db = _xent(ctx, W, b, X, Y)
        grad = np.concatenate([(dW + lam * W).ravel(), db])
        expect(np.all(np.isfinite(grad)) and np.linalg.norm(grad) <= 1e-8 * scale,
               f"the objective's gradient at your (W, b) should vanish (λ = {lam:g}): "
               f"‖∇_W‖ = {np.linalg.norm(dW + lam * W):.3g}, ‖∇_b‖ = {np.linalg.norm(db):.3g}, "
               f"tolerance {1e-8 * scale:.3g}")


@exercise.check(points=1, depends_on="fit_is_stationary")
def fit_bias_is_centred(ctx):
    """The returned b is centred, Σ_k b_k = 0 (b is only defined up to b + s1; the docstring pins
    this representative), to 1e-10 · max|b| (it counts once fit_is_stationary passes)."""
    X, labels = _fit_problem(14)
    _, b = _fit(ctx, X, labels, 0.5, 3)
    expect(np.all(np.isfinite(b)) and abs(b.sum()) <= 1e-10 * max(1.0, float(np.max(np.abs(b)))),
           f"b should sum to 0 (centred); got Σ b = {b.sum():.3g} for b = {np.array2string(b, precision=6)}")


@exercise.check(points=2, visibility="hidden")
def fit_matches_sklearn(ctx):
    """Class probabilities of the fit equal multinomial LogisticRegression(C=1/λ, tol=1e-12) (1e-5),
    and b equals sklearn's intercept once both are centred."""
    from sklearn.linear_model import LogisticRegression  # the oracle, imported on first use

    X, labels = _fit_problem(15, p=5, c=4, N=70)
    for lam in (0.05, 1.0):
        W, b = _fit(ctx, X, labels, lam, 4)
        clf = LogisticRegression(C=1.0 / lam, tol=1e-12, max_iter=1000, solver="newton-cholesky").fit(X.T, labels)
        assert_close(ctx.ref.softmax(W.T @ X + b[:, None]), clf.predict_proba(X.T).T, rtol=0, atol=1e-5,
                     name=f"the class probabilities of your fit (λ = {lam:g}, vs sklearn)")
        assert_close(W, clf.coef_.T, rtol=0, atol=1e-5, name=f"W (λ = {lam:g}, vs sklearn)")
        assert_close(b - b.mean(), clf.intercept_ - clf.intercept_.mean(), rtol=0, atol=1e-5,
                     name=f"b up to a shift (λ = {lam:g}, vs sklearn)")
