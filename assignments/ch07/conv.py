# ch07/conv.py: generated from geodl_ref by `geodl build`. Fill in the code marked YOUR CODE HERE.
"""2-D convolution layers (chapter 7): the CNN layer's forward pass, its gradients, and the true convolution.

What deep-learning libraries call a *convolution layer* is a multi-input multi-output
**cross-correlation** (the MIMO form of eq 7.3): the kernel is not flipped,

    y[n, o, i, j] = b[o] + Σ_c Σ_{k, l} w[o, c, k, l] · x̃[n, c, s·i + d·k, s·j + d·l],

where x̃ is x zero-padded by p on *both* sides of each spatial axis, s the stride and d the
dilation. This is PyTorch's ``torch.nn.functional.conv2d``. The output size is

    Ho = ⌊(H + 2p − d·(kh − 1) − 1) / s⌋ + 1    (and Wo likewise with W and kw):

the dilated kernel spans d·(kh − 1) + 1 rows, and the stride drops whatever is left over (floor).
The book's eq 7.2, the *true* convolution of signal processing, flips the kernel; it is
:func:`convolve2d_true` here, in its 'full' form. Indices are 0-based; all arrays are float64.

A 1×1 layer is a matrix product over channels at every pixel (eq 7.4), and the backward pass is
the adjoint of the forward pass: for the linear map x ↦ conv2d(x, w, 0), ⟨conv2d(x), y⟩ equals
⟨x, dx(y)⟩, where dx is the first output of :func:`conv2d_backward` with dout = y.
"""
from __future__ import annotations

import numpy as np

from ch07._validation import check_array, check_dim, check_int

__all__ = ["conv2d", "conv2d_backward", "convolve2d_true"]


def conv2d(x, w, b, stride=1, padding=0, dilation=1):
    """Forward pass of a 2-D convolution layer, PyTorch semantics (cross-correlation, MIMO eq 7.3).

    Parameters
    ----------
    x : ndarray of shape (N, Ci, H, W), float64
        A batch of N images with Ci channels of H×W pixels.
    w : ndarray of shape (Co, Ci, kh, kw), float64
        The kernels: ``w[o, c]`` maps input channel c to output channel o. Not flipped.
    b : ndarray of shape (Co,), float64
        One bias per output channel, added at every pixel.
    stride : int >= 1, default 1
        Step s between two output positions, the same along both spatial axes.
    padding : int >= 0, default 0
        Number p of zero rows (columns) added on *each* side of each spatial axis.
    dilation : int >= 1, default 1
        Spacing d between two kernel taps (d = 1: adjacent taps).

    Returns
    -------
    y : ndarray of shape (N, Co, Ho, Wo), float64
        ``y[n, o, i, j] = b[o] + Σ_{c,k,l} w[o, c, k, l] x̃[n, c, s i + d k, s j + d l]``, with x̃
        the padded input, ``Ho = ⌊(H + 2p − d(kh − 1) − 1)/s⌋ + 1`` and ``Wo`` likewise.

    Raises
    ------
    ValueError
        If the shapes disagree (``x.shape[1] != w.shape[1]`` or ``b.shape != (Co,)``), or the
        dilated kernel does not fit in the padded input.
    TypeError
        If stride, padding or dilation is not an integer.

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> w = np.array([[[[1.0, 0.0], [0.0, -1.0]]]])          # x[i, j] − x[i + 1, j + 1]
    >>> conv2d(x, w, np.array([0.5]))
    array([[[[-4.5, -4.5, -4.5],
             [-4.5, -4.5, -4.5],
             [-4.5, -4.5, -4.5]]]])
    >>> conv2d(x, w, np.zeros(1), stride=2, padding=1).shape  # ⌊(4 + 2 − 1 − 1)/2⌋ + 1 = 3
    (1, 1, 3, 3)
    >>> conv2d(x, w, np.zeros(1), dilation=2)[0, 0]           # x[i, j] − x[i + 2, j + 2]
    array([[-10., -10.],
           [-10., -10.]])
    """
    x, w, b, stride, padding, dilation = _check_layer(x, w, b, stride, padding, dilation)
    # YOUR CODE HERE
    raise NotImplementedError()


def conv2d_backward(dout, x, w, stride=1, padding=0, dilation=1):
    """Gradients of a cost through :func:`conv2d`, given its gradient ``dout`` = ∂c/∂y.

    Denominator layout (book §1.5.2): each gradient has the shape of its variable. The filter and
    bias gradients are summed over the batch and over every output position (the weights are
    shared by all of them); the input gradient is the adjoint of the forward map applied to dout
    (a transposed convolution), with the padding cropped off.

    Parameters
    ----------
    dout : ndarray of shape (N, Co, Ho, Wo), float64
        ∂c/∂y for the output y of ``conv2d(x, w, b, stride, padding, dilation)``.
    x : ndarray of shape (N, Ci, H, W), float64
        The layer's input.
    w : ndarray of shape (Co, Ci, kh, kw), float64
        The layer's kernels.
    stride : int >= 1, default 1
    padding : int >= 0, default 0
    dilation : int >= 1, default 1
        As in :func:`conv2d`.

    Returns
    -------
    dx : ndarray of shape (N, Ci, H, W)
        ∂c/∂x. Pixels that no output position reads (the stride's remainder) get 0.
    dw : ndarray of shape (Co, Ci, kh, kw)
        ∂c/∂w, summed over the batch.
    db : ndarray of shape (Co,)
        ∂c/∂b = Σ_{n,i,j} dout[n, o, i, j].

    Raises
    ------
    ValueError
        If the shapes disagree, or dout's spatial size is not the forward pass's (Ho, Wo).
    TypeError
        If stride, padding or dilation is not an integer.

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> w = np.array([[[[1.0, 0.0], [0.0, -1.0]]]])
    >>> dx, dw, db = conv2d_backward(np.ones((1, 1, 3, 3)), x, w)
    >>> dx[0, 0]
    array([[ 1.,  1.,  1.,  0.],
           [ 1.,  0.,  0., -1.],
           [ 1.,  0.,  0., -1.],
           [ 0., -1., -1., -1.]])
    >>> dw[0, 0], db
    (array([[45., 54.],
           [81., 90.]]), array([9.]))
    """
    x, w, _, stride, padding, dilation = _check_layer(x, w, None, stride, padding, dilation)
    dout = check_array(dout, name="dout", ndim=4, layout="(N, Co, Ho, Wo)")
    check_dim(dout.shape[0], x.shape[0], what="dout.shape[0] == x.shape[0] (N)")
    check_dim(dout.shape[1], w.shape[0], what="dout.shape[1] == w.shape[0] (Co)")
    # YOUR CODE HERE
    raise NotImplementedError()


def convolve2d_true(x2, h2):
    """The 2-D convolution of signal processing (eq 7.2), kernel flipped, 'full' output.

    ``z[i, j] = Σ_{k,l} h2[k, l] · x2[i − k, j − l]`` over every (i, j) where the two overlap,
    as ``scipy.signal.convolve2d(x2, h2, mode='full')``. It is commutative:
    ``convolve2d_true(x2, h2) == convolve2d_true(h2, x2)``. :func:`conv2d` is the unflipped
    cross-correlation instead.

    Parameters
    ----------
    x2 : ndarray of shape (H, W), float64
        The image.
    h2 : ndarray of shape (kh, kw), float64
        The kernel (either operand may be the larger).

    Returns
    -------
    z : ndarray of shape (H + kh − 1, W + kw − 1), float64

    Examples
    --------
    >>> convolve2d_true(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.0, 1.0]]))
    array([[0., 1., 2.],
           [0., 3., 4.]])
    """
    x2 = check_array(x2, name="x2", ndim=2, layout="(H, W)")
    h2 = check_array(h2, name="h2", ndim=2, layout="(kh, kw)")
    # YOUR CODE HERE
    raise NotImplementedError()



def _check_layer(x, w, b, stride, padding, dilation):
    """Validate a layer's input, kernels, optional bias and hyper-parameters; return them converted."""
    x = check_array(x, name="x", ndim=4, layout="(N, Ci, H, W)")
    w = check_array(w, name="w", ndim=4, layout="(Co, Ci, kh, kw)")
    check_dim(x.shape[1], w.shape[1], what="x.shape[1] == w.shape[1] (Ci)")
    if b is not None:
        b = check_array(b, name="b", shape=(w.shape[0],), layout="(Co,)")
    stride = check_int(stride, name="stride", lo=1)
    padding = check_int(padding, name="padding", lo=0)
    dilation = check_int(dilation, name="dilation", lo=1)
    for axis, size, k in (("height", x.shape[2], w.shape[2]), ("width", x.shape[3], w.shape[3])):
        if dilation * (k - 1) + 1 > size + 2 * padding:
            raise ValueError(f"the dilated kernel's {axis} dilation*(k - 1) + 1 = {dilation * (k - 1) + 1} should "
                             f"be <= the padded input's {axis} {size + 2 * padding}; got x.shape={x.shape}, "
                             f"w.shape={w.shape}, padding={padding}, dilation={dilation}")
    return x, w, b, stride, padding, dilation
