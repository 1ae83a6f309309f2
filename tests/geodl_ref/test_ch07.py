"""geodl_ref.ch07.conv against independent oracles: torch.nn.functional.conv2d and autograd in
float64 for the layer, scipy.signal.convolve2d for the true convolution; plus the adjoint
identity, the 1×1 layer as a channel matmul (eq 7.4), and the input validation the stub keeps."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from geodl_ref.ch07 import conv

#: Every hyper-parameter combination CURRICULUM.md names: kh ∈ {2, 3}, s ∈ {1, 2}, p ∈ {0, 1, 2}, d ∈ {1, 2}.
GRID = list(itertools.product((2, 3), (1, 2), (0, 1, 2), (1, 2)))


def _layer(seed: int, kh: int, kw: int, N: int = 2, Ci: int = 3, Co: int = 4, H: int = 7, W: int = 6):
    """A random layer with H ≠ W and Ci ≠ Co (so transposes cannot pass)."""
    g = np.random.default_rng(seed)
    return g.normal(size=(N, Ci, H, W)), g.normal(size=(Co, Ci, kh, kw)), g.normal(size=Co)


@pytest.mark.parametrize(("kh", "s", "p", "d"), GRID)
def test_conv2d_and_backward_match_torch(kh, s, p, d):
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    x, w, b = _layer(kh * 1000 + s * 100 + p * 10 + d, kh, kw=5 - kh)
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    ty = F.conv2d(tx, tw, tb, stride=s, padding=p, dilation=d)
    y = conv.conv2d(x, w, b, stride=s, padding=p, dilation=d)
    assert y.shape == tuple(ty.shape)
    np.testing.assert_allclose(y, ty.detach().numpy(), rtol=1e-10, atol=1e-12)

    dout = np.random.default_rng(7).normal(size=y.shape)
    ty.backward(torch.from_numpy(dout))
    dx, dw, db = conv.conv2d_backward(dout, x, w, stride=s, padding=p, dilation=d)
    for got, want in ((dx, tx.grad), (dw, tw.grad), (db, tb.grad)):
        assert got.shape == tuple(want.shape)
        np.testing.assert_allclose(got, want.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(("H", "kh", "s", "p", "d", "Ho"), [
    (7, 3, 2, 0, 1, 3),   # (7 − 3)/2 + 1 = 3 exactly
    (8, 3, 2, 0, 1, 3),   # ⌊5/2⌋ + 1 = 3: floor, not ceil (4)
    (6, 2, 1, 1, 2, 6),   # a dilated 2-tap kernel spans 3 rows: 6 + 2 − 3 + 1 = 6
    (5, 3, 3, 2, 1, 3),   # ⌊6/3⌋ + 1 = 3
])
def test_output_size_is_floor_plus_one(H, kh, s, p, d, Ho):
    want = (H + 2 * p - d * (kh - 1) - 1) // s + 1
    assert want == Ho
    x, w, b = _layer(0, kh, kh, H=H, W=H + 1)
    y = conv.conv2d(x, w, b, stride=s, padding=p, dilation=d)
    assert y.shape == (2, 4, Ho, (H + 1 + 2 * p - d * (kh - 1) - 1) // s + 1)


def test_adjoint_identity():
    g = np.random.default_rng(3)
    for kh, s, p, d in GRID:
        x, w, _ = _layer(kh + s + p + d, kh, kw=2)
        y = conv.conv2d(x, w, np.zeros(w.shape[0]), stride=s, padding=p, dilation=d)
        v = g.normal(size=y.shape)
        dx, dw, db = conv.conv2d_backward(v, x, w, stride=s, padding=p, dilation=d)
        lhs = float(np.sum(y * v))
        assert np.sum(x * dx) == pytest.approx(lhs, rel=1e-12)    # adjoint in x
        assert np.sum(w * dw) == pytest.approx(lhs, rel=1e-12)    # and in w (y is linear in w too)
        assert np.allclose(db, v.sum(axis=(0, 2, 3)), rtol=1e-13)


def test_one_by_one_layer_is_a_channel_matmul():
    x, w, b = _layer(5, 1, 1)
    want = np.einsum("oc,nchw->nohw", w[:, :, 0, 0], x) + b[None, :, None, None]   # eq 7.4
    np.testing.assert_allclose(conv.conv2d(x, w, b), want, rtol=1e-13)


def test_conv2d_is_the_unflipped_correlation_not_convolve2d_true():
    g = np.random.default_rng(11)
    x2, h2 = g.normal(size=(6, 5)), g.normal(size=(3, 2))
    y = conv.conv2d(x2[None, None], h2[None, None], np.zeros(1))[0, 0]
    from scipy.signal import correlate2d

    np.testing.assert_allclose(y, correlate2d(x2, h2, mode="valid"), rtol=1e-12)
    full = conv.convolve2d_true(x2, h2)
    np.testing.assert_allclose(full[2:6, 1:5], conv.conv2d(x2[None, None], h2[None, None, ::-1, ::-1],
                                                          np.zeros(1))[0, 0], rtol=1e-12)


@pytest.mark.parametrize(("xs", "hs"), [((6, 5), (3, 2)), ((4, 7), (2, 3)), ((2, 3), (5, 4)), ((1, 1), (3, 2))])
def test_convolve2d_true_matches_scipy_and_commutes(xs, hs):
    from scipy.signal import convolve2d

    g = np.random.default_rng(sum(xs) + 10 * sum(hs))
    x2, h2 = g.normal(size=xs), g.normal(size=hs)
    z = conv.convolve2d_true(x2, h2)
    np.testing.assert_allclose(z, convolve2d(x2, h2, mode="full"), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(z, conv.convolve2d_true(h2, x2), rtol=1e-12, atol=1e-14)


def test_stride_remainder_gets_zero_input_gradient():
    x, w, b = _layer(2, 3, 3, H=8, W=10)
    y = conv.conv2d(x, w, b, stride=2)                       # rows 0..6 and columns 0..8 are read
    dx, _, _ = conv.conv2d_backward(np.ones_like(y), x, w, stride=2)
    assert np.all(dx[:, :, 7, :] == 0) and np.all(dx[:, :, :, 9] == 0)
    assert np.all(dx[:, :, :7, :9] != 0)


def test_inputs_are_not_modified():
    x, w, b = _layer(4, 2, 3)
    copies = [a.copy() for a in (x, w, b)]
    y = conv.conv2d(x, w, b, stride=2, padding=1, dilation=2)
    dout = np.ones_like(y)
    conv.conv2d_backward(dout, x, w, stride=2, padding=1, dilation=2)
    for a, c in zip((x, w, b), copies):
        np.testing.assert_array_equal(a, c)
    np.testing.assert_array_equal(dout, np.ones_like(y))


@pytest.mark.parametrize(("call", "message"), [
    (lambda x, w, b: conv.conv2d(x[0], w, b), "x should be a 4-d array"),
    (lambda x, w, b: conv.conv2d(x, w[:, :2], b), "x.shape[1] == w.shape[1]"),
    (lambda x, w, b: conv.conv2d(x, w, b[:2]), "b should have shape (Co,)"),
    (lambda x, w, b: conv.conv2d(x, w, b, stride=0), "stride should be >= 1"),
    (lambda x, w, b: conv.conv2d(x, w, b, padding=-1), "padding should be >= 0"),
    (lambda x, w, b: conv.conv2d(x, w, b, dilation=9), "dilated kernel's height"),
    (lambda x, w, b: conv.conv2d_backward(np.ones((2, 4, 5, 5)), x, w), "dout.shape[2] == Ho"),
    (lambda x, w, b: conv.conv2d_backward(np.ones((2, 3, 6, 5)), x, w), "dout.shape[1] == w.shape[0]"),
    (lambda x, w, b: conv.convolve2d_true(x[0, 0], w[0]), "h2 should be a 2-d array"),
])
def test_validation_names_the_input(call, message):
    x, w, b = _layer(1, 2, 2)
    with pytest.raises(ValueError, match=None) as info:
        call(x, w, b)
    assert message in str(info.value)


def test_hyper_parameters_must_be_integers():
    x, w, b = _layer(1, 2, 2)
    with pytest.raises(TypeError, match="stride should be an integer"):
        conv.conv2d(x, w, b, stride=1.5)
