"""ch09.normalization — batch, layer, instance and group normalization in torch (eqs 9.3–9.11),
graded against torch.nn.functional's batch_norm (running statistics and evaluation mode
included), layer_norm, instance_norm and group_norm in float64 at 1e-10 on (N, C, H, W) inputs
with N, C, H, W all different; the moments of a batch-normalized output; GN's extremes (G = 1 is
LN, G = C is IN); the book's ex 9.2 (row 0 of LN and IN, eps = 0); float32 kept as float32.
The functional ops themselves (and their torch.* / torch.nn twins) are forbidden."""
from __future__ import annotations

from typing import Sequence

import numpy as np
from hypothesis import strategies as st

from graders.authoring import (
    Anything,
    Exercise,
    Tensor,
    Tuple,
    assert_close,
    describe,
    distinct_dims,
    expect,
    rng,
    seeds,
)
from graders.authoring.oracles import oracle

exercise = Exercise(module="ch09.norm", functions=("batch_norm", "layer_norm", "instance_norm", "group_norm"),
                    forbidden=("torch.nn.functional.batch_norm", "torch.nn.functional.layer_norm",
                               "torch.nn.functional.instance_norm", "torch.nn.functional.group_norm"),
                    title="Batch, layer, instance and group normalization")


def _bn_answer(shape: Sequence[int], dtype: str = "float64", stats: bool = True) -> Tuple:
    """batch_norm's (y, running_mean, running_var)."""
    if not stats:
        return Tuple(Tensor(shape, dtype, label="y"), Anything(label="running_mean"), Anything(label="running_var"))
    C = shape[1]
    return Tuple(Tensor(shape, dtype, label="y"), Tensor((C,), dtype, label="the new running_mean"),
                 Tensor((C,), dtype, label="the new running_var"))


def _features(seed: int, shape: Sequence[int]) -> np.ndarray:
    """A feature map with a different scale and offset per channel (axis 1)."""
    r = rng(seed)
    C = shape[1]
    per_channel = (1, C) + (1,) * (len(shape) - 2)
    scale = np.exp(r.normal(size=C)).reshape(per_channel)
    shift = r.normal(scale=2.0, size=C).reshape(per_channel)
    return r.normal(size=shape) * scale + shift


def _affine(seed: int, shape: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """A scale γ (around 1) and a shift β of ``shape``."""
    r = rng(seed + 1)
    return 1.0 + 0.5 * r.normal(size=shape), r.normal(size=shape)


def _t(ctx, a: np.ndarray | None, dtype: str = "float64"):
    """A tensor argument (None stays None)."""
    return None if a is None else ctx.tensor(a, dtype=dtype)


def _torch(a):
    import torch

    return None if a is None else torch.tensor(np.asarray(a))


@oracle
def _torch_batch_norm(x: np.ndarray, gamma, beta, eps: float, running_mean, running_var, momentum: float,
                      training: bool) -> tuple:
    """torch.nn.functional.batch_norm's output and the running statistics it updates in place
    (copies of the given ones), in float64."""
    from torch.nn import functional as F

    mean, var = _torch(running_mean), _torch(running_var)
    y = F.batch_norm(_torch(x), mean, var, _torch(gamma), _torch(beta), training=training, momentum=momentum,
                     eps=eps)
    return y.numpy(), None if mean is None else mean.numpy(), None if var is None else var.numpy()


@oracle
def _torch_layer_norm(x: np.ndarray, normalized_shape: tuple, weight, bias, eps: float) -> np.ndarray:
    """torch.nn.functional.layer_norm, float64."""
    from torch.nn import functional as F

    return F.layer_norm(_torch(x), tuple(normalized_shape), _torch(weight), _torch(bias), eps).numpy()


@oracle
def _torch_instance_norm(x: np.ndarray, eps: float, weight, bias) -> np.ndarray:
    """torch.nn.functional.instance_norm (batch statistics), float64."""
    from torch.nn import functional as F

    return F.instance_norm(_torch(x), weight=_torch(weight), bias=_torch(bias), eps=eps).numpy()


@oracle
def _torch_group_norm(x: np.ndarray, G: int, weight, bias, eps: float) -> np.ndarray:
    """torch.nn.functional.group_norm, float64."""
    from torch.nn import functional as F

    return F.group_norm(_torch(x), G, _torch(weight), _torch(bias), eps).numpy()


_MAPS = {"dims": distinct_dims(4, 2, 5), "seed": seeds()}


# ---- batch norm (eqs 9.4–9.5) --------------------------------------------------------------------

@exercise.check(points=3, given={**_MAPS, "momentum": st.sampled_from([0.1, 0.37]),
                                 "eps": st.sampled_from([1e-5, 1e-3])}, max_examples=8)
def batch_norm_matches_torch(ctx, dims, seed, momentum, eps):
    """In training, batch_norm(x, gamma, beta, eps, running_mean, running_var, momentum) equals
    F.batch_norm on (N, C, H, W) inputs with N, C, H, W all different (1e-10, float64): each channel
    normalized with the biased variance over (N, H, W), ε inside the root, then γ and β; the returned
    running statistics are (1 − m)·r + m·stat, with the unbiased variance for running_var."""
    x = _features(seed, dims)
    C = dims[1]
    gamma, beta = _affine(seed, (C,))
    r = rng(seed + 2)
    mean, var = r.normal(size=C), np.exp(r.normal(size=C))
    y, new_mean, new_var = ctx.call("batch_norm", ctx.tensor(x), ctx.tensor(gamma), ctx.tensor(beta), eps,
                                    ctx.tensor(mean), ctx.tensor(var), momentum, True, returns=_bn_answer(dims))
    want_y, want_mean, want_var = _torch_batch_norm(x, gamma, beta, eps, mean, var, momentum, True)
    assert_close(y, want_y, rtol=1e-10, name=f"y of batch_norm (training, eps={eps})")
    assert_close(new_mean, want_mean, rtol=1e-10, name=f"the new running_mean (momentum={momentum})")
    assert_close(new_var, want_var, rtol=1e-10, name=f"the new running_var (momentum={momentum})")


@exercise.check(points=2, given=_MAPS, max_examples=6)
def batch_norm_eval_mode_uses_running_stats(ctx, dims, seed):
    """With training=False, batch_norm normalizes with the running statistics instead of the
    batch's (F.batch_norm(training=False), 1e-10) and returns them unchanged."""
    x = _features(seed, dims)
    C = dims[1]
    gamma, beta = _affine(seed, (C,))
    r = rng(seed + 2)
    mean, var = r.normal(size=C), np.exp(r.normal(size=C))
    y, got_mean, got_var = ctx.call("batch_norm", ctx.tensor(x), ctx.tensor(gamma), ctx.tensor(beta), 1e-5,
                                    ctx.tensor(mean), ctx.tensor(var), 0.1, False, returns=_bn_answer(dims))
    assert_close(y, _torch_batch_norm(x, gamma, beta, 1e-5, mean, var, 0.1, False)[0], rtol=1e-10,
                 name="y of batch_norm (training=False)")
    assert_close(got_mean, mean, rtol=0, name="running_mean returned by batch_norm(training=False)")
    assert_close(got_var, var, rtol=0, name="running_var returned by batch_norm(training=False)")


@exercise.check(points=1, given=_MAPS, max_examples=4)
def batch_norm_without_running_stats(ctx, dims, seed):
    """batch_norm(x, None, None) (no γ, β or running statistics) normalizes with the batch's
    statistics (F.batch_norm, 1e-10) and returns (y, None, None)."""
    x = _features(seed, dims)
    y, mean, var = ctx.call("batch_norm", ctx.tensor(x), None, None, returns=_bn_answer(dims, stats=False))
    assert_close(y, _torch_batch_norm(x, None, None, 1e-5, None, None, 0.1, True)[0], rtol=1e-10,
                 name="y of batch_norm(x, None, None)")
    expect(mean is None and var is None, "batch_norm(x, None, None) should return running statistics None; "
                                         f"got {describe(mean)} and {describe(var)}")


@exercise.check(points=2, given={**_MAPS, "eps": st.sampled_from([1e-5, 1e-2])}, max_examples=6)
def batch_norm_output_has_zero_mean_and_unit_variance(ctx, dims, seed, eps):
    """Without γ and β, every channel of the output has mean 0 over (N, H, W) (1e-12) and biased
    variance σ²/(σ² + ε) = 1 − O(ε) (1e-10), σ² the channel's biased variance: an unbiased variance
    (ratio (n − 1)/n) or ε outside the root fails."""
    x = _features(seed, dims)
    y, _, _ = ctx.call("batch_norm", ctx.tensor(x), None, None, eps, returns=_bn_answer(dims, stats=False))
    axes = (0, *range(2, len(dims)))
    var = x.var(axis=axes)
    assert_close(y.mean(axis=axes), np.zeros(dims[1]), rtol=0, atol=1e-12, name="the channel means of y")
    assert_close(y.var(axis=axes), var / (var + eps), rtol=1e-10, name=f"the channel variances of y (eps={eps})")


@exercise.check(points=1, visibility="hidden", given={"seed": seeds(), "shape": st.sampled_from([(7, 3), (5, 4, 6)])},
                max_examples=4)
def batch_norm_on_vectors_and_sequences(ctx, seed, shape):
    """batch_norm of (N, C) and (N, C, L) inputs (BatchNorm1d's) equals F.batch_norm, running
    statistics included, with momentum 1 (the batch's statistics replace the running ones)."""
    x = _features(seed, shape)
    C = shape[1]
    gamma, beta = _affine(seed, (C,))
    mean, var = np.zeros(C), np.ones(C)
    got = ctx.call("batch_norm", ctx.tensor(x), ctx.tensor(gamma), ctx.tensor(beta), 1e-5, ctx.tensor(mean),
                   ctx.tensor(var), 1.0, True, returns=_bn_answer(shape))
    want = _torch_batch_norm(x, gamma, beta, 1e-5, mean, var, 1.0, True)
    for name, g, w in zip(("y", "the new running_mean", "the new running_var"), got, want):
        assert_close(g, w, rtol=1e-10, name=f"{name} of batch_norm on x of shape {shape}")


# ---- layer, instance and group norm (eqs 9.9–9.11) -----------------------------------------------

@exercise.check(points=2, given={**_MAPS, "k": st.sampled_from([1, 2, 3]), "affine": st.booleans()}, max_examples=8)
def layer_norm_matches_torch(ctx, dims, seed, k, affine):
    """layer_norm(x, normalized_shape, weight, bias, eps) equals F.layer_norm over the last 1, 2 or
    3 axes of an (N, C, H, W) input (1e-10), with or without an elementwise weight and bias."""
    x = _features(seed, dims)
    shape = tuple(dims[-k:])
    weight, bias = _affine(seed, shape) if affine else (None, None)
    got = ctx.call("layer_norm", ctx.tensor(x), shape, _t(ctx, weight), _t(ctx, bias), 1e-4, returns=Tensor(dims))
    assert_close(got, _torch_layer_norm(x, shape, weight, bias, 1e-4), rtol=1e-10,
                 name=f"layer_norm(x, {shape}, ...)")


@exercise.check(points=2, given={**_MAPS, "affine": st.booleans()}, max_examples=6)
def instance_norm_matches_torch(ctx, dims, seed, affine):
    """instance_norm(x, eps, weight, bias) equals F.instance_norm (1e-10): each channel of each
    sample normalized over its H·W pixels, then the per-channel weight and bias."""
    x = _features(seed, dims)
    weight, bias = _affine(seed, (dims[1],)) if affine else (None, None)
    got = ctx.call("instance_norm", ctx.tensor(x), 1e-3, _t(ctx, weight), _t(ctx, bias), returns=Tensor(dims))
    assert_close(got, _torch_instance_norm(x, 1e-3, weight, bias), rtol=1e-10, name="instance_norm(x, 1e-3, ...)")


@exercise.check(points=2, given={"seed": seeds(), "CG": st.sampled_from([(4, 2), (6, 2), (6, 3), (8, 4), (8, 2)]),
                                 "affine": st.booleans()}, max_examples=8)
def group_norm_matches_torch(ctx, seed, CG, affine):
    """group_norm(x, G, weight, bias, eps) equals F.group_norm (1e-10): groups of C/G consecutive
    channels, each normalized over its channels and pixels, then the per-channel weight and bias."""
    C, G = CG
    dims = (3, C, 5, 2)
    x = _features(seed, dims)
    weight, bias = _affine(seed, (C,)) if affine else (None, None)
    got = ctx.call("group_norm", ctx.tensor(x), G, _t(ctx, weight), _t(ctx, bias), 1e-5, returns=Tensor(dims))
    assert_close(got, _torch_group_norm(x, G, weight, bias, 1e-5), rtol=1e-10, name=f"group_norm(x, G={G}, ...)")


@exercise.check(points=1, given=_MAPS, max_examples=4)
def group_norm_extremes_are_layer_and_instance_norm(ctx, dims, seed):
    """group_norm with G = 1 is layer norm over (C, H, W) and with G = C is instance norm:
    F.layer_norm(x, x.shape[1:]) and F.instance_norm(x) (1e-10)."""
    x = _features(seed, dims)
    one, every = ctx.map("group_norm", [(ctx.tensor(x), 1), (ctx.tensor(x), dims[1])], returns=Tensor(dims))
    assert_close(one, _torch_layer_norm(x, tuple(dims[1:]), None, None, 1e-5), rtol=1e-10,
                 name="group_norm(x, 1) against layer norm over (C, H, W)")
    assert_close(every, _torch_instance_norm(x, 1e-5, None, None), rtol=1e-10,
                 name=f"group_norm(x, {dims[1]}) (G = C) against instance norm")


#: Book ex 9.2's feature matrix (H·W = 4 pixels × C = 3 channels, row convention), reconstructed
#: from the pinned row 0 of its layer and instance norms (the values depend on the other rows
#: only through their channel statistics).
_EX_9_2 = np.array([[1.0, 2.0, 3.0], [5.0, 0.0, 1.0], [0.0, -3.0, -5.0], [-1.0, -2.0, 0.0]])


@exercise.check(points=2)
def book_ex_9_2(ctx):
    """Book ex 9.2: the 4×3 feature matrix X (pixels × channels) as a (1, 3, 2, 2) map, eps = 0.
    Row 0 of layer norm over (C, H, W) is [.357452, .747400, 1.137347] and row 0 of instance norm is
    [−.109764, 1.432078, 1.102646] (1e-6); the whole outputs match torch's (1e-10)."""
    x = _EX_9_2.T.reshape(1, 3, 2, 2)
    ln = ctx.call("layer_norm", ctx.tensor(x), (3, 2, 2), None, None, 0.0, returns=Tensor(x.shape))
    inn = ctx.call("instance_norm", ctx.tensor(x), 0.0, returns=Tensor(x.shape))
    assert_close(ln[0].reshape(3, 4).T[0], [0.357452, 0.747400, 1.137347], rtol=0, atol=1e-6,
                 name="row 0 of the layer norm of ex 9.2")
    assert_close(inn[0].reshape(3, 4).T[0], [-0.109764, 1.432078, 1.102646], rtol=0, atol=1e-6,
                 name="row 0 of the instance norm of ex 9.2")
    assert_close(ln, _torch_layer_norm(x, (3, 2, 2), None, None, 0.0), rtol=1e-10, name="the layer norm of ex 9.2")
    assert_close(inn, _torch_instance_norm(x, 0.0, None, None), rtol=1e-10, name="the instance norm of ex 9.2")


@exercise.check(points=2)
def float32_stays_float32(ctx):
    """float32 inputs give float32 outputs (torch tensors, not numpy arrays), within 1e-5 of the
    float64 results of torch: batch_norm (with its running statistics), layer_norm, instance_norm
    and group_norm on a (4, 6, 3, 5) map."""
    dims = (4, 6, 3, 5)
    x = _features(607, dims).astype(np.float32)
    w, b = (a.astype(np.float32) for a in _affine(607, (6,)))
    mean, var = np.zeros(6, np.float32), np.ones(6, np.float32)
    got = ctx.call("batch_norm", ctx.tensor(x, dtype="float32"), ctx.tensor(w, dtype="float32"),
                   ctx.tensor(b, dtype="float32"), 1e-5, ctx.tensor(mean, dtype="float32"),
                   ctx.tensor(var, dtype="float32"), 0.1, True, returns=_bn_answer(dims, "float32"))
    want = _torch_batch_norm(x.astype(np.float64), w.astype(np.float64), b.astype(np.float64), 1e-5,
                             mean.astype(np.float64), var.astype(np.float64), 0.1, True)
    for name, g, v in zip(("y", "the new running_mean", "the new running_var"), got, want):
        assert_close(g, v, rtol=1e-5, name=f"{name} of batch_norm in float32")
    x64 = x.astype(np.float64)
    x32 = ctx.tensor(x, dtype="float32")
    ln = ctx.call("layer_norm", x32, (6, 3, 5), returns=Tensor(dims, "float32"))
    assert_close(ln, _torch_layer_norm(x64, (6, 3, 5), None, None, 1e-5), rtol=1e-5, name="layer_norm in float32")
    inn = ctx.call("instance_norm", x32, returns=Tensor(dims, "float32"))
    assert_close(inn, _torch_instance_norm(x64, 1e-5, None, None), rtol=1e-5, name="instance_norm in float32")
    gn = ctx.call("group_norm", x32, 3, returns=Tensor(dims, "float32"))
    assert_close(gn, _torch_group_norm(x64, 3, None, None, 1e-5), rtol=1e-5, name="group_norm(x, 3) in float32")


@exercise.check(points=1, visibility="hidden", given={"seed": seeds(), "T": st.integers(3, 7), "D": st.integers(2, 6)},
                max_examples=4)
def layer_norm_of_token_features(ctx, seed, T, D):
    """layer_norm(x, D) with an int normalized_shape on a (B, T, D) batch of token features (the
    transformer's use) equals F.layer_norm(x, (D,)) (1e-10), also with eps = 0."""
    x = _features(seed, (2, T, D))
    got = ctx.map("layer_norm", [(ctx.tensor(x), D), (ctx.tensor(x), D, None, None, 0.0)], returns=Tensor(x.shape))
    assert_close(got[0], _torch_layer_norm(x, (D,), None, None, 1e-5), rtol=1e-10, name=f"layer_norm(x, {D})")
    assert_close(got[1], _torch_layer_norm(x, (D,), None, None, 0.0), rtol=1e-10,
                 name=f"layer_norm(x, {D}, eps=0.0)")
