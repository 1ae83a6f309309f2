"""ch11.ntk_infinite_width — Jacot's infinite-width NTK of a ReLU network (Thm 11.3), networks in
the NTK parameterization (fan-in normalization, errata §15 item 9), and the empirical NTK's
convergence to the analytic one as the width grows, on the CPU and, where the worker has CUDA,
at widths up to 16384 on the GPU.

The networks' weights are drawn on the CPU from a seeded generator in a pinned order, so the
student's network of a given seed is the reference's, on any device: its outputs and its errors
are compared with the reference's, and the CUDA network with the CPU one.
"""
from __future__ import annotations

import importlib

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Exercise, Float, Function, List, Tensor, arrays, assert_close, expect
from graders.authoring.oracles import oracle

exercise = Exercise(module="ch11.ntk_inf", functions=("relu_ntk_analytic", "ntk_param_mlp", "ntk_error"),
                    forbidden=("scipy", "sympy"), gpu=True, title="The infinite-width NTK of ReLU networks")

#: Five inputs in R³ (N = 5, d0 = 3): Θ of depth 2 has eigenvalues 0.031 … 1.005. The reference's
#: errors at widths 128/512/2048 (seeds 0, 1) are 0.206/0.122/0.023, and at 1024/4096/16384
#: 0.063/0.023/0.014 (log–log slope −0.54).
X_FIX = np.array([[0.35, 0.82, 0.33], [-1.3, 0.91, 0.45], [-0.54, 0.58, 0.36], [0.29, 0.03, 0.55],
                  [-0.74, -0.16, -0.48]])
#: Rows 0 and 1 are collinear: with β = 0 their correlation ρ is 1 in every layer, and rounding
#: puts it above 1, where an unclipped arccos is NaN.
X_COLLINEAR = np.array([[0.13, -0.13, 0.64], [0.26, -0.26, 1.28], [0.1, -0.54, 0.36], [1.3, 0.95, -0.7]])
#: Six inputs in R⁴ for the second network and the hidden check.
X_FOUR = np.array([[0.5, -1.2, 0.3, 0.8], [1.1, 0.4, -0.7, 0.2], [-0.6, 0.9, 1.4, -0.3], [0.2, 0.1, -0.5, -1.3],
                   [-1.0, -0.4, 0.6, 0.9], [0.7, 1.3, 0.2, -0.8]])

#: (d0, width, depth, beta, seed) of the networks whose outputs are compared with the reference's
_NETWORKS = ((3, 64, 2, 0.1, 5), (4, 40, 1, 0.5, 2))


def _reference():
    """The reference module itself (not the recording stand-in a release puts in ``exercise.reference``):
    the oracles below call it with tensors, and are recorded whole."""
    return importlib.import_module(exercise.reference_name)


@oracle
def ref_analytic(X: np.ndarray, depth: int, beta: float) -> np.ndarray:
    """The reference's Θ^(depth+1) at X (float64)."""
    import torch

    return _reference().relu_ntk_analytic(torch.from_numpy(X), depth, beta).numpy()


@oracle
def ref_forward(network: tuple, X: np.ndarray, dtype: str) -> np.ndarray:
    """The outputs (N, 1) at X of the reference's ntk_param_mlp(*network, "cpu", dtype)."""
    import torch

    net = _reference().ntk_param_mlp(*network, "cpu", dtype)
    with torch.no_grad():
        return net(torch.from_numpy(X).to(getattr(torch, dtype))).numpy()


@oracle
def ref_errors(X: np.ndarray, depth: int, widths: list, seeds: list, beta: float) -> list:
    """The reference's ntk_error on the CPU."""
    import torch

    return _reference().ntk_error(torch.from_numpy(X), depth, widths, seeds, "cpu", beta)


def _network(ctx, network: tuple, X: np.ndarray, dtype: str = "float64", device: str = "cpu") -> np.ndarray:
    """The outputs at X of the student's ntk_param_mlp(*network, device, dtype), an (N, 1) tensor."""
    net = ctx.call("ntk_param_mlp", *network, device, dtype, returns=Function(label="ntk_param_mlp's network"))
    return ctx.call_handle(net, ctx.tensor(X, dtype=dtype, device=device), returns=Tensor(
        (len(X), 1), dtype, device=device, label=f"the output of ntk_param_mlp{(*network, device, dtype)} at X"))


def _errors(ctx, X: np.ndarray, depth: int, widths: list, seeds: list, device: str = "cpu",
            beta: float = 0.1) -> list[float]:
    errors = ctx.call("ntk_error", ctx.tensor(X), depth, widths, seeds, device, beta,
                      returns=List(Float(), length=len(widths), label=f"ntk_error at widths {widths}"))
    expect(all(np.isfinite(e) and e > 0 for e in errors), f"ntk_error at widths {widths} gave {errors}: "
                                                           "relative errors are finite and positive")
    return errors


# ----------------------------------------------------------------------------- the analytic kernel
@exercise.check(points=2, given={"case": arrays(X=("N", "d0"), dims={"N": (2, 7), "d0": (2, 6)}),
                                 "depth": st.integers(0, 4), "beta": st.sampled_from((0.1, 0.5, 0.0))},
                max_examples=15)
def analytic_matches_reference(ctx, case, depth, beta):
    """relu_ntk_analytic(X, depth, beta) is Jacot's recursion (Thm 11.3), a float64 (N, N) tensor:
    Σ¹ = X Xᵀ/d0 + β², Θ¹ = Σ¹, then per hidden layer Σ ← √(Σ_ii Σ_jj)/(2π)·(sin θ + (π − θ)
    cos θ) + β², Σ̇ = (π − θ)/(2π) and Θ ← Θ ⊙ Σ̇ + Σ. To 1e-12 off the diagonal; on it, where
    ρ = 1 and arccos is ill-conditioned (a rounding of ρ moves θ by √ε), to 1e-8."""
    N = case.X.shape[0]
    name = f"relu_ntk_analytic(X, depth={depth}, beta={beta})"
    got = ctx.call("relu_ntk_analytic", ctx.tensor(case.X), depth, beta, returns=Tensor((N, N), label=name))
    want = ref_analytic(case.X, depth, beta)
    off = ~np.eye(N, dtype=bool)
    scale = float(np.abs(want).max())
    assert_close(got[off], want[off], rtol=1e-12, scale=scale, name=f"the off-diagonal entries of {name}")
    assert_close(np.diag(got), np.diag(want), rtol=1e-8, scale=scale, name=f"the diagonal of {name}")


@exercise.check(points=1)
def analytic_clips_correlation(ctx):
    """With collinear inputs and β = 0 the correlation ρ = Σ_ij/√(Σ_ii Σ_jj) is 1 in every layer and
    rounding can push it past 1: clip it to [−1, 1] before arccos, or the kernel is NaN. (The
    kernel is compared with the reference at 1e-6 there: θ = arccos ρ is infinitely sensitive to ρ
    at ρ = 1, so correct formulas differ by about √ε.)"""
    for depth in (2, 3):
        got = ctx.call("relu_ntk_analytic", ctx.tensor(X_COLLINEAR), depth, 0.0,
                       returns=Tensor((4, 4), label=f"relu_ntk_analytic(X_collinear, depth={depth}, beta=0)"))
        assert_close(got, ref_analytic(X_COLLINEAR, depth, 0.0), rtol=1e-6,
                     name=f"relu_ntk_analytic(X_collinear, depth={depth}, beta=0) (rows 0 and 1 collinear)")


@exercise.check(points=1)
def analytic_is_symmetric_pd(ctx):
    """At five distinct inputs in R³, Θ of depth 2 (β = 0.1) is symmetric (1e-12) and positive
    definite: λ_min > 1e-6 λ_max (the reference's eigenvalues run from 0.031 to 1.005)."""
    theta = ctx.call("relu_ntk_analytic", ctx.tensor(X_FIX), 2, 0.1,
                     returns=Tensor((5, 5), label="relu_ntk_analytic(X, depth=2)"))
    assert_close(theta, theta.T, rtol=1e-12, name="Θ − Θᵀ")
    eigenvalues = np.linalg.eigvalsh((theta + theta.T) / 2)
    expect(eigenvalues[0] > 1e-6 * abs(eigenvalues[-1]),
           f"Θ should be positive definite; its eigenvalues are {np.round(eigenvalues, 6).tolist()}")


# ----------------------------------------------------------------------------- the networks
@exercise.check(points=2)
def network_matches_reference(ctx):
    """ntk_param_mlp(d0, width, depth, beta, seed) is the reference's network, to 1e-12 on its
    outputs: ReLU layers g = W o/√fan_in + β b with W, b ~ N(0, 1) (the fan-in, not the book's
    output width), drawn on the CPU from torch.Generator().manual_seed(seed), layer by layer, W
    before b; a 3 → 64 → 64 → 1 and a 4 → 40 → 1 network."""
    for network, X in zip(_NETWORKS, (X_FIX, X_FOUR)):
        assert_close(_network(ctx, network, X), ref_forward(network, X, "float64"), rtol=1e-12,
                     name=f"the output of ntk_param_mlp{network} at X")


@exercise.check(points=1)
def network_keeps_dtype_and_seed(ctx):
    """dtype="float32" gives a float32 network (weights drawn in float32; outputs within 1e-5 of
    the reference's); the same seed gives the same network, another seed another one."""
    network = _NETWORKS[0]
    assert_close(_network(ctx, network, X_FIX, "float32"), ref_forward(network, X_FIX, "float32"),
                 rtol=1e-5, name=f"the output of ntk_param_mlp{(*network, 'cpu', 'float32')} at X")
    again, other = _network(ctx, network, X_FIX), _network(ctx, (*network[:4], 6), X_FIX)
    expect(np.array_equal(again, _network(ctx, network, X_FIX)), "two networks of the same seed differ")
    expect(not np.allclose(again, other), "the networks of seeds 5 and 6 have the same outputs")


@exercise.check(points=1, depends_on="network_matches_reference")
def device_and_dtype_as_objects_or_names(ctx):
    """ntk_param_mlp takes the device as a torch.device or its name and the dtype as a torch.dtype
    or its name ("float64"), and ntk_error the device as a torch.device too: the same network and
    the same errors either way."""
    network = _NETWORKS[0]
    net = ctx.call("ntk_param_mlp", *network, ctx.function("torch.device('cpu')"), ctx.function("torch.float64"),
                   returns=Function(label="ntk_param_mlp's network"))
    by_object = ctx.call_handle(net, ctx.tensor(X_FIX), returns=Tensor(
        (len(X_FIX), 1), label="the output of the network made with torch.device('cpu') and torch.float64"))
    assert_close(by_object, _network(ctx, network, X_FIX), rtol=0, atol=0,
                 name="the network made with torch objects vs the one made with their names")
    by_device = ctx.call("ntk_error", ctx.tensor(X_FIX), 1, [16], [0], ctx.function("torch.device('cpu')"), 0.1,
                         returns=List(Float(), length=1))
    assert_close(np.array(by_device), np.array(_errors(ctx, X_FIX, 1, [16], [0])), rtol=0, atol=0,
                 name="ntk_error with device=torch.device('cpu') vs device='cpu'")


# ----------------------------------------------------------------------------- the errors
@exercise.check(points=2)
def errors_match_reference(ctx):
    """ntk_error(X, 2, [16, 64], [3, 4]) is the reference's to 1e-8: for each width, the mean over
    the seeds of ‖Θ̂ − Θ‖_F/‖Θ‖_F, with Θ̂ the empirical NTK over every weight and bias of
    ntk_param_mlp(d0, width, depth, 0.1, seed) and Θ = relu_ntk_analytic(X, depth, 0.1)."""
    got = _errors(ctx, X_FIX, 2, [16, 64], [3, 4])
    assert_close(got, ref_errors(X_FIX, 2, [16, 64], [3, 4], 0.1), rtol=1e-8,
                 name="ntk_error(X, 2, [16, 64], [3, 4])")


@exercise.check(points=2)
def error_shrinks_with_width_on_cpu(ctx):
    """On the CPU, widths 128, 512, 2048 with seeds 0 and 1 (depth 2; one call per width): the
    error at width 2048 is below 0.1 and below half the error at width 128 (the reference: 0.206,
    0.122, 0.023)."""
    got = ctx.map("ntk_error", [(ctx.tensor(X_FIX), 2, [w], [0, 1], "cpu", 0.1) for w in (128, 512, 2048)],
                  returns=List(Float(), length=1, label="ntk_error at one width"))
    e128, e2048 = got[0][0], got[2][0]
    expect(all(np.isfinite(e[0]) and e[0] > 0 for e in got), f"ntk_error at widths 128, 512, 2048 gave "
                                                              f"{[e[0] for e in got]}: relative errors are positive")
    expect(e2048 < 0.1, f"the relative NTK error at width 2048 is {e2048:.4g}; it should be below 0.1")
    expect(e2048 < e128 / 2, f"the relative NTK error at width 2048 ({e2048:.4g}) should be below half the one "
                             f"at width 128 ({e128:.4g})")


@exercise.check(points=2, visibility="hidden")
def errors_match_reference_elsewhere(ctx):
    """Depth 1, β = 0.3, six inputs in R⁴, widths 30 and 300, seeds 7, 8, 9: the reference's errors (1e-8)."""
    got = _errors(ctx, X_FOUR, 1, [30, 300], [7, 8, 9], beta=0.3)
    assert_close(got, ref_errors(X_FOUR, 1, [30, 300], [7, 8, 9], 0.3), rtol=1e-8,
                 name="ntk_error(X, 1, [30, 300], [7, 8, 9], beta=0.3)")


# ----------------------------------------------------------------------------- on the GPU
@exercise.check(points=1, gpu=True)
def cuda_network_is_the_cpu_network(ctx):
    """ntk_param_mlp(..., device="cuda") is the CPU network moved: its parameters and outputs are
    on the GPU, and its outputs equal the reference's CPU outputs to 1e-9."""
    network = _NETWORKS[0]
    assert_close(_network(ctx, network, X_FIX, device="cuda"), ref_forward(network, X_FIX, "float64"),
                 rtol=1e-9, name=f"the output of ntk_param_mlp{(*network, 'cuda', 'float64')} at X")


@exercise.check(points=2, gpu=True)
def error_shrinks_with_width_on_cuda(ctx):
    """On the GPU, widths 1024, 4096, 16384 (2.7·10⁸ parameters) with seeds 0 and 1: the error at
    16384 is below 0.03 and the log–log slope of error against width lies in [−0.75, −0.3] (about
    −½; the reference: 0.063, 0.023, 0.014, slope −0.54)."""
    widths, seeds = (1024, 4096, 16384), (0, 1)
    X = ctx.tensor(X_FIX)
    got = ctx.map("ntk_error", [(X, 2, [w], [s], "cuda") for w in widths for s in seeds],
                  returns=List(Float(), length=1, label="ntk_error at one width and seed"))
    errors = [float(np.mean([got[i * len(seeds) + j][0] for j in range(len(seeds))])) for i in range(len(widths))]
    expect(all(np.isfinite(e) and e > 0 for e in errors), f"ntk_error on cuda gave {errors}")
    slope = float(np.polyfit(np.log(widths), np.log(errors), 1)[0])
    expect(errors[-1] < 0.03, f"the relative NTK error at width 16384 is {errors[-1]:.4g}; it should be below 0.03")
    expect(-0.75 <= slope <= -0.3, f"the errors {np.round(errors, 4).tolist()} at widths {list(widths)} fall with "
                                   f"a log–log slope of {slope:.3g}; it should be about −½, in [−0.75, −0.3]")


@exercise.check(points=1, gpu=True, depends_on="errors_match_reference")
def cuda_errors_equal_cpu_errors(ctx):
    """The same network on the CPU and on the GPU has the same empirical NTK: ntk_error at width
    1024 (seed 0) agrees between device="cpu" and device="cuda" to 1e-9 (an error moves by at most
    the relative distance between the two kernels)."""
    cpu = _errors(ctx, X_FIX, 2, [1024], [0], "cpu")
    cuda = _errors(ctx, X_FIX, 2, [1024], [0], "cuda")
    expect(abs(cpu[0] - cuda[0]) <= 1e-9, f"ntk_error at width 1024 is {cpu[0]!r} on the CPU and {cuda[0]!r} on "
                                          "cuda; the weights are the same, so the kernels should agree to 1e-9")
