# ch07/losses.py: generated from geodl_ref by `geodl build`. Fill in the code marked YOUR CODE HERE.
"""Losses and regularizers for training CNNs (chapter 7): cross-entropy, dropout, weight decay, ℓp losses.

**Cross-entropy** follows PyTorch's ``F.cross_entropy``: the logits z (N, K) hold one row per sample,
the class probabilities are softmax(z_n) over the K classes (eq 7.6), and sample n costs

    ℓ_n = −Σ_k t_nk · log softmax(z_n)_k,   t_n = (1 − ε)·target_n + ε/K,

where target_n is the one-hot vector of the class index (or the given probability row) and ε the
label smoothing, spread uniformly over all K classes (ε/K, the true class included). ``reduction``
averages ('mean'), sums ('sum') or keeps ('none') the ℓ_n. log-softmax subtracts each row's maximum
before exponentiating, so logits of ±1e4 stay finite. Its gradient is (softmax(z) − t)/N for 'mean'.

**Dropout** is inverted dropout: in training each entry is kept with probability 1 − p and scaled by
1/(1 − p), so E[y] = x; in evaluation it is the identity. The scale mask it returns is what the
backward pass multiplies the upstream gradient by. **Weight decay** is the penalty (λ/2)·Σ‖θ‖² whose
gradient λθ is what ``torch.optim.SGD(weight_decay=λ)`` adds. The ℓp loss (eq 7.8) is Σ |y − ŷ|^p.
"""
from __future__ import annotations

import numpy as np

from ch07._validation import check_array, check_choice, check_dim, check_int, check_scalar

__all__ = ["log_softmax", "cross_entropy", "cross_entropy_grad", "dropout", "l2_grad", "lp_loss"]


def log_softmax(z, axis=-1):
    """log softmax(z) along ``axis``, computed stably (the maximum subtracted first).

    Parameters
    ----------
    z : ndarray, float64
        Logits; any shape.
    axis : int, default -1
        The axis of the classes.

    Returns
    -------
    ndarray, float64, the shape of z
        ``z − max(z) − log Σ exp(z − max(z))`` along ``axis``: finite for any finite z, and
        exp of it sums to 1 along ``axis``.

    Examples
    --------
    >>> log_softmax(np.array([[0.0, 0.0], [1e4, 0.0]]))
    array([[-6.93147181e-01, -6.93147181e-01],
           [ 0.00000000e+00, -1.00000000e+04]])
    """
    z = check_array(z, name="z")
    axis = check_int(axis, name="axis", lo=-max(z.ndim, 1), hi=max(z.ndim, 1) - 1)
    # YOUR CODE HERE
    raise NotImplementedError()


def cross_entropy(logits, target, reduction="mean", label_smoothing=0.0):
    """Cross-entropy of logits against class indices or class probabilities (``F.cross_entropy``).

    Parameters
    ----------
    logits : ndarray of shape (N, K), float64
        One row of class scores per sample (softmax over the K classes of each row).
    target : ndarray of shape (N,), int or (N, K) float64 probabilities
        The class index of each sample, in 0..K−1, or a probability row per sample (soft targets).
    reduction : {'mean', 'sum', 'none'}, default 'mean'
        Average over the N samples, sum, or return the N losses.
    label_smoothing : float in [0, 1], default 0
        ε: the target becomes (1 − ε)·target + ε/K (the ε spread over all K classes).

    Returns
    -------
    loss : float, or ndarray of shape (N,) for reduction='none'
        ``ℓ_n = −Σ_k t_nk log softmax(logits_n)_k`` reduced as asked.

    Raises
    ------
    ValueError
        If the shapes disagree, a class index is outside 0..K−1, reduction is unknown or
        label_smoothing is outside [0, 1].

    Examples
    --------
    >>> z = np.array([[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    >>> round(cross_entropy(z, np.array([0, 2])), 6)                          # (0.239545 + 1.098612)/2
    0.669079
    >>> round(cross_entropy(z, np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])), 6)   # the same, one-hot
    0.669079
    >>> cross_entropy(z, np.array([0, 2]), reduction="none", label_smoothing=0.3).round(6)
    array([0.639545, 1.098612])
    """
    logits, target, reduction, label_smoothing = _check_ce(logits, target, reduction, label_smoothing)
    # YOUR CODE HERE
    raise NotImplementedError()


def cross_entropy_grad(logits, target, reduction="mean", label_smoothing=0.0):
    """∂ cross_entropy / ∂ logits (denominator layout: the shape of logits).

    Parameters
    ----------
    logits, target, label_smoothing
        As in :func:`cross_entropy`.
    reduction : {'mean', 'sum'}, default 'mean'
        The reduction whose scalar loss is differentiated.

    Returns
    -------
    dlogits : ndarray of shape (N, K), float64
        ``(softmax(logits) − t) / N`` for 'mean', without the 1/N for 'sum', with t the smoothed
        target: each row sums to 0 when the target rows sum to 1.

    Raises
    ------
    ValueError
        As :func:`cross_entropy`, or if reduction is 'none' (the loss is not a scalar).

    Examples
    --------
    >>> cross_entropy_grad(np.zeros((2, 2)), np.array([0, 1]), reduction="sum")
    array([[-0.5,  0.5],
           [ 0.5, -0.5]])
    """
    logits, target, reduction, label_smoothing = _check_ce(logits, target, reduction, label_smoothing)
    if reduction == "none":
        raise ValueError("cross_entropy_grad needs a scalar loss: reduction should be 'mean' or 'sum'; got 'none'")
    # YOUR CODE HERE
    raise NotImplementedError()


def dropout(x, p, training, rng):
    """Inverted dropout: zero each entry with probability p and scale the rest by 1/(1 − p).

    Parameters
    ----------
    x : ndarray, float64
        Activations; any shape.
    p : float in [0, 1)
        The probability of *dropping* an entry (not of keeping it).
    training : bool
        Dropout in training; the identity in evaluation.
    rng : numpy.random.Generator
        The only source of randomness (unused in evaluation).

    Returns
    -------
    y : ndarray, float64, the shape of x
        ``x · mask``; E[y] = x.
    mask : ndarray, float64, the shape of x
        1/(1 − p) where the entry is kept, 0 where dropped (all ones in evaluation): the backward
        pass is ``dx = dy · mask`` with this same mask.

    Examples
    --------
    >>> y, mask = dropout(np.ones((2, 4)), 0.5, True, np.random.default_rng(0))
    >>> sorted(set(mask.ravel().tolist())), bool(np.all(y == mask))
    ([0.0, 2.0], True)
    >>> dropout(np.ones(3), 0.5, False, np.random.default_rng(0))[0]
    array([1., 1., 1.])
    """
    x = check_array(x, name="x")
    p = check_scalar(p, name="p", lo=0, hi=1, hi_open=True)
    if not isinstance(training, (bool, np.bool_)):
        raise TypeError(f"training should be a bool; got training={training!r}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng should be a numpy.random.Generator; got rng={rng!r} (type={type(rng).__name__})")
    # YOUR CODE HERE
    raise NotImplementedError()


def l2_grad(params, lam):
    """Gradient of the weight-decay penalty (λ/2)·Σ_θ ‖θ‖² with respect to each parameter array.

    Parameters
    ----------
    params : list of ndarray, float64
        The parameter arrays (any shapes).
    lam : float >= 0
        λ, the decay coefficient (``weight_decay`` of ``torch.optim.SGD``).

    Returns
    -------
    grads : list of ndarray, float64
        ``λ·θ`` for each θ in params, in the same order and shapes.

    Examples
    --------
    >>> l2_grad([np.array([1.0, -2.0]), np.eye(2)], 0.5)
    [array([ 0.5, -1. ]), array([[0.5, 0. ],
           [0. , 0.5]])]
    """
    if not isinstance(params, (list, tuple)):
        raise ValueError(f"params should be a list of arrays; got {type(params).__name__}")
    params = [check_array(theta, name=f"params[{i}]") for i, theta in enumerate(params)]
    lam = check_scalar(lam, name="lam", lo=0)
    # YOUR CODE HERE
    raise NotImplementedError()


def lp_loss(y, yhat, p):
    """The ℓp loss of eq 7.8: Σ |y − ŷ|^p over every entry.

    Parameters
    ----------
    y, yhat : ndarray, float64, of the same shape
        Targets and predictions.
    p : float >= 1
        The exponent (p = 2: the sum of squared errors; p = 1: the sum of absolute errors).

    Returns
    -------
    loss : float
        ``Σ |y − ŷ|^p`` (the p-th power of the ℓp norm of y − ŷ).

    Examples
    --------
    >>> lp_loss(np.array([1.0, 2.0]), np.array([0.0, 4.0]), 2)
    5.0
    >>> lp_loss(np.array([1.0, 2.0]), np.array([0.0, 4.0]), 1)
    3.0
    """
    y = check_array(y, name="y")
    yhat = check_array(yhat, name="yhat", shape=y.shape, layout="the shape of y")
    p = check_scalar(p, name="p", lo=1)
    # YOUR CODE HERE
    raise NotImplementedError()



def _check_ce(logits, target, reduction, label_smoothing):
    """Validate cross-entropy's arguments; return them converted (class indices as int64)."""
    logits = check_array(logits, name="logits", ndim=2, layout="(N, K)")
    N, K = logits.shape
    raw = np.asarray(target)
    if raw.ndim == 1:
        if raw.dtype.kind not in "iu":
            raise ValueError(f"target of shape (N,) should hold integer class indices; got dtype {raw.dtype}")
        check_dim(raw.shape[0], N, what="target.shape[0] == logits.shape[0] (N)")
        if raw.size and (raw.min() < 0 or raw.max() >= K):
            raise ValueError(f"target's class indices should lie in 0..K−1 = 0..{K - 1}; "
                             f"got [{raw.min()}, {raw.max()}]")
        target = raw.astype(np.int64)
    else:
        target = check_array(target, name="target", shape=(N, K), layout="(N,) or (N, K) = logits.shape")
    reduction = check_choice(reduction, name="reduction", choices=("mean", "sum", "none"))
    label_smoothing = check_scalar(label_smoothing, name="label_smoothing", lo=0, hi=1)
    return logits, target, reduction, label_smoothing
