"""ch07.losses_regularizers — log-softmax and PyTorch's cross-entropy (label smoothing, soft targets) with
its gradient, inverted dropout, weight decay's gradient and the ℓp loss (eq 7.8)."""
from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, Float, List, Tuple, assert_close, expect, row, seeds
from graders.authoring.checks.strategies import rng
from graders.authoring.oracles import oracle

exercise = Exercise(module="ch07.losses",
                    functions=("log_softmax", "cross_entropy", "cross_entropy_grad", "dropout", "l2_grad", "lp_loss"),
                    forbidden=("torch", "scipy"), title="Losses and regularizers")


# ----------------------------------------------------------------------------- cases
@dataclasses.dataclass(frozen=True)
class Batch:
    """Logits (N, K), N ≠ K, and targets drawn from a seed: class indices, or probability rows (soft)."""

    N: int
    K: int
    soft: bool = False
    eps: float = 0.0
    reduction: str = "mean"
    scale: float = 3.0
    seed: int = 0

    def logits(self) -> np.ndarray:
        return self.scale * rng(self.seed).normal(size=(self.N, self.K))

    def target(self) -> np.ndarray:
        g = rng(self.seed + 1)
        return g.dirichlet(np.ones(self.K), size=self.N) if self.soft else g.integers(0, self.K, size=self.N)

    def __str__(self) -> str:
        kind = (f"probability targets of shape {(self.N, self.K)}" if self.soft
                else f"class indices of shape {(self.N,)}")
        return (f"logits of shape {(self.N, self.K)} (scale {self.scale:g}), {kind}, reduction={self.reduction!r}, "
                f"label_smoothing={self.eps:g}")


@st.composite
def batches(draw, *, soft=(False,), reductions=("mean", "sum", "none"), eps=(0.0, 0.1, 0.4)) -> Batch:
    N, K = draw(st.lists(st.integers(2, 7), min_size=2, max_size=2, unique=True))
    return Batch(N, K, draw(st.sampled_from(soft)), draw(st.sampled_from(eps)), draw(st.sampled_from(reductions)),
                 3.0, draw(seeds()))


# ----------------------------------------------------------------------------- oracles
@oracle
def _torch_cross_entropy(logits: np.ndarray, target: np.ndarray, reduction: str,
                         eps: float) -> list[np.ndarray]:
    """F.cross_entropy in float64, and its gradient for a scalar reduction: [loss, dlogits]."""
    import torch
    import torch.nn.functional as F

    tz = torch.tensor(logits, requires_grad=True)
    loss = F.cross_entropy(tz, torch.from_numpy(target), reduction=reduction, label_smoothing=eps)
    if reduction == "none":
        return [loss.detach().numpy(), np.zeros_like(logits)]
    loss.backward()
    return [loss.detach().numpy(), tz.grad.numpy()]  # type: ignore[union-attr]  # backward() set it


@oracle
def _torch_log_softmax(z: np.ndarray, axis: int) -> np.ndarray:
    """torch.log_softmax(z, dim=axis) in float64."""
    import torch

    return torch.log_softmax(torch.from_numpy(z), dim=axis).numpy()


@oracle
def _torch_weight_decay_grad(params: list[np.ndarray], lam: float) -> list[np.ndarray]:
    """∂/∂θ of (λ/2)·Σ‖θ‖² by torch autograd."""
    import torch

    tp = [torch.tensor(p, requires_grad=True) for p in params]
    penalty = torch.stack([(t ** 2).sum() for t in tp]).sum()
    (0.5 * lam * penalty).backward()
    return [t.grad.numpy() for t in tp]  # type: ignore[union-attr]  # backward() set them


@oracle
def _torch_lp(y: np.ndarray, yhat: np.ndarray, p: float) -> float:
    """torch.linalg.vector_norm(y − ŷ, p) ** p."""
    import torch

    return float(torch.linalg.vector_norm(torch.from_numpy(y - yhat), ord=p) ** p)


# ----------------------------------------------------------------------------- helpers
def _compare_ce(ctx, batch: Batch) -> None:
    z, t = batch.logits(), batch.target()
    want, _ = _torch_cross_entropy(z, t, batch.reduction, batch.eps)
    returns = Array((batch.N,)) if batch.reduction == "none" else Float()
    got = ctx.call("cross_entropy", z, t, batch.reduction, batch.eps, returns=returns)
    assert_close(got, want, rtol=1e-10, name=f"cross_entropy with {batch} (vs F.cross_entropy)")


def _compare_grad(ctx, batch: Batch) -> None:
    z, t = batch.logits(), batch.target()
    _, want = _torch_cross_entropy(z, t, batch.reduction, batch.eps)
    got = ctx.call("cross_entropy_grad", z, t, batch.reduction, batch.eps, returns=Array(z.shape))
    assert_close(got, want, rtol=1e-10, atol=1e-14, name=f"cross_entropy_grad with {batch} (vs torch autograd)")


def _dropout_sample(ctx, p: float, n: int, seed: int):
    """A batch (n, 5) of five fixed values repeated, dropped out in training with a seeded generator."""
    x = np.tile(np.array([1.0, -2.0, 0.5, 3.0, -0.25]), (n, 1))
    y, mask = ctx.call("dropout", x, p, True, ctx.function(f"np.random.default_rng({seed})"),
                       returns=Tuple(Array(x.shape, label="y"), Array(x.shape, label="mask")))
    return x, y, mask


# ----------------------------------------------------------------------------- cross-entropy
@exercise.check(points=3, given={"batch": batches()}, max_examples=20)
def cross_entropy_matches_torch(ctx, batch):
    """cross_entropy with class indices equals F.cross_entropy in float64 (relative 1e-10) for each
    reduction ('mean', 'sum', 'none') and label smoothing ε ∈ {0, 0.1, 0.4}: softmax over the K
    classes of each row, N ≠ K."""
    _compare_ce(ctx, batch)


@exercise.check(points=2, given={"batch": batches(soft=(True,))}, max_examples=15)
def cross_entropy_soft_targets_match_torch(ctx, batch):
    """cross_entropy with probability targets of shape (N, K) equals F.cross_entropy (relative
    1e-10), label smoothing included: t = (1 − ε)·target + ε/K."""
    _compare_ce(ctx, batch)


@exercise.table(points=1, rows=[
    row("label_smoothing_spreads_over_all_k_classes",
        "Label smoothing gives every class ε/K, the true one included (PyTorch), not ε/(K − 1) to the "
        "others: cross_entropy with ε = 0.3, K = 3, equals F.cross_entropy.",
        batch=Batch(N=4, K=3, eps=0.3, reduction="sum", seed=60)),
    row("cross_entropy_finite_at_large_logits",
        "cross_entropy stays finite and equals F.cross_entropy at logits of size 1e4 (subtract each "
        "row's maximum before exponentiating).",
        batch=Batch(N=5, K=3, scale=1e4, seed=61)),
    row("cross_entropy_softmax_over_classes",
        "The softmax runs over the classes of each row (axis 1), not over the batch: 6 samples, 2 "
        "classes, as F.cross_entropy.",
        batch=Batch(N=6, K=2, reduction="none", seed=62)),
])
def cross_entropy_fixed_case(ctx, batch):
    _compare_ce(ctx, batch)


@exercise.check(points=3, given={"batch": batches(soft=(False, True), reductions=("mean", "sum"))}, max_examples=20)
def cross_entropy_grad_matches_autograd(ctx, batch):
    """cross_entropy_grad equals the gradient of F.cross_entropy by torch autograd (relative 1e-10):
    (softmax − t)/N for 'mean', softmax − t for 'sum', with smoothing and soft targets."""
    _compare_grad(ctx, batch)


@exercise.check(points=1)
def cross_entropy_grad_finite_at_large_logits(ctx):
    """cross_entropy_grad is finite and equals autograd's at logits of size 1e4."""
    _compare_grad(ctx, Batch(N=4, K=5, eps=0.1, scale=1e4, seed=63))


@exercise.table(points=1, rows=[
    row("log_softmax_last_axis", "log_softmax(z) over the last axis of a (4, 3) array equals torch.log_softmax "
        "(relative 1e-10).", shape=(4, 3), axis=-1, scale=3.0),
    row("log_softmax_first_axis", "log_softmax(z, axis=0) of a (4, 3) array equals torch.log_softmax(z, dim=0).",
        shape=(4, 3), axis=0, scale=3.0),
    row("log_softmax_large_logits", "log_softmax of a (2, 3, 5) array of logits of size 1e4, along axis 1: "
        "finite and equal to torch's.", shape=(2, 3, 5), axis=1, scale=1e4),
])
def log_softmax_case(ctx, shape, axis, scale):
    z = scale * rng(64 + axis).normal(size=shape)
    want = _torch_log_softmax(z, axis)
    got = ctx.call("log_softmax", z, axis=axis, returns=Array(shape))
    assert_close(got, want, rtol=1e-10, name=f"log_softmax of shape {shape}, axis={axis}, scale {scale:g}")


# ----------------------------------------------------------------------------- dropout
@exercise.table(points=2, rows=[
    row("dropout_is_inverted_p_02", "Training dropout with p = 0.2 drops a fraction 0.2 of 10⁵ entries (5σ "
        "binomial), keeps the others scaled by 1/(1 − p) (the mask holds 0 and 1/(1 − p), y = x·mask, the "
        "mask the backward pass reuses) and the mean of y over the samples is x (5σ).", p=0.2, seed=5),
    row("dropout_is_inverted_p_07", "The same with p = 0.7: p is the probability of dropping, not of keeping.",
        p=0.7, seed=6),
])
def dropout_statistics(ctx, p, seed):
    n = 20_000
    x, y, mask = _dropout_sample(ctx, p, n, seed)
    scale = 1.0 / (1.0 - p)
    expect(bool(np.all((mask == 0) | np.isclose(mask, scale, rtol=1e-12, atol=0))),
           f"dropout's mask should hold only 0 and 1/(1 − p) = {scale:g}; it holds {np.unique(mask)[:5]}")
    assert_close(y, x * mask, rtol=1e-12, name="dropout's y vs x·mask")
    dropped = float(np.mean(mask == 0))
    sigma = np.sqrt(p * (1 - p) / mask.size)
    expect(abs(dropped - p) <= 5 * sigma,
           f"dropout with p={p} dropped a fraction {dropped:.4f} of {mask.size} entries; "
           f"expected {p} ± {5 * sigma:.4f}")
    mean_sigma = np.abs(x[0]) * np.sqrt(p / (1 - p) / n)
    assert_close(y.mean(axis=0), x[0], rtol=0, atol=float(5 * mean_sigma.max()),
                 name=f"the mean over {n} samples of dropout(x, p={p}) vs x")


@exercise.check(points=1, depends_on="dropout_is_inverted_p_02")
def dropout_in_evaluation_is_the_identity(ctx):
    """dropout(x, p, training=False, rng) returns y = x and a mask of ones, whatever p; counts once
    dropout_is_inverted_p_02 passes."""
    x = rng(67).normal(size=(3, 4))
    y, mask = ctx.call("dropout", x, 0.6, False, ctx.function("np.random.default_rng(3)"),
                       returns=Tuple(Array(x.shape, label="y"), Array(x.shape, label="mask")))
    assert_close(y, x, rtol=0, name="dropout's y in evaluation")
    assert_close(mask, np.ones_like(x), rtol=0, name="dropout's mask in evaluation")


@exercise.check(points=1, depends_on="dropout_is_inverted_p_02")
def dropout_same_seed_same_mask(ctx):
    """The same generator seed gives the same mask, another seed another (the rng argument is the only
    randomness); counts once dropout_is_inverted_p_02 passes."""
    masks = [_dropout_sample(ctx, 0.5, 50, seed)[2] for seed in (8, 8, 9)]
    assert_close(masks[1], masks[0], rtol=0, name="dropout's mask for the same seed twice")
    expect(not np.array_equal(masks[2], masks[0]), "dropout gave the same mask for two different seeds")


# ----------------------------------------------------------------------------- regularizers
@exercise.check(points=1, given={"seed": seeds()}, max_examples=5)
def l2_grad_matches_autograd(ctx, seed):
    """l2_grad(params, λ) equals the gradient of (λ/2)·Σ‖θ‖² by torch autograd (relative 1e-12), i.e.
    λθ, for a list of arrays of different shapes."""
    g = rng(seed)
    params = [g.normal(size=(3, 2)), g.normal(size=(4,)), g.normal(size=(2, 1, 3))]
    lam = float(g.uniform(0.01, 2.0))
    want = _torch_weight_decay_grad(params, lam)
    got = ctx.call("l2_grad", params, lam, returns=List(Array(), length=3))
    for i, (a, b) in enumerate(zip(got, want)):
        assert_close(a, b, rtol=1e-12, name=f"l2_grad(params, {lam:.3g})[{i}]")


@exercise.check(points=1, given={"p": st.sampled_from([1.0, 1.5, 2.0, 3.0]), "seed": seeds()}, max_examples=8)
def lp_loss_matches_the_norm(ctx, p, seed):
    """lp_loss(y, ŷ, p) = Σ|y − ŷ|^p = ‖y − ŷ‖_p^p (eq 7.8; relative 1e-10) for p ∈ {1, 1.5, 2, 3}."""
    g = rng(seed)
    y, yhat = g.normal(size=(4, 3)), g.normal(size=(4, 3))
    want = _torch_lp(y, yhat, p)
    assert_close(ctx.call("lp_loss", y, yhat, p, returns=Float()), want, rtol=1e-10, name=f"lp_loss with p={p}")


# ----------------------------------------------------------------------------- hidden
@exercise.check(points=2, visibility="hidden",
                given={"batch": batches(soft=(False, True), reductions=("mean", "sum"), eps=(0.0, 0.05, 1.0))},
                max_examples=15)
def extreme_smoothing_and_sizes(ctx, batch):
    """cross_entropy and its gradient equal torch's for ε up to 1 (the uniform target) and soft targets."""
    _compare_ce(ctx, batch)
    _compare_grad(ctx, batch)


@exercise.check(points=1, visibility="hidden")
def dropout_with_p_zero_keeps_everything(ctx):
    """Training dropout with p = 0 keeps every entry unscaled (mask of ones)."""
    x, y, mask = _dropout_sample(ctx, 0.0, 10, 11)
    assert_close(mask, np.ones_like(x), rtol=0, name="dropout's mask with p=0")
    assert_close(y, x, rtol=0, name="dropout's y with p=0")
