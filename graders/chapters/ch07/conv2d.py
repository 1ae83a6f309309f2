"""ch07.conv2d — the 2-D convolution layer (PyTorch cross-correlation, MIMO eq 7.3), its
gradients, and the book's true convolution (eq 7.2)."""
from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, Tuple, arrays, assert_close, row, seeds
from graders.authoring.checks.strategies import rng
from graders.authoring.oracles import oracle

exercise = Exercise(module="ch07.conv", functions=("conv2d", "conv2d_backward", "convolve2d_true"),
                    forbidden=("torch", "scipy"), title="2-D convolution layers")


# ----------------------------------------------------------------------------- layers
@dataclasses.dataclass(frozen=True)
class Layer:
    """A random convolution layer and its input: sizes, hyper-parameters and a seed."""

    N: int
    Ci: int
    Co: int
    H: int
    W: int
    kh: int
    kw: int
    stride: int = 1
    padding: int = 0
    dilation: int = 1
    seed: int = 0

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """x (N, Ci, H, W), w (Co, Ci, kh, kw) and b (Co,), N(0, 1) from the seed."""
        g = rng(self.seed)
        return (g.normal(size=(self.N, self.Ci, self.H, self.W)), g.normal(size=(self.Co, self.Ci, self.kh, self.kw)),
                g.normal(size=self.Co))

    def hyper(self) -> dict[str, int]:
        return {"stride": self.stride, "padding": self.padding, "dilation": self.dilation}

    def out_hw(self) -> tuple[int, int]:
        """The output's spatial size (to draw an upstream gradient of the right shape)."""
        s, p, d = self.stride, self.padding, self.dilation
        return (self.H + 2 * p - d * (self.kh - 1) - 1) // s + 1, (self.W + 2 * p - d * (self.kw - 1) - 1) // s + 1

    def dout(self) -> np.ndarray:
        """An upstream gradient ∂c/∂y of the output's shape, drawn independently of the layer."""
        return rng(self.seed + 1).normal(size=(self.N, self.Co, *self.out_hw()))

    def __str__(self) -> str:
        return (f"x of shape {(self.N, self.Ci, self.H, self.W)}, w of shape {(self.Co, self.Ci, self.kh, self.kw)}, "
                f"stride={self.stride}, padding={self.padding}, dilation={self.dilation}")


@st.composite
def layers(draw, *, kernels=(2, 3), strides=(1, 2), paddings=(0, 1, 2), dilations=(1, 2), hw=(4, 8)) -> Layer:
    """Layers over CURRICULUM's grid (kh ∈ {2, 3}, s ∈ {1, 2}, p ∈ {0, 1, 2}, d ∈ {1, 2}) with
    H ≠ W, Ci ≠ Co and a batch of 2 or 3, whose dilated kernel fits in the padded input."""
    N = draw(st.integers(2, 3))
    Ci, Co = draw(st.lists(st.integers(1, 4), min_size=2, max_size=2, unique=True))
    H, W = draw(st.lists(st.integers(*hw), min_size=2, max_size=2, unique=True))
    kh, kw = draw(st.sampled_from(kernels)), draw(st.sampled_from(kernels))
    s, p, d = draw(st.sampled_from(strides)), draw(st.sampled_from(paddings)), draw(st.sampled_from(dilations))
    layer = Layer(N, Ci, Co, H, W, kh, kw, s, p, d, draw(seeds()))
    ho, wo = layer.out_hw()
    return layer if min(ho, wo) >= 1 else dataclasses.replace(layer, padding=max(paddings))


# ----------------------------------------------------------------------------- oracles
@oracle
def _torch_conv2d(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int, padding: int,
                  dilation: int) -> np.ndarray:
    """torch.nn.functional.conv2d in float64: (N, Co, Ho, Wo)."""
    import torch
    import torch.nn.functional as F

    y = F.conv2d(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b), stride=stride, padding=padding,
                 dilation=dilation)
    return y.numpy()


@oracle
def _torch_conv2d_grads(dout: np.ndarray, x: np.ndarray, w: np.ndarray, stride: int, padding: int,
                        dilation: int) -> list[np.ndarray]:
    """[dx, dw, db] of c = ⟨conv2d(x, w, b), dout⟩ by torch autograd in float64."""
    import torch
    import torch.nn.functional as F

    tx, tw = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    tb = torch.zeros(w.shape[0], dtype=torch.float64, requires_grad=True)
    F.conv2d(tx, tw, tb, stride=stride, padding=padding, dilation=dilation).backward(torch.from_numpy(dout))
    return [t.grad.numpy() for t in (tx, tw, tb)]  # type: ignore[union-attr]  # backward() set them


@oracle
def _scipy_convolve2d(x2: np.ndarray, h2: np.ndarray) -> np.ndarray:
    """scipy.signal.convolve2d(x2, h2, mode='full')."""
    from scipy.signal import convolve2d

    return convolve2d(x2, h2, mode="full")


# ----------------------------------------------------------------------------- helpers
def _student_conv2d(ctx, layer: Layer, want_shape: tuple[int, ...], x=None, w=None, b=None) -> np.ndarray:
    x0, w0, b0 = layer.arrays()
    x, w, b = (x0 if x is None else x), (w0 if w is None else w), (b0 if b is None else b)
    return ctx.call("conv2d", x, w, b, **layer.hyper(), returns=Array(want_shape, label=f"conv2d with {layer}"))


def _student_backward(ctx, layer: Layer, dout: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, w, _ = layer.arrays()
    return ctx.call("conv2d_backward", dout, x, w, **layer.hyper(),
                    returns=Tuple(Array(x.shape, label="dx"), Array(w.shape, label="dw"),
                                  Array((w.shape[0],), label="db")))


def _compare_grads(got, want, layer: Layer, rtol: float, what: str) -> None:
    for name, g, e in zip(("dx", "dw", "db"), got, want):
        assert_close(g, e, rtol=rtol, atol=1e-12, name=f"{name} of conv2d_backward ({what}) with {layer}")


# ----------------------------------------------------------------------------- forward
@exercise.check(points=3, given={"layer": layers()}, max_examples=20)
def conv2d_matches_torch(ctx, layer):
    """conv2d equals torch.nn.functional.conv2d in float64 (relative 1e-10) over kh, kw ∈ {2, 3},
    stride ∈ {1, 2}, padding ∈ {0, 1, 2}, dilation ∈ {1, 2}, with H ≠ W and Ci ≠ Co."""
    x, w, b = layer.arrays()
    want = _torch_conv2d(x, w, b, layer.stride, layer.padding, layer.dilation)
    assert_close(_student_conv2d(ctx, layer, want.shape), want, rtol=1e-10, name=f"conv2d with {layer}")


@exercise.table(points=1, rows=[
    row("conv2d_does_not_flip_the_kernel",
        "conv2d is a cross-correlation, as in PyTorch: with a 2×3 kernel, stride 1, no padding, the "
        "output equals F.conv2d's (a flipped kernel is the true convolution, convolve2d_true).",
        layer=Layer(N=2, Ci=3, Co=2, H=6, W=5, kh=2, kw=3, seed=70)),
    row("conv2d_output_size_floors",
        "Ho = ⌊(H + 2p − d(kh − 1) − 1)/s⌋ + 1: H = 8, kh = 3, stride 2 gives Ho = 3 (floor, not ceil, "
        "and the + 1), and the values equal F.conv2d's.",
        layer=Layer(N=2, Ci=1, Co=3, H=8, W=7, kh=3, kw=3, stride=2, seed=71)),
    row("conv2d_pads_both_sides",
        "padding = 2 adds two zero rows and columns on each side (top and bottom, left and right): "
        "the output equals F.conv2d's.",
        layer=Layer(N=2, Ci=2, Co=3, H=5, W=4, kh=3, kw=2, padding=2, seed=72)),
    row("conv2d_dilates_the_kernel",
        "dilation = 2 spaces the kernel taps two pixels apart (a 3×3 kernel spans 5×5): the output "
        "equals F.conv2d's.",
        layer=Layer(N=2, Ci=2, Co=1, H=7, W=8, kh=3, kw=3, padding=1, dilation=2, seed=73)),
])
def conv2d_fixed_case(ctx, layer):
    x, w, b = layer.arrays()
    want = _torch_conv2d(x, w, b, layer.stride, layer.padding, layer.dilation)
    assert_close(_student_conv2d(ctx, layer, want.shape), want, rtol=1e-10, name=f"conv2d with {layer}")


@exercise.check(points=1, given={"case": arrays(x=("N", "Ci", "H", "W"), w=("Co", "Ci"), b="Co", dims=(1, 6))},
                max_examples=10)
def one_by_one_conv_is_channel_matmul(ctx, case):
    """A 1×1 conv2d mixes channels at each pixel independently (eq 7.4):
    y[n, :, i, j] = w[:, :, 0, 0] x[n, :, i, j] + b (relative 1e-10)."""
    w = case.w[:, :, None, None]                                                      # (Co, Ci, 1, 1)
    got = ctx.call("conv2d", case.x, w, case.b, returns=Array((case.N, case.Co, case.H, case.W)))
    want = np.einsum("oc,nchw->nohw", case.w, case.x) + case.b[None, :, None, None]  # the matmul of eq 7.4
    assert_close(got, want, rtol=1e-10, name="conv2d with a 1×1 kernel vs the channel matmul")


# ----------------------------------------------------------------------------- backward
@exercise.check(points=3, given={"layer": layers()}, max_examples=20)
def backward_matches_autograd(ctx, layer):
    """conv2d_backward's dx, dw and db equal torch autograd through F.conv2d in float64 (relative
    1e-10): dw and db summed over the batch and every output pixel, dx with the padding cropped."""
    x, w, _ = layer.arrays()
    dout = layer.dout()
    want = _torch_conv2d_grads(dout, x, w, layer.stride, layer.padding, layer.dilation)
    _compare_grads(_student_backward(ctx, layer, dout), want, layer, 1e-10, "vs torch autograd")


@exercise.check(points=2, given={"layer": layers()}, max_examples=10, depends_on="backward_matches_autograd")
def backward_is_the_adjoint(ctx, layer):
    """The backward pass is the adjoint of the forward one: with b = 0 and any v of the output's
    shape, ⟨conv2d(x, w), v⟩ = ⟨x, dx(v)⟩ = ⟨w, dw(v)⟩ (relative 1e-10 of ‖conv2d(x, w)‖‖v‖);
    counts once backward_matches_autograd passes (zeros everywhere satisfy it alone)."""
    x, w, _ = layer.arrays()
    v = layer.dout()
    y = _student_conv2d(ctx, layer, v.shape, b=np.zeros(layer.Co))
    dx, dw, _ = _student_backward(ctx, layer, v)
    scale = float(np.linalg.norm(y) * np.linalg.norm(v))
    lhs = float(np.sum(y * v))
    assert_close(float(np.sum(x * dx)), lhs, rtol=0, atol=1e-10 * scale,
                 name=f"⟨x, dx(v)⟩ vs ⟨conv2d(x, w, 0), v⟩ with {layer}")
    assert_close(float(np.sum(w * dw)), lhs, rtol=0, atol=1e-10 * scale,
                 name=f"⟨w, dw(v)⟩ vs ⟨conv2d(x, w, 0), v⟩ with {layer}")


# ----------------------------------------------------------------------------- true convolution
_images = arrays(x2=("H", "W"), h2=("kh", "kw"), dims=(1, 7))


@exercise.check(points=2, given={"case": _images}, max_examples=20)
def convolve2d_true_matches_scipy(ctx, case):
    """convolve2d_true(x2, h2) equals scipy.signal.convolve2d(x2, h2, mode='full') (relative
    1e-10): the kernel flipped, output (H + kh − 1, W + kw − 1), either operand the larger."""
    want = _scipy_convolve2d(case.x2, case.h2)
    got = ctx.call("convolve2d_true", case.x2, case.h2, returns=Array(want.shape))
    assert_close(got, want, rtol=1e-10, atol=1e-12, name=f"convolve2d_true of {case.x2.shape} and {case.h2.shape}")


@exercise.check(points=1, given={"case": _images}, max_examples=10, depends_on="convolve2d_true_matches_scipy")
def convolve2d_true_commutes(ctx, case):
    """convolve2d_true(x2, h2) = convolve2d_true(h2, x2) (relative 1e-10); counts once
    convolve2d_true_matches_scipy passes (zeros commute too)."""
    shape = (case.H + case.kh - 1, case.W + case.kw - 1)
    xh, hx = ctx.map("convolve2d_true", [(case.x2, case.h2), (case.h2, case.x2)], returns=Array(shape))
    assert_close(hx, xh, rtol=1e-10, atol=1e-12, name="convolve2d_true(h2, x2) vs convolve2d_true(x2, h2)")


# ----------------------------------------------------------------------------- hidden
_wide = layers(kernels=(1, 2, 3, 4), strides=(1, 2, 3), paddings=(0, 1, 3), dilations=(1, 2, 3), hw=(5, 10))


@exercise.check(points=2, visibility="hidden", given={"layer": _wide}, max_examples=15)
def wider_hyper_parameters_match_torch(ctx, layer):
    """conv2d and conv2d_backward equal torch (relative 1e-10) for kernels 1 to 4 on each axis,
    stride up to 3, padding 3 and dilation 3."""
    x, w, b = layer.arrays()
    want = _torch_conv2d(x, w, b, layer.stride, layer.padding, layer.dilation)
    assert_close(_student_conv2d(ctx, layer, want.shape), want, rtol=1e-10, name=f"conv2d with {layer}")
    dout = layer.dout()
    grads = _torch_conv2d_grads(dout, x, w, layer.stride, layer.padding, layer.dilation)
    _compare_grads(_student_backward(ctx, layer, dout), grads, layer, 1e-10, "vs torch autograd")


@exercise.check(points=1, visibility="hidden")
def single_sample_single_channel(ctx):
    """N = Ci = Co = 1, kernel as large as the padded input (a 1×1 output), stride 3: conv2d and
    conv2d_backward equal torch (relative 1e-10)."""
    layer = Layer(N=1, Ci=1, Co=1, H=4, W=3, kh=4, kw=5, stride=3, padding=1, seed=90)
    x, w, b = layer.arrays()
    want = _torch_conv2d(x, w, b, layer.stride, layer.padding, layer.dilation)
    assert_close(_student_conv2d(ctx, layer, want.shape), want, rtol=1e-10, name=f"conv2d with {layer}")
    dout = layer.dout()
    grads = _torch_conv2d_grads(dout, x, w, layer.stride, layer.padding, layer.dilation)
    _compare_grads(_student_backward(ctx, layer, dout), grads, layer, 1e-10, "vs torch autograd")
