"""geodl_ref.ch07.conv against independent oracles: torch.nn.functional.conv2d and autograd in
float64 for the layer, scipy.signal.convolve2d for the true convolution; plus the adjoint
identity, the 1×1 layer as a channel matmul (eq 7.4), and the input validation the stub keeps."""
from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

from geodl_ref.ch07 import arch, conv, losses, pool

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


# ----------------------------------------------------------------------------- ch07.pool_unpool
#: (k, s) pairs: non-overlapping, overlapping (k = 3, s = 2), stride 1, k = 1, and a stride remainder.
POOLS = [(2, 2), (3, 2), (2, 1), (1, 1), (3, 3)]


def _tied_batch(seed: int, H: int = 7, W: int = 6) -> np.ndarray:
    """Integers in {0, 1, 2} (as float64): most windows hold a tied maximum."""
    return np.random.default_rng(seed).integers(0, 3, size=(2, 3, H, W)).astype(float)


@pytest.mark.parametrize(("k", "s"), POOLS)
def test_maxpool_and_unpool_match_torch_exactly_with_ties(k, s):
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    x = _tied_batch(10 * k + s)
    y, idx = pool.maxpool2d(x, k, s)
    ty, tidx = F.max_pool2d(torch.from_numpy(x), k, s, return_indices=True)
    np.testing.assert_array_equal(y, ty.numpy())
    np.testing.assert_array_equal(idx, tidx.numpy())
    assert idx.dtype == np.int64
    unpooled = pool.maxunpool2d(y, idx, x.shape[2:])
    np.testing.assert_array_equal(unpooled, F.max_unpool2d(ty, tidx, k, s, output_size=x.shape[2:]).numpy())


def test_first_maximum_wins_and_indices_are_flat():
    x = np.ones((1, 1, 4, 5))
    _, idx = pool.maxpool2d(x, 2, 2)
    np.testing.assert_array_equal(idx[0, 0], [[0, 2], [10, 12]])   # top-left of each window, row · W + col


@pytest.mark.parametrize(("k", "s"), POOLS)
def test_avgpool_matches_torch_and_its_adjoint_is_autograd(k, s):
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    g = np.random.default_rng(k + 7 * s)
    x = g.normal(size=(2, 3, 7, 6))
    tx = torch.tensor(x, requires_grad=True)
    ty = F.avg_pool2d(tx, k, s)
    y = pool.avgpool2d(x, k, s)
    np.testing.assert_allclose(y, ty.detach().numpy(), rtol=1e-12, atol=1e-14)
    v = g.normal(size=y.shape)
    ty.backward(torch.from_numpy(v))
    adj = pool.avgpool2d_adjoint(v, k, s, x.shape[2:])
    np.testing.assert_allclose(adj, tx.grad.numpy(), rtol=1e-12, atol=1e-14)
    assert np.sum(y * v) == pytest.approx(np.sum(x * adj), rel=1e-12)


@pytest.mark.parametrize(("k", "s"), POOLS)
def test_pool_unpool_pool_is_pool(k, s):
    x = np.random.default_rng(k * s).uniform(0.1, 1.0, size=(2, 3, 7, 6)).round(1)   # positive, with ties
    y, idx = pool.maxpool2d(x, k, s)
    y2, idx2 = pool.maxpool2d(pool.maxunpool2d(y, idx, x.shape[2:]), k, s)
    np.testing.assert_array_equal(y2, y)
    np.testing.assert_array_equal(idx2, idx)


def test_pooling_leaves_its_inputs_alone():
    x = _tied_batch(3)
    x0 = x.copy()
    y, idx = pool.maxpool2d(x, 3, 2)
    y0, idx0 = y.copy(), idx.copy()
    pool.maxunpool2d(y, idx, x.shape[2:])
    pool.avgpool2d(x, 3, 2)
    pool.avgpool2d_adjoint(y, 3, 2, x.shape[2:])
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, y0)
    np.testing.assert_array_equal(idx, idx0)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: pool.maxpool2d(np.zeros((2, 3, 4)), 2, 2), "x should be a 4-d array"),
    (lambda: pool.maxpool2d(np.zeros((1, 1, 3, 5)), 4, 1), "window k=4 should fit"),
    (lambda: pool.avgpool2d(np.zeros((1, 1, 3, 3)), 0, 1), "k should be >= 1"),
    (lambda: pool.maxunpool2d(np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 2, 1), int), (4, 4)), "idx should have shape"),
    (lambda: pool.maxunpool2d(np.zeros((1, 1, 1, 1)), np.full((1, 1, 1, 1), 16), (4, 4)), "idx should lie in"),
    (lambda: pool.maxunpool2d(np.zeros((1, 1, 1, 1)), np.zeros((1, 1, 1, 1), int), 4), "out_hw should be a pair"),
    (lambda: pool.avgpool2d_adjoint(np.zeros((1, 1, 2, 2)), 2, 2, (6, 4)), "y.shape[2]"),
])
def test_pool_validation_names_the_input(call, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        call()


def test_pool_sizes_must_be_integers():
    with pytest.raises(TypeError, match="s should be an integer"):
        pool.maxpool2d(np.zeros((1, 1, 4, 4)), 2, 1.5)


# ----------------------------------------------------------------------------- ch07.arch_arithmetic
def _torch_net(layers):
    """The architecture as torch modules (float64; pooling as average pooling)."""
    torch = pytest.importorskip("torch")
    modules = []
    for layer in layers:
        if layer["type"] == "conv":
            modules.append(torch.nn.Conv2d(layer["in"], layer["out"], layer["k"], stride=layer.get("s", 1),
                                           padding=layer.get("p", 0), dilation=layer.get("d", 1)))
        elif layer["type"] == "pool":
            modules.append(torch.nn.AvgPool2d(layer["k"], stride=layer.get("s", layer["k"])))
        else:
            modules += [torch.nn.Flatten(), torch.nn.Linear(layer["in"], layer["out"])]
    return torch.nn.Sequential(*modules).double()


def _random_arch(seed: int, linear: bool):
    g = np.random.default_rng(seed)
    layers, C = [], 3
    for _ in range(int(g.integers(2, 5))):
        if g.random() < 0.3:
            layers.append({"type": "pool", "k": int(g.integers(2, 4)), "s": int(g.integers(1, 3))})
        else:
            out = int(g.integers(1, 5))
            layers.append({"type": "conv", "in": C, "out": out, "k": int(g.integers(1, 4)), "s": int(g.integers(1, 3)),
                           "p": int(g.integers(0, 2)), "d": int(g.integers(1, 3))})
            C = out
    if linear:
        C, H, W = arch.out_shapes(layers, (3, 40, 37))[-1]
        layers.append({"type": "linear", "in": C * H * W, "out": 5})
    return layers


@pytest.mark.parametrize("seed", range(6))
def test_out_shapes_and_param_count_match_torch(seed):
    torch = pytest.importorskip("torch")
    layers = _random_arch(seed, linear=True)
    net = _torch_net(layers)
    shapes, h = [], torch.zeros(2, 3, 40, 37, dtype=torch.float64)
    for module in net:
        h = module(h)
        if not isinstance(module, torch.nn.Flatten):
            shapes.append(tuple(h.shape[1:]) if h.ndim == 4 else (h.shape[1], 1, 1))
    assert arch.out_shapes(layers, (3, 40, 37)) == shapes
    assert arch.param_count(layers) == sum(p.numel() for p in net.parameters())


@pytest.mark.parametrize("seed", range(6))
def test_receptive_field_is_the_support_of_a_centre_gradient(seed):
    torch = pytest.importorskip("torch")
    layers = _random_arch(100 + seed, linear=False)
    rf, jump = arch.receptive_field(layers)
    size = 4 * rf + 4 * jump + 8
    net = _torch_net(layers)
    for p in net.parameters():
        torch.nn.init.ones_(p)
    x = torch.ones(1, 3, size, size, dtype=torch.float64, requires_grad=True)
    y = net(x)
    i = y.shape[2] // 2
    rows = []
    for col in (i, i + 1):                       # two neighbouring output pixels: the support and its shift
        (g,) = torch.autograd.grad(y[0, 0, i, col], x, retain_graph=True)
        cols = torch.nonzero(g[0].sum(dim=(0, 1))).flatten()
        rows.append((int(cols.min()), int(cols.max())))
    assert rows[0][1] - rows[0][0] + 1 == rf
    assert rows[1][0] - rows[0][0] == jump


def test_vgg16_book_fixture():
    layers = arch.vgg16_layers()
    convs = [layer for layer in layers if layer["type"] == "conv"]
    assert len(convs) == 13
    assert arch.param_count(convs) == 14_714_688
    assert arch.param_count(layers) == 138_357_544            # book ex 7.1
    shapes = arch.out_shapes(layers, (3, 224, 224))
    assert shapes[17] == (512, 7, 7) and shapes[-1] == (1000, 1, 1)
    assert arch.receptive_field([conv for conv in layers if conv["type"] != "linear"]) == (212, 32)


def test_vgg16_has_torchvisions_parameter_count():
    """138,357,544: the num_params of torchvision's VGG16_Weights.IMAGENET1K_V1 model card (torchvision is
    not a dependency here, so the published count stands for it)."""
    assert arch.param_count(arch.vgg16_layers()) == 138_357_544


def test_three_3x3_convolutions_see_7x7():
    conv3 = {"type": "conv", "in": 2, "out": 2, "k": 3}
    assert arch.receptive_field([conv3] * 3) == (7, 1)
    assert arch.receptive_field([{"type": "conv", "in": 2, "out": 2, "k": 7}]) == (7, 1)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: arch.param_count([{"type": "dense", "in": 2, "out": 3}]), "layers[0] should be a dict with 'type'"),
    (lambda: arch.param_count([{"type": "conv", "in": 2, "k": 3}]), "misses ['out']"),
    (lambda: arch.receptive_field([{"type": "linear", "in": 2, "out": 3}]), "got a linear layer at layers[0]"),
    (lambda: arch.out_shapes([], (3, 4)), "in_chw should be a triple"),
    (lambda: arch.out_shapes([{"type": "pool", "k": 0}], (3, 4, 4)), "layers[0]['k'] should be >= 1"),
])
def test_arch_validation_names_the_input(call, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        call()


def test_arch_leaves_the_layers_alone():
    layers = [{"type": "pool", "k": 2}]
    arch.out_shapes(layers, (1, 4, 4))
    assert layers == [{"type": "pool", "k": 2}]


# ----------------------------------------------------------------------------- ch07.losses_regularizers
def _logits(seed: int, N: int = 5, K: int = 4, scale: float = 3.0):
    g = np.random.default_rng(seed)
    return scale * g.normal(size=(N, K)), g.integers(0, K, size=N), g.dirichlet(np.ones(K), size=N)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("eps", [0.0, 0.1, 0.7])
@pytest.mark.parametrize("soft", [False, True])
def test_cross_entropy_and_grad_match_torch(reduction, eps, soft):
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    z, labels, probs = _logits(int(eps * 10) + 3 * soft)
    target = probs if soft else labels
    tz = torch.tensor(z, requires_grad=True)
    tl = F.cross_entropy(tz, torch.from_numpy(target), reduction=reduction, label_smoothing=eps)
    np.testing.assert_allclose(losses.cross_entropy(z, target, reduction, eps), tl.detach().numpy(), rtol=1e-12)
    if reduction != "none":
        tl.backward()
        np.testing.assert_allclose(losses.cross_entropy_grad(z, target, reduction, eps), tz.grad.numpy(),
                                   rtol=1e-10, atol=1e-14)


def test_log_softmax_matches_torch_and_is_finite_at_1e4():
    torch = pytest.importorskip("torch")
    z = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]])
    for axis in (0, 1, -1):
        want = torch.log_softmax(torch.from_numpy(z), dim=axis).numpy()
        np.testing.assert_allclose(losses.log_softmax(z, axis=axis), want, rtol=1e-12)
    assert np.isfinite(losses.cross_entropy(z, np.array([1, 0])))
    assert np.isfinite(losses.cross_entropy_grad(z, np.array([1, 0]))).all()


def test_dropout_is_inverted_and_unbiased():
    x = np.array([[1.0, -2.0, 0.5]])
    rng, p, n = np.random.default_rng(0), 0.3, 100_000
    ys, masks = zip(*(losses.dropout(x, p, True, rng) for _ in range(2000)))
    y, mask = np.concatenate(ys), np.concatenate(masks)          # 2000 × (1, 3): 6000 entries
    np.testing.assert_array_equal(y, np.concatenate([x] * 2000) * mask)
    assert set(np.unique(mask)) == {0.0, 1 / (1 - p)}
    big, big_mask = losses.dropout(np.ones(n), p, True, np.random.default_rng(1))
    sigma = np.sqrt(p * (1 - p) / n)
    assert abs(np.mean(big_mask == 0) - p) < 5 * sigma
    assert abs(big.mean() - 1.0) < 5 * np.sqrt(p / (1 - p) / n)
    np.testing.assert_array_equal(losses.dropout(x, p, False, rng)[0], x)


def test_dropout_backward_with_its_mask_is_autograd():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(2).normal(size=(3, 4))
    y, mask = losses.dropout(x, 0.4, True, np.random.default_rng(3))
    tx = torch.tensor(x, requires_grad=True)
    (tx * torch.from_numpy(mask)).sum().backward()
    np.testing.assert_array_equal(tx.grad.numpy(), mask)


def test_l2_grad_is_the_weight_decay_of_sgd():
    torch = pytest.importorskip("torch")
    params = [np.random.default_rng(4).normal(size=s) for s in [(3, 2), (2,)]]
    tp = [torch.tensor(p, requires_grad=True) for p in params]
    (0.5 * 0.1 * sum((t**2).sum() for t in tp)).backward()
    for got, t in zip(losses.l2_grad(params, 0.1), tp):
        np.testing.assert_allclose(got, t.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("p", [1, 1.5, 2, 3])
def test_lp_loss_is_the_p_th_power_of_the_norm(p):
    g = np.random.default_rng(5)
    y, yhat = g.normal(size=(4, 3)), g.normal(size=(4, 3))
    assert losses.lp_loss(y, yhat, p) == pytest.approx(np.linalg.norm((y - yhat).ravel(), ord=p) ** p, rel=1e-12)


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: losses.cross_entropy(np.zeros((2, 3)), np.array([0, 3])), ValueError, "0..K−1 = 0..2"),
    (lambda: losses.cross_entropy(np.zeros((2, 3)), np.zeros((2, 2))), ValueError, "target should have shape"),
    (lambda: losses.cross_entropy(np.zeros((2, 3)), np.array([0, 1]), "avg"), ValueError, "reduction should be"),
    (lambda: losses.cross_entropy_grad(np.zeros((2, 3)), np.array([0, 1]), "none"), ValueError, "got 'none'"),
    (lambda: losses.dropout(np.ones(3), 1.0, True, np.random.default_rng(0)), ValueError, "p should be"),
    (lambda: losses.dropout(np.ones(3), 0.5, True, 0), TypeError, "rng should be a numpy.random.Generator"),
    (lambda: losses.lp_loss(np.ones(3), np.ones(2), 2), ValueError, "yhat should have shape"),
])
def test_losses_validation_names_the_input(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


# --------------------------------------------------------------------------- derivations (symbolic)
@pytest.mark.parametrize("H, k, s, p, d", [(224, 3, 1, 1, 1), (33, 3, 2, 1, 1), (29, 3, 2, 2, 2), (65, 5, 4, 2, 1)])
def test_conv_output_size_formula_matches_torch(H, k, s, p, d):
    """Oracle: the height of torch's Conv2d output, where s divides H + 2p − d(k − 1) − 1."""
    import torch

    from geodl_ref.ch07 import derivations as der

    assert (H + 2 * p - d * (k - 1) - 1) % s == 0
    layer = torch.nn.Conv2d(1, 1, k, stride=s, padding=p, dilation=d)
    want = layer(torch.zeros(1, 1, H, H)).shape[-1]
    assert der.conv_output_size().subs({der.H: H, der.k: k, der.s: s, der.p: p, der.d: d}) == want


def test_conv_param_count_formula_matches_torch():
    """Oracle: the number of parameters of torch's Conv2d(C_in, C_out, k)."""
    import torch

    from geodl_ref.ch07 import derivations as der

    layer = torch.nn.Conv2d(7, 5, 3)
    want = sum(t.numel() for t in layer.parameters())
    assert der.conv_param_count().subs({der.C_in: 7, der.C_out: 5, der.k: 3}) == want


@pytest.mark.parametrize("L, k, s", [(1, 3, 2), (3, 3, 2), (4, 5, 3), (2, 7, 4)])
def test_receptive_field_formula_matches_the_recursion(L, k, s):
    """Oracle: arch.receptive_field of L stacked k×k convolutions of stride s."""
    from geodl_ref.ch07 import derivations as der

    layers = [{"type": "conv", "in": 1, "out": 1, "k": k, "s": s}] * L
    rf, _ = arch.receptive_field(layers)
    assert der.receptive_field_stack().subs({der.L: L, der.k: k, der.s: s}) == rf


# --------------------------------------------------------------------------- train (digits CNN)
@pytest.fixture(scope="module")
def digits_split():
    """Oracle data: scikit-learn's digits /16, the grader's permutation (seed 0), 1400 / 397."""
    import torch
    from sklearn.datasets import load_digits

    data = load_digits()
    X = (data.images / 16.0).astype(np.float32)[:, None]
    order = np.random.default_rng(0).permutation(len(X))
    X, y = torch.from_numpy(X[order]), torch.from_numpy(data.target[order].astype(np.int64))
    return X[:1400], y[:1400], X[1400:], y[1400:]


def test_the_cnn_trains_to_95_percent_and_evaluate_agrees_with_its_logits(digits_split):
    """Oracle: the accuracy computed here from the model's eval-mode logits (CURRICULUM: ≥ 0.95)."""
    import torch

    from geodl_ref.ch07 import train as tr

    torch.set_num_threads(1)
    X_train, y_train, X_test, y_test = digits_split
    model = tr.train(tr.build_cnn(), X_train, y_train, epochs=15, device="cpu", seed=0)
    with torch.no_grad():
        accuracy = float((model.eval()(X_test).argmax(1) == y_test).float().mean())
    assert accuracy >= 0.95
    model.train()
    assert tr.evaluate(model, X_test, y_test, "cpu") == pytest.approx(accuracy, abs=1e-12)


def test_the_cnn_has_logits_and_fewer_than_50k_parameters():
    import torch

    from geodl_ref.ch07 import train as tr

    model = tr.build_cnn()
    assert sum(p.numel() for p in model.parameters()) <= 50_000
    assert not any(isinstance(m, (torch.nn.Softmax, torch.nn.LogSoftmax)) for m in model.modules())


def test_training_is_reproducible_and_leaves_the_global_rng_alone(digits_split):
    import torch

    from geodl_ref.ch07 import train as tr

    X_train, y_train, X_test, _ = digits_split
    torch.manual_seed(123)
    state = torch.get_rng_state()
    first = tr.train(tr.build_cnn(), X_train[:300], y_train[:300], epochs=1, seed=7)
    second = tr.train(tr.build_cnn(), X_train[:300], y_train[:300], epochs=1, seed=7)
    with torch.no_grad():
        assert torch.equal(first(X_test), second(X_test))
    torch.set_rng_state(state)
    third = tr.train(tr.build_cnn(), X_train[:300], y_train[:300], epochs=1, seed=7)
    with torch.no_grad():
        assert torch.equal(first(X_test), third(X_test))


@pytest.mark.parametrize("X, y, message", [
    (np.zeros((3, 1, 8, 8)), None, "X should be a tensor of shape"),
    ("tensor8", "labels2", "y should be a tensor of shape"),
])
def test_train_names_the_bad_input(X, y, message):
    import torch

    from geodl_ref.ch07 import train as tr

    if isinstance(X, str):
        X, y = torch.zeros(3, 1, 8, 8), torch.zeros(2, dtype=torch.int64)
    with pytest.raises(ValueError, match=message):
        tr.train(tr.build_cnn(), X, y, epochs=1)
