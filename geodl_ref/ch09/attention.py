"""Attention (chapter 9): scaled dot-product attention, self-attention and multi-head attention, in torch.

The book's row convention (eq 9.1): tokens are rows. A query matrix Q (L, d) attends to S keys
K (S, d) that carry values V (S, dv) (eqs 9.31–9.37):

    A = softmax(Q Kᵀ · scale + bias),   out = A V,

with the softmax over each **row** (over the keys, axis −1), so every row of A sums to 1, and
scale = 1/√d unless given. The conventions are those of ``torch.nn.functional.
scaled_dot_product_attention`` (SDPA):

* a boolean ``mask`` is True where a query **may** attend to a key (False entries get logit −∞,
  hence weight exactly 0); a floating-point ``mask`` is an additive bias on the logits;
* ``causal=True`` lets query i see only the keys j <= i (the lower triangle of the L×S
  matrix, aligned at its top-left corner as SDPA aligns it), so out[i] does not depend on the
  later tokens at all.

Self-attention (eq 9.31) takes Q = X W_Q, K = X W_K and V = X W_V from one token matrix X (N, C);
multi-head attention splits the **feature** axis of Q, K and V into h heads of d/h (and dv/h)
columns, attends in each head with scale 1/√(d/h), concatenates the heads' outputs and maps them
with W_O. It equals ``torch.nn.MultiheadAttention(C, h, bias=False)`` whose
``in_proj_weight`` is [W_Qᵀ; W_Kᵀ; W_Vᵀ] and ``out_proj.weight`` is W_Oᵀ (torch multiplies by
the transposes, the book on the right).

Every function keeps the dtype and the device of its inputs. SDPA and ``nn.MultiheadAttention``
(and the functional ``multi_head_attention_forward`` behind it) are forbidden in this exercise.
"""
from __future__ import annotations

import math

import torch

from geodl_ref._validation import check_dim, check_int, check_scalar, check_tensor

__all__ = ["attention", "multi_head", "self_attention"]


def attention(Q: torch.Tensor, K: torch.Tensor, V: torch.Tensor, mask: torch.Tensor | None = None,
              causal: bool = False, scale: float | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Scaled dot-product attention (eqs 9.33–9.34): out = softmax(Q Kᵀ · scale + bias) V.

    Parameters
    ----------
    Q : Tensor of shape (..., L, d), floating point
        The queries, one row per query token; leading (batch, head) axes broadcast.
    K : Tensor of shape (..., S, d)
        The keys, one row per key token; same dtype and device as Q.
    V : Tensor of shape (..., S, dv)
        The values, one row per key token.
    mask : Tensor broadcastable to (..., L, S), bool or floating point, optional
        Boolean: True where query i may attend to key j (SDPA's convention; a False entry gets
        weight exactly 0). Floating point: added to the logits (a bias; −inf forbids). Every
        query should be allowed at least one key.
    causal : bool, default False
        Only the keys j <= i for query i (the lower triangle, top-left aligned when L != S);
        combines with ``mask`` (both must allow).
    scale : float > 0, optional
        The factor of the logits; default 1/√d.

    Returns
    -------
    out : Tensor of shape (..., L, dv)
        A V, in the dtype and on the device of Q.
    A : Tensor of shape (..., L, S)
        The attention weights: each row is non-negative and sums to 1; masked entries are 0.

    Examples
    --------
    >>> Q = torch.tensor([[1.0, 0.0], [0.0, 0.0]], dtype=torch.float64)
    >>> K = torch.tensor([[0.0, 0.0], [2.0, 0.0]], dtype=torch.float64)
    >>> V = torch.tensor([[1.0], [3.0]], dtype=torch.float64)
    >>> out, A = attention(Q, K, V, scale=math.log(3) / 2)   # logits (0, ln 3) and (0, 0)
    >>> A.tolist(), out.flatten().tolist()
    ([[0.25, 0.75], [0.5, 0.5]], [2.5, 2.0])
    >>> out, A = attention(Q, K, V, causal=True)              # query 0 sees key 0 only
    >>> A.tolist()
    [[1.0, 0.0], [0.5, 0.5]]
    >>> attention(Q, K, V, mask=torch.tensor([[False, True], [True, True]]))[1][0].tolist()
    [0.0, 1.0]
    """
    Q = check_tensor(Q, name="Q", min_ndim=2, layout="(..., L, d)")
    K = check_tensor(K, name="K", min_ndim=2, layout="(..., S, d)", like=Q)
    V = check_tensor(V, name="V", min_ndim=2, layout="(..., S, dv)", like=Q)
    check_dim(K.shape[-1], Q.shape[-1], what="K.shape[-1] == Q.shape[-1] (d)")
    check_dim(V.shape[-2], K.shape[-2], what="V.shape[-2] == K.shape[-2] (S)")
    try:
        batch = torch.broadcast_shapes(Q.shape[:-2], K.shape[:-2], V.shape[:-2])
    except RuntimeError:
        raise ValueError(f"the leading axes of Q {tuple(Q.shape)}, K {tuple(K.shape)} and V {tuple(V.shape)} "
                         "should broadcast") from None
    if mask is not None:
        if not isinstance(mask, torch.Tensor) or not (mask.dtype == torch.bool or mask.is_floating_point()):
            raise TypeError(f"mask should be a bool or floating-point tensor; got {type(mask).__name__}"
                            + (f" of dtype {mask.dtype}" if isinstance(mask, torch.Tensor) else ""))
        try:
            torch.broadcast_shapes(mask.shape, (*batch, Q.shape[-2], K.shape[-2]))
        except RuntimeError:
            raise ValueError(f"mask.shape={tuple(mask.shape)} should broadcast to (..., L, S) = "
                             f"{(*batch, Q.shape[-2], K.shape[-2])}") from None
    if not isinstance(causal, bool):
        raise TypeError(f"causal should be True or False; got causal={causal!r}")
    if scale is not None:
        scale = check_scalar(scale, name="scale", lo=0, lo_open=True)
    ### BEGIN SOLUTION
    if scale is None:
        scale = 1.0 / math.sqrt(Q.shape[-1])  # eq 9.33: the logits' variance stays O(1)
    logits = Q @ K.transpose(-2, -1) * scale  # (..., L, S)
    if mask is not None:
        if mask.dtype == torch.bool:
            logits = logits.masked_fill(~mask, -math.inf)  # True = attend (SDPA)
        else:
            logits = logits + mask  # an additive bias
    if causal:
        L, S = logits.shape[-2:]
        allowed = torch.ones(L, S, dtype=torch.bool, device=Q.device).tril()  # key j <= query i
        logits = logits.masked_fill(~allowed, -math.inf)
    A = torch.softmax(logits, dim=-1)  # (..., L, S) over the keys: rows sum to 1 (eq 9.34)
    return A @ V, A  # (..., L, dv), (..., L, S)
    ### END SOLUTION


def self_attention(X: torch.Tensor, W_Q: torch.Tensor, W_K: torch.Tensor,
                   W_V: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Self-attention of one token matrix (eq 9.31): Q = X W_Q, K = X W_K, V = X W_V, then
    :func:`attention` with the default scale 1/√d.

    Relabelling the tokens relabels the output: self_attention(P X) = (P out, P A Pᵀ) for a
    permutation matrix P (no position enters; that is what positional encodings are for).

    Parameters
    ----------
    X : Tensor of shape (N, C), floating point
        N tokens of C features, one per row (the book's row convention).
    W_Q, W_K : Tensor of shape (C, d)
        Query and key projections, acting on the right.
    W_V : Tensor of shape (C, dv)
        Value projection.

    Returns
    -------
    out : Tensor of shape (N, dv)
    A : Tensor of shape (N, N)
        The attention weights, rows summing to 1.

    Examples
    --------
    >>> X = torch.eye(2, dtype=torch.float64)
    >>> out, A = self_attention(X, 2 * X, X, torch.tensor([[1.0], [0.0]], dtype=torch.float64))
    >>> torch.allclose(A.sum(dim=1), torch.ones(2, dtype=torch.float64)), out.shape
    (True, torch.Size([2, 1]))
    """
    X = check_tensor(X, name="X", ndim=2, layout="(N, C)")
    W_Q = check_tensor(W_Q, name="W_Q", ndim=2, layout="(C, d)", like=X)
    W_K = check_tensor(W_K, name="W_K", ndim=2, layout="(C, d)", like=X)
    W_V = check_tensor(W_V, name="W_V", ndim=2, layout="(C, dv)", like=X)
    for name, W in (("W_Q", W_Q), ("W_K", W_K), ("W_V", W_V)):
        check_dim(W.shape[0], X.shape[1], what=f"{name}.shape[0] == X.shape[1] (C)")
    check_dim(W_K.shape[1], W_Q.shape[1], what="W_K.shape[1] == W_Q.shape[1] (d)")
    ### BEGIN SOLUTION
    return attention(X @ W_Q, X @ W_K, X @ W_V)  # eq 9.31: (N, dv), (N, N)
    ### END SOLUTION


def multi_head(X: torch.Tensor, W_Q: torch.Tensor, W_K: torch.Tensor, W_V: torch.Tensor, W_O: torch.Tensor,
               h: int) -> torch.Tensor:
    """Multi-head self-attention (eqs 9.35–9.37): h heads over slices of the feature axis.

    Head k attends with the columns k·d/h .. (k+1)·d/h − 1 of Q = X W_Q and K = X W_K and the
    columns k·dv/h .. (k+1)·dv/h − 1 of V = X W_V, with scale 1/√(d/h); the heads' outputs are
    concatenated in head order into an (N, dv) matrix, which W_O maps to the output.

    Parameters
    ----------
    X : Tensor of shape (N, C), floating point
        N tokens of C features (row convention).
    W_Q, W_K : Tensor of shape (C, d)
        Query and key projections of all heads side by side; h divides d.
    W_V : Tensor of shape (C, dv)
        Value projection; h divides dv.
    W_O : Tensor of shape (dv, C_out)
        The output projection of the concatenated heads.
    h : int >= 1
        The number of heads.

    Returns
    -------
    Tensor of shape (N, C_out)
        With C = d = dv = C_out, ``nn.MultiheadAttention(C, h, bias=False)`` with
        ``in_proj_weight = [W_Qᵀ; W_Kᵀ; W_Vᵀ]`` and ``out_proj.weight = W_Oᵀ``.

    Examples
    --------
    >>> g = torch.Generator().manual_seed(0)
    >>> X, W = torch.randn(5, 4, generator=g, dtype=torch.float64), torch.eye(4, dtype=torch.float64)
    >>> torch.allclose(multi_head(X, W, W, W, W, 1), self_attention(X, W, W, W)[0])  # one head
    True
    >>> multi_head(X, W, W, W, W[:, :3], 2).shape
    torch.Size([5, 3])
    """
    X = check_tensor(X, name="X", ndim=2, layout="(N, C)")
    W_Q = check_tensor(W_Q, name="W_Q", ndim=2, layout="(C, d)", like=X)
    W_K = check_tensor(W_K, name="W_K", ndim=2, layout="(C, d)", like=X)
    W_V = check_tensor(W_V, name="W_V", ndim=2, layout="(C, dv)", like=X)
    W_O = check_tensor(W_O, name="W_O", ndim=2, layout="(dv, C_out)", like=X)
    for name, W in (("W_Q", W_Q), ("W_K", W_K), ("W_V", W_V)):
        check_dim(W.shape[0], X.shape[1], what=f"{name}.shape[0] == X.shape[1] (C)")
    check_dim(W_K.shape[1], W_Q.shape[1], what="W_K.shape[1] == W_Q.shape[1] (d)")
    check_dim(W_O.shape[0], W_V.shape[1], what="W_O.shape[0] == W_V.shape[1] (dv)")
    h = check_int(h, name="h", lo=1)
    if W_Q.shape[1] % h or W_V.shape[1] % h:
        raise ValueError(f"h should divide d={W_Q.shape[1]} and dv={W_V.shape[1]}; got h={h}")
    ### BEGIN SOLUTION
    N, d, dv = X.shape[0], W_Q.shape[1], W_V.shape[1]
    Q = (X @ W_Q).reshape(N, h, d // h).transpose(0, 1)  # (h, N, d/h): head k = columns of slice k
    K = (X @ W_K).reshape(N, h, d // h).transpose(0, 1)  # (h, N, d/h)
    V = (X @ W_V).reshape(N, h, dv // h).transpose(0, 1)  # (h, N, dv/h)
    heads, _ = attention(Q, K, V)  # (h, N, dv/h), scale 1/√(d/h)
    concat = heads.transpose(0, 1).reshape(N, dv)  # (N, dv): heads side by side (eq 9.37)
    return concat @ W_O  # (N, C_out)
    ### END SOLUTION
