"""ch07.pool_unpool — max pooling with PyTorch's switches and its unpooling, average pooling and its
adjoint (Fig 7.9)."""
from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, Tuple, assert_close, row, seeds
from graders.authoring.checks.strategies import rng
from graders.authoring.oracles import oracle

exercise = Exercise(module="ch07.pool", functions=("maxpool2d", "maxunpool2d", "avgpool2d", "avgpool2d_adjoint"),
                    forbidden=("torch", "scipy"), title="Pooling and unpooling")


# ----------------------------------------------------------------------------- cases
@dataclasses.dataclass(frozen=True)
class Pool:
    """A pooling (window k, stride s) over a random (N, C, H, W) batch drawn from a seed.

    ``ties``: values in {0, 1, 2}, so most windows hold a tied maximum; ``positive``: uniform in
    [0.1, 1] rounded to one decimal (ties, and no zero beats a window's maximum after unpooling).
    """

    N: int
    C: int
    H: int
    W: int
    k: int
    s: int
    values: str = "ties"
    seed: int = 0

    def x(self) -> np.ndarray:
        g = rng(self.seed)
        shape = (self.N, self.C, self.H, self.W)
        if self.values == "ties":
            return g.integers(0, 3, size=shape).astype(float)
        if self.values == "positive":
            return g.uniform(0.1, 1.0, size=shape).round(1)
        return g.normal(size=shape)

    def out_hw(self) -> tuple[int, int]:
        return (self.H - self.k) // self.s + 1, (self.W - self.k) // self.s + 1

    def v(self) -> np.ndarray:
        """A value on the pooled grid, drawn independently of x."""
        return rng(self.seed + 1).normal(size=(self.N, self.C, *self.out_hw()))

    def __str__(self) -> str:
        return f"x of shape {(self.N, self.C, self.H, self.W)}, k={self.k}, s={self.s}"


@st.composite
def pools(draw, *, windows=((2, 2), (3, 2), (2, 1), (3, 3)), values="ties", hw=(4, 8)) -> Pool:
    """Poolings with H ≠ W, a batch of 2 or 3 and 1 to 3 channels, (k, s) from ``windows``
    (overlapping k = 3, s = 2 among them)."""
    H, W = draw(st.lists(st.integers(*hw), min_size=2, max_size=2, unique=True))
    k, s = draw(st.sampled_from(windows))
    return Pool(draw(st.integers(2, 3)), draw(st.integers(1, 3)), H, W, k, s, values, draw(seeds()))


# ----------------------------------------------------------------------------- oracles
@oracle
def _torch_maxpool(x: np.ndarray, k: int, s: int) -> list[np.ndarray]:
    """[y, idx] of torch.nn.functional.max_pool2d(x, k, s, return_indices=True) in float64."""
    import torch
    import torch.nn.functional as F

    y, idx = F.max_pool2d(torch.from_numpy(x), k, s, return_indices=True)
    return [y.numpy(), idx.numpy()]


@oracle
def _torch_maxunpool(y: np.ndarray, idx: np.ndarray, k: int, s: int, out_hw: tuple[int, int]) -> np.ndarray:
    """torch.nn.functional.max_unpool2d(y, idx, k, s, output_size=out_hw) in float64."""
    import torch
    import torch.nn.functional as F

    return F.max_unpool2d(torch.from_numpy(y), torch.from_numpy(idx), (k, k), (s, s),
                          output_size=list(out_hw)).numpy()


@oracle
def _torch_avgpool(x: np.ndarray, k: int, s: int) -> np.ndarray:
    """torch.nn.functional.avg_pool2d(x, k, s) in float64."""
    import torch
    import torch.nn.functional as F

    return F.avg_pool2d(torch.from_numpy(x), k, s).numpy()


@oracle
def _torch_avgpool_grad(x: np.ndarray, v: np.ndarray, k: int, s: int) -> np.ndarray:
    """∂⟨avg_pool2d(x, k, s), v⟩/∂x by torch autograd in float64."""
    import torch
    import torch.nn.functional as F

    tx = torch.tensor(x, requires_grad=True)
    F.avg_pool2d(tx, k, s).backward(torch.from_numpy(v))
    return tx.grad.numpy()  # type: ignore[union-attr]  # backward() set it


# ----------------------------------------------------------------------------- helpers
def _student_maxpool(ctx, case: Pool, x: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    shape = (case.N, case.C, *case.out_hw())
    return ctx.call("maxpool2d", case.x() if x is None else x, case.k, case.s,
                    returns=Tuple(Array(shape, label="y"), Array(shape, label="idx")))


def _compare_maxpool(ctx, case: Pool) -> None:
    want_y, want_idx = _torch_maxpool(case.x(), case.k, case.s)
    y, idx = _student_maxpool(ctx, case)
    assert_close(y, want_y, rtol=0, name=f"maxpool2d's y with {case} (vs F.max_pool2d)")
    assert_close(idx, want_idx, rtol=0, name=f"maxpool2d's idx with {case} (vs F.max_pool2d: flat row·W + col, "
                                             f"first maximum on ties)")


def _compare_unpool(ctx, case: Pool) -> None:
    y, idx = _torch_maxpool(case.x(), case.k, case.s)
    if case.k <= case.s:                      # at most one window per pixel: any values may go back
        y = case.v()
    out_hw = (case.H, case.W)
    want = _torch_maxunpool(y, idx, case.k, case.s, out_hw)
    got = ctx.call("maxunpool2d", y, idx, out_hw, returns=Array(want.shape))
    assert_close(got, want, rtol=0, name=f"maxunpool2d with {case}, out_hw={out_hw} (vs F.max_unpool2d)")


def _compare_avgpool(ctx, case: Pool) -> None:
    want = _torch_avgpool(case.x(), case.k, case.s)
    got = ctx.call("avgpool2d", case.x(), case.k, case.s, returns=Array(want.shape))
    assert_close(got, want, rtol=1e-12, atol=1e-14, name=f"avgpool2d with {case} (vs F.avg_pool2d)")


def _compare_adjoint(ctx, case: Pool) -> None:
    want = _torch_avgpool_grad(case.x(), case.v(), case.k, case.s)
    got = ctx.call("avgpool2d_adjoint", case.v(), case.k, case.s, (case.H, case.W), returns=Array(want.shape))
    assert_close(got, want, rtol=1e-12, atol=1e-14, name=f"avgpool2d_adjoint with {case} (vs torch autograd)")


# ----------------------------------------------------------------------------- max pooling
@exercise.check(points=3, given={"case": pools()}, max_examples=20)
def maxpool_matches_torch_with_ties(ctx, case):
    """maxpool2d's values and indices equal F.max_pool2d(..., return_indices=True) exactly, on
    images of 0s, 1s and 2s (ties in most windows), for (k, s) ∈ {(2, 2), (3, 2), (2, 1), (3, 3)}:
    indices flat into H·W (row·W + col), the first maximum in row-major order on ties."""
    _compare_maxpool(ctx, case)


@exercise.table(points=1, rows=[
    row("maxpool_indices_are_flat_into_the_image",
        "maxpool2d's idx is row·W + col in the whole H×W plane (PyTorch), not the position inside the "
        "window: a 6×5 image, k = s = 2.",
        case=Pool(N=2, C=2, H=6, W=5, k=2, s=2, values="normal", seed=40)),
    row("maxpool_first_maximum_wins",
        "On a tie maxpool2d keeps the first maximum in row-major order (PyTorch, Fig 7.9a): a 5×6 "
        "image of 0s and 1s with overlapping 3×3 windows, stride 2.",
        case=Pool(N=2, C=3, H=5, W=6, k=3, s=2, seed=41)),
])
def maxpool_fixed_case(ctx, case):
    _compare_maxpool(ctx, case)


@exercise.check(points=2, given={"case": pools(values="normal")}, max_examples=15)
def maxunpool_matches_torch(ctx, case):
    """maxunpool2d(y, idx, (H, W)) equals F.max_unpool2d exactly: each value at its flat index,
    zeros elsewhere, for the output size given (also when the stride leaves rows or columns out)."""
    _compare_unpool(ctx, case)


@exercise.check(points=2, given={"case": pools(values="positive")}, max_examples=10,
                depends_on="maxpool_matches_torch_with_ties")
def pool_unpool_pool_is_pool(ctx, case):
    """maxpool2d(maxunpool2d(maxpool2d(x))) = maxpool2d(x), values and indices, for positive
    images with ties; counts once maxpool_matches_torch_with_ties passes (zeros pass it too)."""
    y, idx = _student_maxpool(ctx, case)
    unpooled = ctx.call("maxunpool2d", y, idx, (case.H, case.W), returns=Array((case.N, case.C, case.H, case.W)))
    y2, idx2 = _student_maxpool(ctx, case, x=unpooled)
    assert_close(y2, y, rtol=0, name=f"maxpool2d(maxunpool2d(maxpool2d(x)))'s y vs maxpool2d(x)'s, {case}")
    assert_close(idx2, idx, rtol=0, name=f"maxpool2d(maxunpool2d(maxpool2d(x)))'s idx vs maxpool2d(x)'s, {case}")


# ----------------------------------------------------------------------------- average pooling
@exercise.check(points=2, given={"case": pools(values="normal")}, max_examples=15)
def avgpool_matches_torch(ctx, case):
    """avgpool2d equals F.avg_pool2d (relative 1e-12): the mean of each k×k window, output
    ⌊(H − k)/s⌋ + 1 by ⌊(W − k)/s⌋ + 1."""
    _compare_avgpool(ctx, case)


@exercise.check(points=3, given={"case": pools(values="normal")}, max_examples=15)
def avgpool_adjoint_matches_autograd(ctx, case):
    """avgpool2d_adjoint(v, k, s, (H, W)) equals the gradient of ⟨F.avg_pool2d(x, k, s), v⟩ by torch
    autograd (relative 1e-12): each value ×1/k² copied to its window, summed where windows overlap."""
    _compare_adjoint(ctx, case)


@exercise.check(points=2, given={"case": pools(windows=((3, 2), (2, 1), (3, 1)), values="normal")},
                max_examples=10, depends_on="avgpool_adjoint_matches_autograd")
def avgpool_adjoint_is_the_adjoint(ctx, case):
    """⟨avgpool2d(x), v⟩ = ⟨x, avgpool2d_adjoint(v)⟩ (relative 1e-12 of ‖avgpool2d(x)‖‖v‖) with
    overlapping windows (k = 3, s = 2 among them); counts once avgpool_adjoint_matches_autograd
    passes (zeros satisfy it alone)."""
    x, v = case.x(), case.v()
    y = ctx.call("avgpool2d", x, case.k, case.s, returns=Array(v.shape))
    adj = ctx.call("avgpool2d_adjoint", v, case.k, case.s, (case.H, case.W), returns=Array(x.shape))
    scale = float(np.linalg.norm(y) * np.linalg.norm(v))
    assert_close(float(np.sum(x * adj)), float(np.sum(y * v)), rtol=0, atol=1e-12 * scale,
                 name=f"⟨x, avgpool2d_adjoint(v)⟩ vs ⟨avgpool2d(x), v⟩ with {case}")


# ----------------------------------------------------------------------------- hidden
_wide = pools(windows=((1, 1), (2, 3), (4, 2), (3, 1), (4, 4)), hw=(4, 11))


@exercise.check(points=2, visibility="hidden", given={"case": _wide}, max_examples=15)
def wider_windows_match_torch(ctx, case):
    """All four functions equal torch for k = 1, strides larger than the window and windows up to 4."""
    _compare_maxpool(ctx, case)
    _compare_unpool(ctx, case)
    _compare_avgpool(ctx, case)
    _compare_adjoint(ctx, case)


@exercise.check(points=1, visibility="hidden")
def window_as_large_as_the_image(ctx):
    """A window as large as the image (one output pixel), negative values and ties: all four functions
    equal torch."""
    case = Pool(N=1, C=2, H=4, W=4, k=4, s=1, values="normal", seed=93)
    _compare_maxpool(ctx, case)
    _compare_unpool(ctx, case)
    _compare_avgpool(ctx, case)
    _compare_adjoint(ctx, case)
