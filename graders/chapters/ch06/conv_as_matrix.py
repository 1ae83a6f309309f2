"""ch06.conv_as_matrix — convolution as a Toeplitz matrix, tied filter gradients (ex 6.7), and
diagonal networks (ex 6.3b)."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, List, arrays, assert_close, assume, rng, seeds
from graders.authoring.checks.edges import with_exact_zeros
from graders.authoring.checks.gradcheck import central_difference
from graders.authoring.oracles import oracle

exercise = Exercise(module="ch06.convmat", title="Convolution as a matrix and tied gradients",
                    functions=("conv1d_matrix", "conv1d_forward", "filter_grad", "diag_net_grads"))

#: A filter h of length p, a signal x and an error δ of length d ≠ p (p may exceed d: the extra
#: taps fall outside W).
_filters = arrays(h="p", x="d", delta="d", dims={"p": (1, 6), "d": (2, 9)})


@exercise.check(points=2, given={"case": _filters}, max_examples=20)
def forward_matches_np_convolve(ctx, case):
    """W(h) x and conv1d_forward(h, x) both equal np.convolve(x, h)[:d] (relative 1e-12)."""
    h, x, d = case.h, case.x, case.d
    want = ctx.ref.conv1d_forward(h, x)
    W = ctx.call("conv1d_matrix", h, d, returns=Array((d, d)))
    assert_close(W @ x, want, rtol=1e-12, name="W(h) @ x")
    assert_close(ctx.call("conv1d_forward", h, x), want, rtol=1e-12, name="conv1d_forward(h, x)")


@exercise.check(points=1, given={"case": _filters}, max_examples=15)
def matrix_is_lower_triangular_toeplitz(ctx, case):
    """W[i, j] = h[i − j] on the p lowest diagonals and 0 elsewhere (lower-triangular Toeplitz)."""
    h, d = case.h, case.d
    W = ctx.call("conv1d_matrix", h, d, returns=Array((d, d)))
    want = ctx.ref.conv1d_matrix(h, d)
    upper = np.triu(W, k=1)
    if np.any(upper):
        correlation = W.shape == want.shape and np.allclose(W, want.T, rtol=1e-15, atol=0.0)
        ctx.fail(f"W should be lower-triangular (causal convolution), but W{_first(upper)} is non-zero"
                 + (": W[i, j] = h[j − i] is the correlation's matrix, the transpose of W(h)" if correlation else ""))
    assert_close(W, want, rtol=1e-15, name="W")


@exercise.check(points=2, given={"case": _filters}, max_examples=20)
def filter_grad_sums_diagonals(ctx, case):
    """∂c/∂h[k] = Σ_i δ[i] x[i − k]: the untied gradient δxᵀ summed along its diagonals."""
    x, delta, p = case.x, case.delta, case.p
    assert_close(ctx.call("filter_grad", x, delta, p), ctx.ref.filter_grad(x, delta, p), rtol=1e-12,
                 name="filter_grad(x, delta, p)")


@exercise.check(points=1, visibility="hidden", given={"case": _filters}, max_examples=10)
def filter_grad_matches_torch_autograd(ctx, case):
    """filter_grad equals torch autograd of c = δᵀ W(h) x with respect to h (relative 1e-10)."""
    import torch  # the oracle, imported on first use (see graders.chapters: a chapter's spec loads without it)

    h, x, delta, p, d = case.h, case.x, case.delta, case.p, case.d
    th = torch.tensor(h, requires_grad=True)
    rows = [torch.stack([th[i - j] if 0 <= i - j < p else torch.zeros((), dtype=torch.float64) for j in range(d)])
            for i in range(d)]
    (torch.from_numpy(delta) @ torch.stack(rows) @ torch.from_numpy(x)).backward()
    assert_close(ctx.call("filter_grad", x, delta, p), th.grad.numpy(), rtol=1e-10,
                 name="filter_grad vs torch autograd")


#: L layers, d units, and a seed for the weights and data.
_diag_nets = st.tuples(st.integers(1, 3), st.integers(2, 7), seeds())


@oracle
def _diag_differences(ws: list[np.ndarray], x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    """Central differences of the diagonal network's cost in each layer's weights, (d,) each."""
    def layer(l: int) -> np.ndarray:
        return central_difference(lambda w_l: _diag_loss(ws[:l] + [w_l] + ws[l + 1:], x, y), ws[l])
    return [layer(l) for l in range(len(ws))]


def _diag_loss(ws, x, y) -> float:
    o = x
    for w in ws:
        o = np.maximum(w * o, 0.0)
    return 0.5 * float(np.sum((y - o) ** 2))


def _diag_case(L, d, seed):
    g = rng(seed)
    ws = [g.normal(1.0, 0.5, size=d) for _ in range(L)]
    x, y = g.normal(size=d), g.normal(size=d)
    o = x
    for w in ws:
        pre = w * o
        assume(np.min(np.abs(pre)) > 1e-4)  # finite differences off the ReLU kinks
        o = np.maximum(pre, 0.0)
    return ws, x, y


def _student_diag_grads(ctx, ws, x, y) -> list[np.ndarray]:
    return ctx.call("diag_net_grads", ws, x, y, returns=List(Array(x.shape), length=len(ws)))


@exercise.check(points=2, given={"case": _diag_nets}, max_examples=15)
def diag_net_matches_finite_differences(ctx, case):
    """Diagonal-network gradients δ^(l) ⊙ o^(l−1) equal central differences (relative 1e-6)."""
    ws, x, y = _diag_case(*case)
    for l, (got, want) in enumerate(zip(_student_diag_grads(ctx, ws, x, y), _diag_differences(ws, x, y)), start=1):
        assert_close(got, want, rtol=1e-6, name=f"∂c/∂w of layer {l}")


@exercise.check(points=1)
def diag_net_relu_kink(ctx):
    """ReLU′(0) := 0, as the docstring pins: on a 2-layer diagonal network with x > 0 and one
    weight of each layer exactly 0 (so g = 0 there while the error reaching it is not 0), the
    gradients equal the reference (relative 1e-12)."""
    g = rng(77)
    x, y = 0.5 + np.abs(g.normal(size=5)), g.normal(size=5)                  # (5,), (5,)
    ws = [with_exact_zeros(1.0 + 0.3 * g.normal(size=5), g) for _ in range(2)]
    for l, (got, want) in enumerate(zip(_student_diag_grads(ctx, ws, x, y), ctx.ref.diag_net_grads(ws, x, y)),
                                    start=1):
        assert_close(got, want, rtol=1e-12, name=f"∂c/∂w of layer {l} (a weight exactly 0: g = 0, ReLU′(0) = 0)")


@exercise.check(points=1, visibility="hidden", given={"case": _diag_nets}, max_examples=10)
def diag_net_matches_reference(ctx, case):
    """Diagonal-network gradients equal the backpropagation formula (relative 1e-12)."""
    ws, x, y = _diag_case(*case)
    for l, (got, want) in enumerate(zip(_student_diag_grads(ctx, ws, x, y), ctx.ref.diag_net_grads(ws, x, y)), start=1):
        assert_close(got, want, rtol=1e-12, name=f"∂c/∂w of layer {l}")


def _first(mask: np.ndarray) -> str:
    i, j = np.argwhere(mask)[0]
    return f"[{i}, {j}]"
