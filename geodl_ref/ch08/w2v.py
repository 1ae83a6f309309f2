"""word2vec losses and their gradients (chapter 8, eqs 8.8–8.9): skip-gram, CBOW and skip-gram with
negative sampling (SGNS), the objectives behind DeepWalk and node2vec.

A vocabulary of M words (or nodes) has two embeddings per word: an input vector, row w of
``W_in`` (M, d), and an output vector, row w of ``W_out`` (M, d). The score of word k given a
hidden vector h is w̃_kᵀh, the k-th entry of W_out h, and p(k | h) = softmax(W_out h)_k.

* Skip-gram (8.9): h = W_in[center] predicts each of the C context words t_1..t_C,
  loss = −Σ_j w̃_{t_j}ᵀh + C · log Σ_k exp(w̃_kᵀh)  (the log-partition once per context word).
* CBOW (8.8): h = (1/C) Σ_j W_in[t_j], the *mean* over the C context words (the book's
  1/(2c − 1) is a typo for 1/(2c), the size of a window of c words on each side), predicts the
  centre word: loss = −w̃_centerᵀh + log Σ_k exp(w̃_kᵀh).
* SGNS: for each context word o_j, K negative words n_j1..n_jK;
  loss = −Σ_j [log σ(u_{o_j}ᵀh) + Σ_k log σ(−u_{n_jk}ᵀh)], h = W_in[center], u = rows of W_out.

Each function returns the loss and its gradients with respect to W_in and W_out, arrays of their
shapes (a row that the loss does not use has a zero gradient). Indices may repeat; every
occurrence counts. Scores of size 1e3 stay finite (log-sum-exp and log σ computed stably).
numpy only.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from geodl_ref._validation import check_array, check_dim, check_int

__all__ = ["cbow_loss", "sgns_loss", "skipgram_loss"]


def _check_embeddings(W_in: Any, W_out: Any) -> tuple[np.ndarray, np.ndarray]:
    """``W_in`` and ``W_out`` as float64 (M, d) arrays of one shape, or raise naming the offender."""
    W_in = check_array(W_in, name="W_in", ndim=2, layout="(M, d)")
    W_out = check_array(W_out, name="W_out", ndim=2, layout="(M, d)")
    check_dim(W_out.shape[0], W_in.shape[0], what="W_out.shape[0] == W_in.shape[0] (one row per word)")
    check_dim(W_out.shape[1], W_in.shape[1], what="W_out.shape[1] == W_in.shape[1] (one dimension d)")
    return W_in, W_out


def _check_indices(idx: Any, name: str, M: int, ndim: int) -> np.ndarray:
    """``idx`` as an int64 array of word indices in [0, M), at least one of them, or raise naming ``name``."""
    arr = check_array(idx, name=name, ndim=ndim, dtype=None)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name} should hold integer word indices; got dtype {arr.dtype}")
    if arr.size == 0:
        raise ValueError(f"{name} should hold at least one index; got {name}.shape={arr.shape}")
    if arr.min() < 0 or arr.max() >= M:
        raise ValueError(f"{name} should hold indices in [0, {M}); got values from {arr.min()} to {arr.max()}")
    return arr.astype(np.int64)


def skipgram_loss(W_in: np.ndarray, W_out: np.ndarray, center: int,
                  context: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Skip-gram loss (eq 8.9) of one centre word and its C context words, with its gradients.

    Parameters
    ----------
    W_in : ndarray of shape (M, d), float
        Input embeddings, one row per word.
    W_out : ndarray of shape (M, d), float
        Output embeddings, one row per word.
    center : int
        Index of the centre word, in [0, M).
    context : ndarray of shape (C,), int
        Indices of the context words (repeats allowed, each counts).

    Returns
    -------
    loss : float
        −Σ_j w̃_{t_j}ᵀh + C · logsumexp(W_out h), h = W_in[center].
    dW_in : ndarray of shape (M, d), float64
        Its gradient in W_in: zero except in row ``center``.
    dW_out : ndarray of shape (M, d), float64
        Its gradient in W_out.

    Raises
    ------
    ValueError
        If the shapes disagree or an index is outside [0, M).

    Examples
    --------
    >>> W_in = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    >>> loss, dW_in, dW_out = skipgram_loss(W_in, np.zeros((3, 2)), 0, np.array([1, 2]))
    >>> round(loss, 6) == round(2 * float(np.log(3)), 6)   # all scores 0: twice log 3
    True
    >>> dW_in                                             # W_out = 0: no gradient reaches h
    array([[0., 0.],
           [0., 0.],
           [0., 0.]])
    >>> dW_out[:, 0].round(4)                             # (C p − counts) h₀, p uniform
    array([ 0.6667, -0.3333, -0.3333])
    """
    W_in, W_out = _check_embeddings(W_in, W_out)
    M = W_in.shape[0]
    center = check_int(center, name="center", lo=0, hi=M - 1)
    context = _check_indices(context, "context", M, ndim=1)
    ### BEGIN SOLUTION
    h = W_in[center]                                         # (d,)
    scores = W_out @ h                                       # (M,): w̃_kᵀh
    top = scores.max()
    log_partition = top + np.log(np.exp(scores - top).sum())  # stable log Σ exp
    C = context.size
    loss = C * log_partition - scores[context].sum()         # eq 8.9
    counts = np.bincount(context, minlength=M).astype(np.float64)
    dscores = C * np.exp(scores - log_partition) - counts     # (M,): C softmax − counts
    dW_out = np.outer(dscores, h)
    dW_in = np.zeros_like(W_in)
    dW_in[center] = W_out.T @ dscores
    return float(loss), dW_in, dW_out
    ### END SOLUTION


def cbow_loss(W_in: np.ndarray, W_out: np.ndarray, context: np.ndarray,
              center: int) -> tuple[float, np.ndarray, np.ndarray]:
    """CBOW loss (eq 8.8): the mean of the context's input vectors predicts the centre word.

    Parameters
    ----------
    W_in : ndarray of shape (M, d), float
        Input embeddings, one row per word.
    W_out : ndarray of shape (M, d), float
        Output embeddings, one row per word.
    context : ndarray of shape (C,), int
        Indices of the context words (repeats allowed, each counts in the mean).
    center : int
        Index of the centre word, in [0, M).

    Returns
    -------
    loss : float
        −w̃_centerᵀh + logsumexp(W_out h), h = (1/C) Σ_j W_in[t_j] (1/C, not the book's 1/(2c − 1)).
    dW_in : ndarray of shape (M, d), float64
        Its gradient in W_in: zero outside the context rows.
    dW_out : ndarray of shape (M, d), float64
        Its gradient in W_out.

    Raises
    ------
    ValueError
        If the shapes disagree or an index is outside [0, M).

    Examples
    --------
    >>> W_in = np.array([[2.0, 0.0], [0.0, 2.0], [0.0, 0.0]])
    >>> loss, dW_in, dW_out = cbow_loss(W_in, np.zeros((3, 2)), np.array([0, 1]), 2)
    >>> round(loss, 6) == round(float(np.log(3)), 6)
    True
    >>> dW_out.round(4)                                   # (p − e_center) hᵀ, h = (1, 1)
    array([[ 0.3333,  0.3333],
           [ 0.3333,  0.3333],
           [-0.6667, -0.6667]])
    """
    W_in, W_out = _check_embeddings(W_in, W_out)
    M = W_in.shape[0]
    context = _check_indices(context, "context", M, ndim=1)
    center = check_int(center, name="center", lo=0, hi=M - 1)
    ### BEGIN SOLUTION
    C = context.size
    h = W_in[context].mean(axis=0)                           # (d,): 1/C, eq 8.8 corrected
    scores = W_out @ h
    top = scores.max()
    log_partition = top + np.log(np.exp(scores - top).sum())
    loss = log_partition - scores[center]
    dscores = np.exp(scores - log_partition)                 # softmax − e_center
    dscores[center] -= 1.0
    dW_out = np.outer(dscores, h)
    dW_in = np.zeros_like(W_in)
    np.add.at(dW_in, context, (W_out.T @ dscores) / C)       # repeated context words accumulate
    return float(loss), dW_in, dW_out
    ### END SOLUTION


def _log_sigmoid(x: np.ndarray) -> np.ndarray:
    """log σ(x) = −log(1 + e^{−x}), finite for |x| ~ 1e3."""
    return -np.logaddexp(0.0, -x)


def sgns_loss(W_in: np.ndarray, W_out: np.ndarray, center: int, context: np.ndarray,
              negatives: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Skip-gram with negative sampling: logistic losses of C positive and C·K negative pairs.

    Parameters
    ----------
    W_in : ndarray of shape (M, d), float
        Input embeddings, one row per word.
    W_out : ndarray of shape (M, d), float
        Output embeddings (the u vectors), one row per word.
    center : int
        Index of the centre word, in [0, M).
    context : ndarray of shape (C,), int
        The positive (context) words o_j.
    negatives : ndarray of shape (C, K), int
        Row j holds the K negative words drawn for context word j (repeats allowed).

    Returns
    -------
    loss : float
        −Σ_j [log σ(u_{o_j}ᵀh) + Σ_k log σ(−u_{n_jk}ᵀh)], h = W_in[center].
    dW_in : ndarray of shape (M, d), float64
        Its gradient in W_in: zero except in row ``center``.
    dW_out : ndarray of shape (M, d), float64
        Its gradient in W_out: zero outside the context and negative rows.

    Raises
    ------
    ValueError
        If the shapes disagree or an index is outside [0, M).

    Examples
    --------
    >>> W = np.zeros((4, 2))
    >>> loss, dW_in, dW_out = sgns_loss(W, W, 0, np.array([1]), np.array([[2, 3]]))
    >>> round(loss, 6) == round(3 * float(np.log(2)), 6)   # σ(0) = 1/2, three pairs
    True
    """
    W_in, W_out = _check_embeddings(W_in, W_out)
    M = W_in.shape[0]
    center = check_int(center, name="center", lo=0, hi=M - 1)
    context = _check_indices(context, "context", M, ndim=1)
    negatives = _check_indices(negatives, "negatives", M, ndim=2)
    check_dim(negatives.shape[0], context.size,
              what="negatives.shape[0] == len(context) (K negatives per context word)")
    ### BEGIN SOLUTION
    h = W_in[center]
    positive = W_out[context] @ h                            # (C,)
    negative = W_out[negatives] @ h                          # (C, K)
    loss = -(_log_sigmoid(positive).sum() + _log_sigmoid(-negative).sum())
    # d/ds [−log σ(s)] = σ(s) − 1 = −σ(−s);  d/ds [−log σ(−s)] = σ(s)
    g_positive = -np.exp(_log_sigmoid(-positive))            # (C,)
    g_negative = np.exp(_log_sigmoid(negative))              # (C, K)
    dW_out = np.zeros_like(W_out)
    np.add.at(dW_out, context, np.outer(g_positive, h))
    np.add.at(dW_out, negatives.ravel(), np.outer(g_negative.ravel(), h))
    dW_in = np.zeros_like(W_in)
    dW_in[center] = g_positive @ W_out[context] + g_negative.ravel() @ W_out[negatives.ravel()]
    return float(loss), dW_in, dW_out
    ### END SOLUTION
