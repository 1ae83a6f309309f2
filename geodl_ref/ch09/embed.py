"""Transformer inputs (chapter 9): sinusoidal positional encodings and the ViT patch embedding.

A transformer sees a set of tokens, so the order of a sequence must be written into the tokens
themselves. The sinusoidal encoding of Vaswani et al. (eq 9.49) gives position n the vector

    PE[n, 2i] = sin(n ω_i),   PE[n, 2i + 1] = cos(n ω_i),   ω_i = 1 / 10000^{2i/d},

for i = 0, …, d/2 − 1 and n = 0, 1, … (the book writes the pairs k = 1, …, d/2, which shifts
every frequency by one step; the original indexing from i = 0 is the convention here). Each
(sin, cos) pair is a point on the unit circle, and moving k positions rotates every pair by the
angle k ω_i: PE[n + k] = R_k PE[n] with R_k block-diagonal, so relative offsets are linear maps.

A vision transformer (ViT) cuts an image into non-overlapping P×P patches, flattens each into a
vector of C·P·P numbers, maps it linearly to a D-dimensional token, puts a learned [CLS] token in
front and adds learned position embeddings. The patch order is the row-major order of the patch
grid, and a patch is flattened channel first, as ``torch.nn.functional.unfold(img, P, stride=P)``
does, which makes the linear map the same as a ``Conv2d(C, D, P, stride=P)``.

Layout: images are (B, C, H, W) torch tensors, tokens the rows of a (B, N, ·) tensor (the row
convention of eq 9.1). The functions keep the dtype and device of their inputs; the encodings are
float64.
"""
from __future__ import annotations

import math

import torch

from geodl_ref._validation import check_dim, check_int, check_tensor

__all__ = ["patchify", "sinusoidal_pe", "vit_embed"]


def sinusoidal_pe(n_pos: int, d: int) -> torch.Tensor:
    """The sinusoidal positional encodings of positions 0, …, n_pos − 1 (eq 9.49, Vaswani indexing).

    ``PE[n, 2i] = sin(n / 10000^{2i/d})`` and ``PE[n, 2i + 1] = cos(n / 10000^{2i/d})`` for
    i = 0, …, d/2 − 1: sines in the even columns, cosines in the odd ones, interleaved (not
    all sines then all cosines), and the first pair has frequency 1 (i = 0, not the book's k = 1).

    Parameters
    ----------
    n_pos : int
        The number of positions, n_pos >= 1; row n encodes position n (from 0).
    d : int
        The encoding dimension, even and >= 2.

    Returns
    -------
    torch.Tensor of shape (n_pos, d), float64
        Row n is the encoding of position n.

    Raises
    ------
    ValueError
        If d is odd (the columns come in sin/cos pairs) or a size is out of range.

    Examples
    --------
    >>> pe = sinusoidal_pe(3, 4)
    >>> pe.shape, pe.dtype
    (torch.Size([3, 4]), torch.float64)
    >>> pe[0].tolist()                     # sin 0, cos 0 in every pair
    [0.0, 1.0, 0.0, 1.0]
    >>> round(pe[1, 0].item(), 6), round(pe[1, 2].item(), 6)    # sin(1), sin(1/100)
    (0.841471, 0.01)
    """
    n_pos = check_int(n_pos, name="n_pos", lo=1)
    d = check_int(d, name="d", lo=2)
    if d % 2:
        raise ValueError(f"d should be even (the columns are sin/cos pairs); got d={d}")
    ### BEGIN SOLUTION
    n = torch.arange(n_pos, dtype=torch.float64)[:, None]          # (n_pos, 1)   positions from 0
    i = torch.arange(d // 2, dtype=torch.float64)                  # (d/2,)       pairs from 0 (eq 9.49, pinned)
    angles = n / 10000.0 ** (2 * i / d)                            # (n_pos, d/2) n ω_i
    pe = torch.empty(n_pos, d, dtype=torch.float64)                # (n_pos, d)
    pe[:, 0::2] = torch.sin(angles)                                # even columns: sines
    pe[:, 1::2] = torch.cos(angles)                                # odd columns: cosines
    return pe
    ### END SOLUTION


def patchify(img: torch.Tensor, P: int) -> torch.Tensor:
    """Cut images into non-overlapping P×P patches and flatten each one.

    Patch t = r·(W/P) + s covers rows r·P … r·P + P − 1 and columns s·P … s·P + P − 1 (the patch
    grid in row-major order), and is flattened in the order (C, P, P): channel first, then the
    rows of the patch, then its columns. This is exactly
    ``torch.nn.functional.unfold(img, P, stride=P).transpose(1, 2)``.

    Parameters
    ----------
    img : torch.Tensor of shape (B, C, H, W), floating point
        A batch of B images with C channels; P must divide H and W.
    P : int
        The patch size, P >= 1.

    Returns
    -------
    torch.Tensor of shape (B, N, C·P·P), the dtype and device of img
        N = (H/P)·(W/P) patches per image, one per row.

    Raises
    ------
    ValueError
        If P does not divide H or W.

    Examples
    --------
    >>> img = torch.arange(16.0).reshape(1, 1, 4, 4)
    >>> patchify(img, 2)[0]
    tensor([[ 0.,  1.,  4.,  5.],
            [ 2.,  3.,  6.,  7.],
            [ 8.,  9., 12., 13.],
            [10., 11., 14., 15.]])
    """
    img = check_tensor(img, name="img", ndim=4, layout="(B, C, H, W)")
    P = check_int(P, name="P", lo=1)
    B, C, H, W = img.shape
    if H % P or W % P:
        raise ValueError(f"the patch size P={P} should divide the image size; got H={H}, W={W}")
    ### BEGIN SOLUTION
    h, w = H // P, W // P
    patches = img.reshape(B, C, h, P, w, P)                        # (B, C, h, P, w, P) pixel (r·P + p, s·P + q)
    patches = patches.permute(0, 2, 4, 1, 3, 5)                    # (B, h, w, C, P, P) grid row-major, then (C, P, P)
    return patches.reshape(B, h * w, C * P * P)                    # (B, N, C·P·P)
    ### END SOLUTION


def vit_embed(img: torch.Tensor, W_E: torch.Tensor, cls: torch.Tensor, pos: torch.Tensor) -> torch.Tensor:
    """The ViT input tokens: [CLS] followed by the linearly embedded patches, plus positions.

    ``Z = [cls; patchify(img, P) W_E] + pos`` for every image of the batch: token 0 is
    ``cls + pos[0]`` and token t + 1 is ``patch_t W_E + pos[t + 1]``. The patch size P follows
    from the shapes, ``W_E.shape[0] = C·P·P``. The patch embedding equals a
    ``Conv2d(C, D, P, stride=P, bias=False)`` whose weight is ``W_E.T.reshape(D, C, P, P)``.

    Parameters
    ----------
    img : torch.Tensor of shape (B, C, H, W), floating point
        A batch of images; P must divide H and W.
    W_E : torch.Tensor of shape (C·P·P, D)
        The patch embedding, acting on the right of a flattened patch (row convention).
    cls : torch.Tensor of shape (D,)
        The [CLS] token.
    pos : torch.Tensor of shape (N + 1, D)
        The position embeddings, row 0 for [CLS] and row t + 1 for patch t, N = (H/P)·(W/P).

    Returns
    -------
    torch.Tensor of shape (B, N + 1, D), the dtype and device of the inputs

    Raises
    ------
    ValueError
        If W_E.shape[0] is not C times a square P², P does not divide H and W, or the sizes of
        cls and pos do not match.

    Examples
    --------
    >>> img = torch.ones(2, 1, 4, 6, dtype=torch.float64)
    >>> W_E = torch.ones(4, 3, dtype=torch.float64)          # P = 2, D = 3
    >>> cls, pos = torch.zeros(3, dtype=torch.float64), torch.zeros(7, 3, dtype=torch.float64)
    >>> Z = vit_embed(img, W_E, cls, pos)
    >>> Z.shape, Z[0, 0].tolist(), Z[0, 1].tolist()
    (torch.Size([2, 7, 3]), [0.0, 0.0, 0.0], [4.0, 4.0, 4.0])
    """
    img = check_tensor(img, name="img", ndim=4, layout="(B, C, H, W)")
    W_E = check_tensor(W_E, name="W_E", ndim=2, layout="(C·P·P, D)")
    cls = check_tensor(cls, name="cls", ndim=1, layout="(D,)")
    pos = check_tensor(pos, name="pos", ndim=2, layout="(N + 1, D)")
    B, C, H, W = img.shape
    P = math.isqrt(W_E.shape[0] // C)
    if P < 1 or C * P * P != W_E.shape[0]:
        raise ValueError(f"W_E.shape[0] should be C·P·P for a patch size P (C={C}); got W_E.shape={tuple(W_E.shape)}")
    if H % P or W % P:
        raise ValueError(f"the patch size P={P} (from W_E) should divide the image size; got H={H}, W={W}")
    D, N = W_E.shape[1], (H // P) * (W // P)
    check_dim(cls.shape[0], D, what="cls.shape[0] == W_E.shape[1] (D)")
    check_dim(pos.shape[0], N + 1, what="pos.shape[0] == N + 1 (one row per patch and one for [CLS])")
    check_dim(pos.shape[1], D, what="pos.shape[1] == W_E.shape[1] (D)")
    ### BEGIN SOLUTION
    tokens = patchify(img, P) @ W_E                                # (B, N, D)   linear patch embedding
    cls_tokens = cls.expand(B, 1, D)                               # (B, 1, D)   [CLS] first
    return torch.cat([cls_tokens, tokens], dim=1) + pos            # (B, N + 1, D)
    ### END SOLUTION
