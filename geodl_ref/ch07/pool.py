"""Pooling and unpooling (chapter 7, Fig 7.9): max pooling with its switches, and average pooling with its adjoint.

Both poolings slide a k×k window over each channel of each image with stride s and no padding:
window (i, j) covers rows s·i … s·i + k − 1 and columns s·j … s·j + k − 1, and the output is

    Ho = ⌊(H − k) / s⌋ + 1    (and Wo likewise with W).

**Max pooling** keeps each window's largest value and remembers *where* it was (the "switches" of
Fig 7.9a), with PyTorch's convention (``F.max_pool2d(..., return_indices=True)``): the index is
flat into the H·W plane of its channel, ``idx = row · W + col`` (not local to the window), and on
ties the *first* maximum in row-major order wins. **Max unpooling** puts each value back at its
switch, zeros elsewhere (``F.max_unpool2d``).

**Average pooling** replaces each window by its mean, a linear map; its adjoint (Fig 7.9b, the
backward pass of the layer) copies each output value, times 1/k², to every pixel of its window and
sums where windows overlap: ⟨avgpool2d(x), y⟩ = ⟨x, avgpool2d_adjoint(y)⟩. Arrays are float64,
indices int64, all in (N, C, H, W) layout.
"""
from __future__ import annotations

import numpy as np

from geodl_ref._validation import check_array, check_dim, check_int

__all__ = ["maxpool2d", "maxunpool2d", "avgpool2d", "avgpool2d_adjoint"]


def maxpool2d(x, k, s):
    """Max pooling with PyTorch's switches: flat indices into H·W, the first maximum on ties.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W), float64
        A batch of N images with C channels.
    k : int >= 1
        The window's side (k ≤ H and k ≤ W).
    s : int >= 1
        The stride between two windows.

    Returns
    -------
    y : ndarray of shape (N, C, Ho, Wo), float64
        ``y[n, c, i, j] = max`` of ``x[n, c]`` over window (i, j); ``Ho = ⌊(H − k)/s⌋ + 1``.
    idx : ndarray of shape (N, C, Ho, Wo), int64
        Where that maximum is: ``row · W + col`` in the channel's H×W plane, the first one in
        row-major order when several pixels share the maximum.

    Raises
    ------
    ValueError
        If x is not 4-d, or the window is larger than the image.
    TypeError
        If k or s is not an integer.

    Examples
    --------
    >>> x = np.array([[[[1.0, 3.0, 2.0], [3.0, 0.0, 5.0], [4.0, 4.0, 1.0]]]])
    >>> y, idx = maxpool2d(x, 2, 1)
    >>> y[0, 0]
    array([[3., 5.],
           [4., 5.]])
    >>> idx[0, 0]                                   # the 3 at (0, 1) comes before the 3 at (1, 0)
    array([[1, 5],
           [6, 5]])
    """
    x, k, s = _check_pooling(x, k, s)
    ### BEGIN SOLUTION
    N, C, H, W = x.shape
    Ho, Wo = (H - k) // s + 1, (W - k) // s + 1
    y = np.full((N, C, Ho, Wo), -np.inf)
    idx = np.zeros((N, C, Ho, Wo), dtype=np.int64)
    for a in range(k):                                       # taps in row-major order ...
        for b in range(k):
            tap = x[:, :, a:a + s * (Ho - 1) + 1:s, b:b + s * (Wo - 1) + 1:s]   # (N, C, Ho, Wo)
            better = tap > y                                 # ... strictly greater: the first maximum stays
            y = np.where(better, tap, y)
            rows = s * np.arange(Ho)[:, None] + a            # the tap's row and column in the image
            cols = s * np.arange(Wo)[None, :] + b
            idx = np.where(better, rows * W + cols, idx)     # flat into H·W, not local to the window
    return y, idx
    ### END SOLUTION


def maxunpool2d(y, idx, out_hw):
    """Max unpooling: each value back at its switch, zeros elsewhere (``F.max_unpool2d``).

    Parameters
    ----------
    y : ndarray of shape (N, C, Ho, Wo), float64
        Pooled values.
    idx : ndarray of shape (N, C, Ho, Wo), int
        Their flat positions ``row · W + col`` in the H×W plane, as :func:`maxpool2d` returns them.
    out_hw : tuple of two ints (H, W)
        The unpooled image's size (several sizes pool to the same (Ho, Wo), so it must be given).

    Returns
    -------
    x : ndarray of shape (N, C, H, W), float64
        ``x[n, c].flat[idx[n, c, i, j]] = y[n, c, i, j]``, and 0 where no index points.

    Raises
    ------
    ValueError
        If idx's shape differs from y's, out_hw is not two sizes, or an index lies outside H·W.

    Examples
    --------
    >>> y, idx = np.array([[[[3.0, 5.0]]]]), np.array([[[[1, 5]]]])
    >>> maxunpool2d(y, idx, (2, 3))[0, 0]
    array([[0., 3., 0.],
           [0., 0., 5.]])
    """
    y = check_array(y, name="y", ndim=4, layout="(N, C, Ho, Wo)")
    idx = check_array(idx, name="idx", shape=y.shape, layout="(N, C, Ho, Wo), the shape of y", dtype=np.int64)
    H, W = _check_hw(out_hw, name="out_hw")
    if idx.size and (idx.min() < 0 or idx.max() >= H * W):
        raise ValueError(f"idx should lie in [0, H·W) = [0, {H * W}) for out_hw={(H, W)}; "
                         f"got values in [{idx.min()}, {idx.max()}]")
    ### BEGIN SOLUTION
    N, C = y.shape[:2]
    x = np.zeros((N, C, H * W))
    flat = idx.reshape(N, C, -1)                             # (N, C, Ho·Wo)
    np.put_along_axis(x, flat, y.reshape(N, C, -1), axis=2)  # x[n, c, idx] = y[n, c]
    return x.reshape(N, C, H, W)
    ### END SOLUTION


def avgpool2d(x, k, s):
    """Average pooling: the mean of each k×k window (no padding).

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W), float64
    k : int >= 1
        The window's side (k ≤ H and k ≤ W).
    s : int >= 1
        The stride between two windows.

    Returns
    -------
    y : ndarray of shape (N, C, Ho, Wo), float64
        ``y[n, c, i, j] = (1/k²) Σ_{a,b<k} x[n, c, s i + a, s j + b]``, ``Ho = ⌊(H − k)/s⌋ + 1``.

    Raises
    ------
    ValueError
        If x is not 4-d, or the window is larger than the image.
    TypeError
        If k or s is not an integer.

    Examples
    --------
    >>> x = np.arange(12.0).reshape(1, 1, 3, 4)
    >>> avgpool2d(x, 2, 2)[0, 0]
    array([[2.5, 4.5]])
    """
    x, k, s = _check_pooling(x, k, s)
    ### BEGIN SOLUTION
    _, _, H, W = x.shape
    Ho, Wo = (H - k) // s + 1, (W - k) // s + 1
    total = sum(x[:, :, a:a + s * (Ho - 1) + 1:s, b:b + s * (Wo - 1) + 1:s] for a in range(k) for b in range(k))
    return total / k**2
    ### END SOLUTION


def avgpool2d_adjoint(y, k, s, in_hw):
    """The adjoint of :func:`avgpool2d` (its backward pass, Fig 7.9b): copy, scale by 1/k², scatter-add.

    Parameters
    ----------
    y : ndarray of shape (N, C, Ho, Wo), float64
        A value (a gradient) on the pooled grid.
    k, s : int >= 1
        The pooling's window and stride.
    in_hw : tuple of two ints (H, W)
        The pooled image's size, with ``⌊(H − k)/s⌋ + 1 = Ho`` and likewise for W.

    Returns
    -------
    x : ndarray of shape (N, C, H, W), float64
        ``x[n, c, r, q] = (1/k²) Σ y[n, c, i, j]`` over the windows (i, j) that contain pixel
        (r, q); overlapping windows (k > s) add up, pixels no window covers get 0. For every x,
        ``⟨avgpool2d(x, k, s), y⟩ = ⟨x, avgpool2d_adjoint(y, k, s, x.shape[2:])⟩``.

    Raises
    ------
    ValueError
        If y is not 4-d, or in_hw does not pool to y's (Ho, Wo).
    TypeError
        If k or s is not an integer.

    Examples
    --------
    >>> avgpool2d_adjoint(np.array([[[[4.0, 8.0]]]]), 2, 1, (2, 3))[0, 0]
    array([[1., 3., 2.],
           [1., 3., 2.]])
    """
    y = check_array(y, name="y", ndim=4, layout="(N, C, Ho, Wo)")
    k, s = check_int(k, name="k", lo=1), check_int(s, name="s", lo=1)
    H, W = _check_hw(in_hw, name="in_hw")
    check_dim(y.shape[2], (H - k) // s + 1 if H >= k else 0, what=f"y.shape[2] == ⌊(H − k)/s⌋ + 1 for in_hw={in_hw}")
    check_dim(y.shape[3], (W - k) // s + 1 if W >= k else 0, what=f"y.shape[3] == ⌊(W − k)/s⌋ + 1 for in_hw={in_hw}")
    ### BEGIN SOLUTION
    N, C, Ho, Wo = y.shape
    x = np.zeros((N, C, H, W))
    for a in range(k):
        for b in range(k):
            x[:, :, a:a + s * (Ho - 1) + 1:s, b:b + s * (Wo - 1) + 1:s] += y / k**2   # += : windows overlap
    return x
    ### END SOLUTION


def _check_pooling(x, k, s):
    """Validate a pooling's input, window and stride; return them converted."""
    x = check_array(x, name="x", ndim=4, layout="(N, C, H, W)")
    k, s = check_int(k, name="k", lo=1), check_int(s, name="s", lo=1)
    if k > min(x.shape[2:]):
        raise ValueError(f"the window k={k} should fit in the image; got x.shape={x.shape}")
    return x, k, s


def _check_hw(hw, *, name):
    """Validate an (H, W) pair of positive sizes; return it as two ints."""
    if not isinstance(hw, (tuple, list)) or len(hw) != 2:
        raise ValueError(f"{name} should be a pair (H, W); got {name}={hw!r}")
    return check_int(hw[0], name=f"{name}[0]", lo=1), check_int(hw[1], name=f"{name}[1]", lo=1)
