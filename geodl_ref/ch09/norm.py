"""Feature normalizations (chapter 9): batch, layer, instance and group normalization, in torch.

A feature map is a tensor ``x`` of shape (N, C, H, W): N samples, C channels, H·W pixels (any
number of spatial axes after the channel axis works the same way). The four methods share one
formula and differ only in the set of entries whose statistics they use (eqs 9.3–9.11):

    y = (x − μ) / √(σ² + ε) · γ + β,

where μ and σ² are the mean and the **biased** variance (divide by the number of entries, as
torch does; erratum §15.15 of the curriculum) over

* batch norm (eqs 9.4–9.5): every sample and pixel of one channel, axes (N, H, W);
* layer norm (eq 9.9): one sample's trailing axes ``normalized_shape``, e.g. (C, H, W);
* instance norm (eq 9.10): one sample's one channel, axes (H, W);
* group norm (eq 9.11): one sample's group of C/G consecutive channels, axes (C/G, H, W).

ε sits inside the square root. γ and β (``gamma``/``beta``, ``weight``/``bias``) are per channel,
except in layer norm where they have the shape ``normalized_shape``. In the book's row layout
(eq 9.1) one sample is the matrix X ∈ R^{HW×C}; here it is ``x[n]`` of shape (C, H, W), so the
pixel p of channel c is X[p, c] = x[n, c].flatten()[p].

Batch norm also keeps running statistics for evaluation, as torch does: in training, with
``m`` the momentum, r_mean ← (1 − m)·r_mean + m·μ and r_var ← (1 − m)·r_var + m·σ²_unbiased, the
**unbiased** variance (divide by count − 1) of the batch; in evaluation mode the running
statistics replace the batch's. The functions are pure: the updated running statistics are
returned, never written into the arguments.

Every function keeps the dtype and the device of ``x`` (float64 in, float64 out; float32 in,
float32 out). ``torch.nn.functional``'s ``batch_norm``, ``layer_norm``, ``instance_norm`` and
``group_norm`` (and their ``torch.*`` and ``torch.nn`` twins) are what this exercise asks you to
write: they are forbidden here.
"""
from __future__ import annotations

from typing import Any, Sequence

import torch

from geodl_ref._validation import check_int, check_scalar, check_tensor

__all__ = ["batch_norm", "group_norm", "instance_norm", "layer_norm"]


def _optional(x: Any, *, name: str, shape: Sequence[int], like: torch.Tensor) -> torch.Tensor | None:
    return None if x is None else check_tensor(x, name=name, shape=shape, like=like)


def batch_norm(x: torch.Tensor, gamma: torch.Tensor | None, beta: torch.Tensor | None, eps: float = 1e-5,
               running_mean: torch.Tensor | None = None, running_var: torch.Tensor | None = None,
               momentum: float = 0.1, training: bool = True
               ) -> tuple[torch.Tensor, torch.Tensor | None, torch.Tensor | None]:
    """Batch normalization (eqs 9.4–9.5), with torch's running statistics.

    Each channel c is normalized with the mean μ_c and the biased variance σ²_c of all its
    entries over the batch and the pixels (axes 0, 2, 3, ...): y = (x − μ_c)/√(σ²_c + ε)·γ_c + β_c.
    With ``training=False`` the running statistics stand in for the batch's μ and σ². With
    ``training=True`` and running statistics given, they are updated as torch updates them:
    r_mean ← (1 − m)·r_mean + m·μ and r_var ← (1 − m)·r_var + m·σ²_unbiased, where
    σ²_unbiased = σ²·n/(n − 1) over the n = N·H·W entries of a channel.

    Parameters
    ----------
    x : Tensor of shape (N, C, H, W), floating point
        The batch; any number of axes after the channel axis, (N, C) included.
    gamma, beta : Tensor of shape (C,) or None
        Per-channel scale γ and shift β (None: 1 and 0), of the dtype and device of x.
    eps : float >= 0, default 1e-5
        ε, added to the variance inside the square root.
    running_mean, running_var : Tensor of shape (C,) or None, default None
        The running statistics (both or neither); required when ``training`` is False.
    momentum : float in [0, 1], default 0.1
        m, the weight of the current batch in the running statistics.
    training : bool, default True
        Normalize with the batch's statistics (and update the running ones) or, if False, with
        the running statistics.

    Returns
    -------
    y : Tensor of the shape, dtype and device of x
        The normalized batch.
    running_mean, running_var : Tensor of shape (C,) or None
        The updated running statistics (new tensors: the arguments are left as they were); as
        given when ``training`` is False; None when none were given.

    Raises
    ------
    ValueError
        If only one running statistic is given, none in evaluation mode, or a channel has a
        single entry in training (its unbiased variance would divide by 0).

    Examples
    --------
    >>> x = torch.tensor([[[[1.0]], [[2.0]]], [[[3.0]], [[6.0]]]], dtype=torch.float64)  # (2, 2, 1, 1)
    >>> y, mean, var = batch_norm(x, None, None, eps=0.0, running_mean=torch.zeros(2, dtype=torch.float64),
    ...                           running_var=torch.ones(2, dtype=torch.float64))
    >>> y.flatten().tolist()
    [-1.0, -1.0, 1.0, 1.0]
    >>> mean.tolist(), var.tolist()  # 0.9·0 + 0.1·(2, 4) and 0.9·1 + 0.1·(2, 8): unbiased variances
    ([0.2, 0.4], [1.1, 1.7000000000000002])
    """
    x = check_tensor(x, name="x", min_ndim=2, layout="(N, C, H, W)")
    C = x.shape[1]
    gamma = _optional(gamma, name="gamma", shape=(C,), like=x)
    beta = _optional(beta, name="beta", shape=(C,), like=x)
    running_mean = _optional(running_mean, name="running_mean", shape=(C,), like=x)
    running_var = _optional(running_var, name="running_var", shape=(C,), like=x)
    eps = check_scalar(eps, name="eps", lo=0)
    momentum = check_scalar(momentum, name="momentum", lo=0, hi=1)
    if not isinstance(training, bool):
        raise TypeError(f"training should be True or False; got training={training!r}")
    if (running_mean is None) != (running_var is None):
        raise ValueError("give both running_mean and running_var, or neither")
    if not training and running_mean is None:
        raise ValueError("training=False normalizes with running_mean and running_var: give them")
    if training and x.numel() // max(C, 1) < 2:
        raise ValueError(f"training needs more than one value per channel; got x.shape={tuple(x.shape)}")
    ### BEGIN SOLUTION
    axes = [0, *range(2, x.ndim)]  # every axis but the channels (eq 9.4)
    per_channel = (1, C) + (1,) * (x.ndim - 2)  # broadcasts a (C,) vector over x
    if not training and running_mean is not None and running_var is not None:
        mean, var = running_mean, running_var  # evaluation: the running statistics stand in
    else:
        mean = x.mean(dim=axes)  # (C,)  μ, eq 9.4
        var = x.var(dim=axes, correction=0)  # (C,)  σ², biased: divide by n (eq 9.5)
    y = (x - mean.view(per_channel)) / torch.sqrt(var.view(per_channel) + eps)  # ε inside the root
    if gamma is not None:
        y = y * gamma.view(per_channel)
    if beta is not None:
        y = y + beta.view(per_channel)
    if training and running_mean is not None and running_var is not None:
        n = x.numel() // C  # entries per channel
        running_mean = (1 - momentum) * running_mean + momentum * mean
        running_var = (1 - momentum) * running_var + momentum * var * (n / (n - 1))  # unbiased
    return y, running_mean, running_var
    ### END SOLUTION


def layer_norm(x: torch.Tensor, normalized_shape: int | Sequence[int], weight: torch.Tensor | None = None,
               bias: torch.Tensor | None = None, eps: float = 1e-5) -> torch.Tensor:
    """Layer normalization (eq 9.9): each sample normalized over its trailing axes.

    The statistics are the mean and the biased variance over the last ``len(normalized_shape)``
    axes of x, which must have the shape ``normalized_shape``; for a feature map (N, C, H, W),
    ``normalized_shape = (C, H, W)`` normalizes each sample as a whole (the book's layer norm).
    ``weight`` and ``bias`` act elementwise over those axes.

    Parameters
    ----------
    x : Tensor of shape (*, *normalized_shape), floating point
        The input; its trailing axes are normalized.
    normalized_shape : int or sequence of int
        The shape of the normalized trailing axes (an int means one axis).
    weight, bias : Tensor of shape normalized_shape or None, default None
        Elementwise scale γ and shift β (None: 1 and 0), of the dtype and device of x.
    eps : float >= 0, default 1e-5
        ε, inside the square root.

    Returns
    -------
    Tensor of the shape, dtype and device of x

    Examples
    --------
    >>> x = torch.tensor([[1.0, 2.0, 3.0, 6.0]], dtype=torch.float64)
    >>> layer_norm(x, 4, eps=0.0).tolist()  # mean 3, biased variance 3.5
    [[-1.0690449676496976, -0.5345224838248488, 0.0, 1.6035674514745464]]
    """
    x = check_tensor(x, name="x", min_ndim=1)
    if isinstance(normalized_shape, (int, bool)) or not isinstance(normalized_shape, Sequence):
        normalized_shape = (normalized_shape,)
    shape = tuple(check_int(n, name="normalized_shape", lo=1) for n in normalized_shape)
    if not shape or len(shape) > x.ndim or tuple(x.shape[x.ndim - len(shape):]) != shape:
        raise ValueError(f"normalized_shape={shape} should be the trailing axes of x; got x.shape={tuple(x.shape)}")
    weight = _optional(weight, name="weight", shape=shape, like=x)
    bias = _optional(bias, name="bias", shape=shape, like=x)
    eps = check_scalar(eps, name="eps", lo=0)
    ### BEGIN SOLUTION
    axes = list(range(x.ndim - len(shape), x.ndim))  # the trailing axes (eq 9.9)
    mean = x.mean(dim=axes, keepdim=True)  # (*, 1, ..., 1)
    var = x.var(dim=axes, keepdim=True, correction=0)  # biased
    y = (x - mean) / torch.sqrt(var + eps)
    if weight is not None:
        y = y * weight  # broadcasts over the leading axes
    if bias is not None:
        y = y + bias
    return y
    ### END SOLUTION


def instance_norm(x: torch.Tensor, eps: float = 1e-5, weight: torch.Tensor | None = None,
                  bias: torch.Tensor | None = None) -> torch.Tensor:
    """Instance normalization (eq 9.10): each channel of each sample normalized over its pixels.

    Parameters
    ----------
    x : Tensor of shape (N, C, H, W), floating point
        The batch; at least one spatial axis after the channel axis.
    eps : float >= 0, default 1e-5
        ε, inside the square root.
    weight, bias : Tensor of shape (C,) or None, default None
        Per-channel scale γ and shift β (None: 1 and 0), of the dtype and device of x.

    Returns
    -------
    Tensor of the shape, dtype and device of x

    Examples
    --------
    >>> x = torch.tensor([[[[1.0, 3.0]], [[5.0, 9.0]]]], dtype=torch.float64)  # (1, 2, 1, 2)
    >>> instance_norm(x, eps=0.0, bias=torch.tensor([0.0, 7.0], dtype=torch.float64)).tolist()
    [[[[-1.0, 1.0]], [[6.0, 8.0]]]]
    >>> instance_norm(x, eps=1.0).flatten().tolist()  # variances 1 and 4: ε = 1 shrinks them
    [-0.7071067811865475, 0.7071067811865475, -0.8944271909999159, 0.8944271909999159]
    """
    x = check_tensor(x, name="x", min_ndim=3, layout="(N, C, H, W)")
    eps = check_scalar(eps, name="eps", lo=0)
    weight = _optional(weight, name="weight", shape=(x.shape[1],), like=x)
    bias = _optional(bias, name="bias", shape=(x.shape[1],), like=x)
    ### BEGIN SOLUTION
    axes = list(range(2, x.ndim))  # the pixels of one channel of one sample (eq 9.10)
    per_channel = (1, x.shape[1]) + (1,) * (x.ndim - 2)
    mean = x.mean(dim=axes, keepdim=True)  # (N, C, 1, 1)
    var = x.var(dim=axes, keepdim=True, correction=0)  # biased
    y = (x - mean) / torch.sqrt(var + eps)
    if weight is not None:
        y = y * weight.view(per_channel)
    if bias is not None:
        y = y + bias.view(per_channel)
    return y
    ### END SOLUTION


def group_norm(x: torch.Tensor, G: int, weight: torch.Tensor | None = None, bias: torch.Tensor | None = None,
               eps: float = 1e-5) -> torch.Tensor:
    """Group normalization (eq 9.11): the channels of each sample split into G groups of C/G
    consecutive channels (channel c is in group c // (C/G)), each normalized as a whole.

    G = 1 is layer norm over (C, H, W) and G = C is instance norm (without their affine maps,
    which differ: here ``weight`` and ``bias`` are per channel).

    Parameters
    ----------
    x : Tensor of shape (N, C, H, W), floating point
        The batch; any number of axes after the channel axis, (N, C) included.
    G : int
        The number of groups, 1 <= G <= C, dividing C.
    weight, bias : Tensor of shape (C,) or None, default None
        Per-channel scale γ and shift β (None: 1 and 0), of the dtype and device of x.
    eps : float >= 0, default 1e-5
        ε, inside the square root.

    Returns
    -------
    Tensor of the shape, dtype and device of x

    Examples
    --------
    >>> x = torch.tensor([[[1.0], [3.0], [10.0], [14.0]]], dtype=torch.float64)  # (1, 4, 1)
    >>> group_norm(x, 2, eps=0.0).flatten().tolist()  # groups {0, 1} and {2, 3}
    [-1.0, 1.0, -1.0, 1.0]
    >>> group_norm(x, 1, eps=0.0).flatten().tolist()  # one group: mean 7, variance 27.5
    [-1.1441551070947107, -0.7627700713964739, 0.5720775535473553, 1.3348476249438292]
    """
    x = check_tensor(x, name="x", min_ndim=2, layout="(N, C, H, W)")
    C = x.shape[1]
    G = check_int(G, name="G", lo=1, hi=max(C, 1))
    if C % G:
        raise ValueError(f"G should divide the number of channels C={C}; got G={G}")
    weight = _optional(weight, name="weight", shape=(C,), like=x)
    bias = _optional(bias, name="bias", shape=(C,), like=x)
    eps = check_scalar(eps, name="eps", lo=0)
    ### BEGIN SOLUTION
    groups = x.reshape(x.shape[0], G, -1)  # (N, G, C/G·H·W): consecutive channels together (eq 9.11)
    mean = groups.mean(dim=-1, keepdim=True)  # (N, G, 1)
    var = groups.var(dim=-1, keepdim=True, correction=0)  # biased
    y = ((groups - mean) / torch.sqrt(var + eps)).reshape(x.shape)
    per_channel = (1, C) + (1,) * (x.ndim - 2)
    if weight is not None:
        y = y * weight.view(per_channel)
    if bias is not None:
        y = y + bias.view(per_channel)
    return y
    ### END SOLUTION
