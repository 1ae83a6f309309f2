"""Attention that re-weights features (chapter 9): the squeeze-and-excitation block and the graph
attention layer.

**Squeeze and excitation** (eqs 9.38–9.40) is attention over channels. It squeezes each channel
of a feature map to its spatial mean, passes the C means through a small bottleneck MLP with a
ReLU and a sigmoid, and excites: every channel is multiplied by its own weight in (0, 1),

    z = mean_{h,w} X[:, :, h, w],   s = σ(ReLU(z W1) W2),   Y[:, c] = s[:, c] · X[:, c].

**Graph attention** (eqs 9.46–9.47) is attention over the neighbours of each node of a graph,
as in PyG's ``GATConv`` with one head, no bias and no output activation. With h_i = x_i W,

    e_ij = LeakyReLU(aᵀ [h_i ∥ h_j]),   α_ij = softmax_{j ∈ N(i) ∪ {i}} e_ij,   out_i = Σ_j α_ij h_j,

where the first half of a scores the receiving node i and the second half the sender j.

Layout: row convention (node i is row i of X, shape (n, f)); row i of the boolean adjacency A
names the nodes node i *receives* from (A[i, j] = True for an edge j → i), as in chapter 8.
Feature maps are (B, C, H, W). torch tensors in and out, with the dtype of the inputs.
"""
from __future__ import annotations

import torch

from geodl_ref._validation import check_dim, check_scalar, check_tensor

__all__ = ["gat_layer", "se_block"]


def se_block(X: torch.Tensor, W1: torch.Tensor, W2: torch.Tensor) -> torch.Tensor:
    """The squeeze-and-excitation block (eqs 9.38–9.40), without biases.

    Squeeze: z = the spatial mean of each channel, (B, C). Excite:
    s = sigmoid(ReLU(z W1) W2), (B, C), weights in (0, 1). Scale: Y[b, c] = s[b, c] · X[b, c]
    at every pixel. The weights act on the right of the row vector z (row convention).

    Parameters
    ----------
    X : torch.Tensor of shape (B, C, H, W), floating point
        A batch of feature maps.
    W1 : torch.Tensor of shape (C, C // r)
        The squeeze (bottleneck) weights, r the reduction ratio.
    W2 : torch.Tensor of shape (C // r, C)
        The excitation weights.

    Returns
    -------
    torch.Tensor of shape (B, C, H, W), the dtype of X

    Examples
    --------
    >>> X = torch.ones(1, 2, 3, 3, dtype=torch.float64)
    >>> W1 = torch.zeros(2, 1, dtype=torch.float64)
    >>> W2 = torch.zeros(1, 2, dtype=torch.float64)
    >>> se_block(X, W1, W2)[0, :, 0, 0].tolist()     # sigmoid(0) = 1/2 for every channel
    [0.5, 0.5]
    """
    X = check_tensor(X, name="X", ndim=4, layout="(B, C, H, W)")
    W1 = check_tensor(W1, name="W1", ndim=2, layout="(C, C // r)")
    W2 = check_tensor(W2, name="W2", ndim=2, layout="(C // r, C)")
    check_dim(W1.shape[0], X.shape[1], what="W1.shape[0] == X.shape[1] (C)")
    check_dim(W2.shape[0], W1.shape[1], what="W2.shape[0] == W1.shape[1] (C // r)")
    check_dim(W2.shape[1], X.shape[1], what="W2.shape[1] == X.shape[1] (C)")
    ### BEGIN SOLUTION
    z = X.mean(dim=(2, 3))                                         # (B, C)   squeeze: global average pool (9.38)
    s = torch.sigmoid(torch.relu(z @ W1) @ W2)                     # (B, C)   excitation (9.39)
    return X * s[:, :, None, None]                                 # (B, C, H, W) channel-wise scaling (9.40)
    ### END SOLUTION


def gat_layer(A: torch.Tensor, X: torch.Tensor, W: torch.Tensor, a: torch.Tensor, negative_slope: float = 0.2,
              self_loops: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """One graph attention layer (eqs 9.46–9.47): PyG's ``GATConv``, one head, no bias.

    With H = X W (row h_i for node i), e_ij = LeakyReLU(a[:f′]·h_i + a[f′:]·h_j) (slope
    ``negative_slope`` for negative arguments), α_ij = exp(e_ij) / Σ_k exp(e_ik) over the
    neighbourhood of i, and out_i = Σ_j α_ij h_j. The neighbourhood of i is {j : A[i, j]} together
    with i itself when ``self_loops`` (counted once, as PyG adds self-loops after removing any).
    α_ij = 0 exactly outside it; a node with an empty neighbourhood (possible only without
    self-loops) gets α_i = 0 and out_i = 0, as PyG does.

    Parameters
    ----------
    A : torch.Tensor of shape (n, n), bool
        A[i, j] = True when node i receives from node j (an edge j → i). Need not be symmetric.
    X : torch.Tensor of shape (n, f), floating point
        Node features, one row per node.
    W : torch.Tensor of shape (f, f′)
        The shared linear map, on the right of a row (h_i = x_i W).
    a : torch.Tensor of shape (2·f′,)
        The attention vector; a[:f′] weighs the receiver h_i, a[f′:] the sender h_j.
    negative_slope : float, default 0.2
        The LeakyReLU slope for negative scores, >= 0.
    self_loops : bool, default True
        Whether every node also attends to itself.

    Returns
    -------
    out : torch.Tensor of shape (n, f′), the dtype of X
        The new node features, row i = Σ_j α_ij h_j.
    alpha : torch.Tensor of shape (n, n), the dtype of X
        The attention weights; each non-empty row sums to 1.

    Examples
    --------
    >>> A = torch.tensor([[False, True], [False, False]])     # node 0 receives from node 1
    >>> X = torch.tensor([[1.0], [3.0]], dtype=torch.float64)
    >>> W, a = torch.ones(1, 1, dtype=torch.float64), torch.zeros(2, dtype=torch.float64)
    >>> out, alpha = gat_layer(A, X, W, a)                    # a = 0: the mean over N(i) ∪ {i}
    >>> out.flatten().tolist(), alpha.tolist()
    ([2.0, 3.0], [[0.5, 0.5], [0.0, 1.0]])
    """
    A = check_tensor(A, name="A", ndim=2, layout="(n, n)", floating=False)
    if A.dtype != torch.bool:
        raise TypeError(f"A should be a boolean tensor; got dtype {A.dtype}")
    X = check_tensor(X, name="X", ndim=2, layout="(n, f)")
    W = check_tensor(W, name="W", ndim=2, layout="(f, f')")
    a = check_tensor(a, name="a", ndim=1, layout="(2 f',)")
    check_dim(A.shape[1], A.shape[0], what="A.shape[0] == A.shape[1] (a square adjacency)")
    check_dim(X.shape[0], A.shape[0], what="X.shape[0] == A.shape[0] (one feature row per node)")
    check_dim(W.shape[0], X.shape[1], what="W.shape[0] == X.shape[1] (f)")
    check_dim(a.shape[0], 2 * W.shape[1], what="a.shape[0] == 2 * W.shape[1] (2 f')")
    negative_slope = check_scalar(negative_slope, name="negative_slope", lo=0)
    if not isinstance(self_loops, bool):
        raise TypeError(f"self_loops should be True or False; got self_loops={self_loops!r}")
    ### BEGIN SOLUTION
    n, f_out = A.shape[0], W.shape[1]
    H = X @ W                                                      # (n, f')  h_i = x_i W
    receiver, sender = H @ a[:f_out], H @ a[f_out:]                # (n,), (n,)  a = [a_i ∥ a_j]
    e = receiver[:, None] + sender[None, :]                        # (n, n)   aᵀ[h_i ∥ h_j]
    e = torch.where(e > 0, e, negative_slope * e)                  # (n, n)   LeakyReLU (9.46)
    mask = A | torch.eye(n, dtype=torch.bool, device=A.device) if self_loops else A   # (n, n)  N(i) ∪ {i}
    e = e.masked_fill(~mask, float("-inf"))                        # (n, n)   off-graph: weight exactly 0
    top = e.max(dim=1, keepdim=True).values                        # (n, 1)   for a stable softmax
    top = torch.where(torch.isfinite(top), top, torch.zeros_like(top))   # empty rows
    weights = torch.exp(e - top)                                   # (n, n)   exp(−inf) = 0
    total = weights.sum(dim=1, keepdim=True)                       # (n, 1)
    alpha = weights / torch.where(total > 0, total, torch.ones_like(total))   # (n, n) softmax over N(i) (9.47)
    return alpha @ H, alpha                                        # (n, f'), (n, n)
    ### END SOLUTION
