"""ch11.empirical_ntk — the empirical NTK K = J Jᵀ of a torch model over all its parameters,
sample-major (eq 11.22), and the change of the outputs after one gradient step against the NTK's
prediction −η K (f − y).

The models stay in the worker: each is the source text of one expression (a seeded
``torch.nn.Sequential``) that the worker compiles into the ``nn.Module`` the student's function
receives, and that the grader compiles into the same module for its oracle, the PyTorch NTK
tutorial's ``jacrev`` + ``vmap`` + ``functional_call``.
"""
from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Exercise, Tensor, Tuple, assert_close, distinct_dims, expect, rng, seeds
from graders.authoring.checks.kkt import assert_psd
from graders.authoring.oracles import oracle

exercise = Exercise(module="ch11.ntk", functions=("empirical_ntk", "gd_output_change"),
                    forbidden=("scipy", "sympy"), title="The empirical neural tangent kernel")

_ACTS = ("Tanh", "Softplus", "Sigmoid", "ReLU")


@dataclasses.dataclass(frozen=True)
class TorchNet:
    """A seeded MLP ``dims[0] → … → dims[-1]`` (``act`` between layers) and its N inputs, as the
    source of one expression that builds it: compiled in the worker for the student's function and
    in the grader for the oracle, so that both hold the same module. Parameters are N(0, std²)
    from ``torch.Generator().manual_seed(seed)``; ``skip_init`` keeps the global RNG untouched."""

    dims: tuple[int, ...]
    n: int
    seed: int
    act: str = "Tanh"
    dtype: str = "float64"
    bias: bool = True
    std: float = 0.7

    @property
    def k(self) -> int:
        return self.dims[-1]

    @property
    def source(self) -> str:
        layers = []
        for l, (d_in, d_out) in enumerate(zip(self.dims[:-1], self.dims[1:])):
            layers.append(f"torch.nn.utils.skip_init(torch.nn.Linear, {d_in}, {d_out}, bias={self.bias}, "
                          f"dtype=torch.{self.dtype})")
            if l < len(self.dims) - 2:
                layers.append(f"torch.nn.{self.act}()")
        return (f"(lambda g, net: [torch.nn.init.normal_(p, 0.0, {self.std!r}, generator=g) for p in net.parameters()]"
                f" and net)(torch.Generator().manual_seed({self.seed}), torch.nn.Sequential({', '.join(layers)}))")

    def inputs(self) -> np.ndarray:
        return rng(self.seed).normal(size=(self.n, self.dims[0]))             # (N, d)

    def targets(self) -> np.ndarray:
        return rng(self.seed + 1).normal(size=(self.n, self.k))               # (N, k)

    def __repr__(self) -> str:
        inner = f" --{self.act}--> ".join(str(d) for d in self.dims)
        return f"<{self.dtype} MLP {inner}{'' if self.bias else ' without biases'}, N={self.n}, seed={self.seed}>"


@st.composite
def torch_nets(draw, *, hidden=(1, 2)) -> TorchNet:
    """MLPs with N, d and the hidden widths pairwise different and k ∈ {2, 3} outputs, so that a
    transpose or an output-major layout cannot pass."""
    layers = draw(st.integers(*hidden))
    sizes = draw(distinct_dims(layers + 2, 4, 9))
    k = draw(st.sampled_from((2, 3)))
    return TorchNet(dims=(*sizes[1:], k), n=sizes[0], seed=draw(seeds()), act=draw(st.sampled_from(_ACTS)))


def _build(source: str):
    """The module ``source`` builds (grader-authored constant text, the same the worker compiles)."""
    import torch

    return eval(compile(source, "<grader model>", "eval"), {"torch": torch})  # noqa: S307 - grader-authored


def _jacobians(net: TorchNet):
    """The PyTorch NTK tutorial's per-sample Jacobians, in float64: name -> (N, k, P_name)."""
    import torch
    from torch.func import functional_call, jacrev, vmap

    model = _build(net.source).double()
    params = {name: p.detach() for name, p in model.named_parameters()}
    X = torch.from_numpy(net.inputs()).to(getattr(torch, net.dtype)).double()

    def f(p, x):                                                              # one sample: (k,)
        return functional_call(model, p, (x.unsqueeze(0),)).squeeze(0)

    return model, params, X, {name: J.flatten(2) for name, J in vmap(jacrev(f), (None, 0))(params, X).items()}


@oracle
def oracle_ntk(net: TorchNet) -> np.ndarray:
    """K (N·k, N·k), sample-major, from ``jacrev`` + ``vmap`` + ``functional_call``, in float64."""
    import torch

    _, _, X, jac = _jacobians(net)
    K = torch.zeros(net.n, net.k, net.n, net.k, dtype=X.dtype)
    for J in jac.values():                                                    # (N, k, P_name)
        K += torch.einsum("aip,bjp->aibj", J, J)                              # (N, k, N, k)
    return K.reshape(net.n * net.k, net.n * net.k).numpy()


@oracle
def oracle_step(net: TorchNet, lr: float) -> tuple[np.ndarray, np.ndarray]:
    """(Δf, −η K (f − y)) of one gradient step on ½ Σ‖f − y‖², with ``torch.func.grad``, in float64."""
    import torch
    from torch.func import functional_call, grad

    model, params, X, _ = _jacobians(net)
    y = torch.from_numpy(net.targets())

    def loss(p):
        return 0.5 * ((functional_call(model, p, (X,)) - y) ** 2).sum()

    g = grad(loss)(params)
    f0 = functional_call(model, params, (X,))
    f1 = functional_call(model, {name: p - lr * g[name] for name, p in params.items()}, (X,))
    K = torch.from_numpy(oracle_ntk(net))
    return (f1 - f0).detach().numpy(), (-lr * (K @ (f0 - y).detach().reshape(-1))).reshape(net.n, net.k).numpy()


def _ntk(ctx, net: TorchNet) -> np.ndarray:
    """The student's empirical_ntk of ``net`` at its inputs: a (N·k, N·k) tensor of the net's dtype."""
    return ctx.call("empirical_ntk", ctx.function(net.source), ctx.tensor(net.inputs(), dtype=net.dtype),
                    returns=Tensor((net.n * net.k,) * 2, net.dtype, label=f"empirical_ntk of the {net!r}"))


def _steps(ctx, net: TorchNet, lrs: tuple[float, ...]) -> list[tuple[np.ndarray, np.ndarray]]:
    """The student's (delta_actual, delta_pred) for each step size, (N, k) tensors of the net's dtype."""
    X, y = ctx.tensor(net.inputs(), dtype=net.dtype), ctx.tensor(net.targets(), dtype=net.dtype)
    shape = (net.n, net.k)
    return ctx.map("gd_output_change", [(ctx.function(net.source), X, y, lr) for lr in lrs],
                   returns=Tuple(Tensor(shape, net.dtype, label="delta_actual"),
                                 Tensor(shape, net.dtype, label="delta_pred")))


# ----------------------------------------------------------------------------- checks
@exercise.check(points=3, given={"net": torch_nets()}, max_examples=8)
def ntk_matches_torch_func(ctx, net):
    """empirical_ntk(model, X) on MLPs with k = 2 or 3 outputs and N ≠ d ≠ width equals the
    PyTorch NTK tutorial's jacrev + vmap + functional_call kernel to 1e-10: every parameter counts
    (every layer's weights and biases), block (m, n) is J_m J_nᵀ, and row m·k + i is output i of
    sample m (sample-major)."""
    assert_close(_ntk(ctx, net), oracle_ntk(net), rtol=1e-10, name=f"empirical_ntk of the {net!r}")


@exercise.check(points=1, given={"dims": distinct_dims(3, 2, 7), "seed": seeds()}, max_examples=5)
def linear_model_gives_kron(ctx, dims, seed):
    """For a linear model f(x) = W x (no bias) with k outputs, J_n = I_k ⊗ x_nᵀ, so the NTK is
    exactly X Xᵀ ⊗ I_k (1e-12): the k × k block (m, n) is x_m·x_n I_k."""
    n, d, k = dims
    net = TorchNet(dims=(d, k), n=n, seed=seed, bias=False)
    X = net.inputs()
    assert_close(_ntk(ctx, net), np.kron(X @ X.T, np.eye(k)), rtol=1e-12, name=f"empirical_ntk of the {net!r}")


@exercise.check(points=1, depends_on="ntk_matches_torch_func")
def ntk_is_symmetric_psd(ctx):
    """On a 4 → 9 → 7 → 3 softplus MLP at N = 6 inputs, K is symmetric (1e-12) and positive
    semi-definite (λ_min ≥ −1e-10 ‖K‖₂): it is a Gram matrix."""
    net = TorchNet(dims=(4, 9, 7, 3), n=6, seed=1106, act="Softplus")
    K = _ntk(ctx, net)
    assert_close(K, K.T, rtol=1e-12, name="empirical_ntk − its transpose")
    assert_psd(K, rtol=1e-10, name="the empirical NTK")


@exercise.check(points=1)
def ntk_keeps_model_dtype(ctx):
    """The kernel has the model's dtype: a float32 model gives a float32 K (within 1e-5 of the
    float64 kernel of the same weights), a float64 model a float64 K, never downcast to float32."""
    for dtype, rtol in (("float32", 1e-5), ("float64", 1e-10)):
        net = TorchNet(dims=(5, 8, 2), n=4, seed=1107, dtype=dtype)
        assert_close(_ntk(ctx, net), oracle_ntk(net), rtol=rtol, name=f"empirical_ntk of the {net!r}")


@exercise.check(points=2, given={"net": torch_nets(hidden=(1, 1))}, max_examples=5)
def gd_step_matches_oracle(ctx, net):
    """gd_output_change(model, X, y, lr=0.01): delta_actual is f(θ − η∇L) − f(θ) for L = ½ Σ_n
    ‖f(x_n) − y_n‖² (1e-9) and delta_pred is −η K (f − y) with the residual flattened
    sample-major (1e-10), against torch.func.grad and the tutorial's kernel."""
    ((actual, pred),) = _steps(ctx, net, (0.01,))
    want_actual, want_pred = oracle_step(net, 0.01)
    assert_close(actual, want_actual, rtol=1e-9, name=f"delta_actual (lr=0.01, {net!r})")
    assert_close(pred, want_pred, rtol=1e-10, name=f"delta_pred (lr=0.01, {net!r})")


@exercise.check(points=2)
def prediction_error_is_second_order(ctx):
    """The NTK prediction is first order: ‖delta_actual − delta_pred‖ shrinks like η², so the
    ratio of that error at η = 0.01 to the error at η = 0.001 lies in [50, 200] (a tanh MLP
    3 → 8 → 2, N = 5)."""
    net = TorchNet(dims=(3, 8, 2), n=5, seed=1108)
    (a1, p1), (a2, p2) = _steps(ctx, net, (1e-2, 1e-3))
    e1, e2 = float(np.linalg.norm(a1 - p1)), float(np.linalg.norm(a2 - p2))
    ratio = e1 / e2 if e2 > 0 else float("nan")
    expect(np.isfinite(ratio) and 50 <= ratio <= 200,
           f"‖delta_actual − delta_pred‖ is {e1:.3g} at lr=0.01 and {e2:.3g} at lr=0.001: a ratio of {ratio:.3g}; "
           "a prediction that is right to first order gives about 100 (an error of order lr gives about 10)")


@exercise.check(points=2, visibility="hidden")
def ntk_matches_torch_func_on_other_nets(ctx):
    """Three more nets against the tutorial's kernel (1e-10): two hidden layers with k = 3, a net
    without biases, and a single sample."""
    for net in (TorchNet(dims=(6, 5, 9, 3), n=4, seed=1109, act="Sigmoid"),
                TorchNet(dims=(2, 11, 4), n=7, seed=1110, act="Tanh", bias=False),
                TorchNet(dims=(5, 3, 2), n=1, seed=1111, act="ReLU")):
        assert_close(_ntk(ctx, net), oracle_ntk(net), rtol=1e-10, name=f"empirical_ntk of the {net!r}")


@exercise.check(points=1, visibility="hidden")
def gd_step_with_three_outputs(ctx):
    """A two-hidden-layer sigmoid net with k = 3 and lr = 0.05: both changes against the oracle."""
    net = TorchNet(dims=(4, 6, 5, 3), n=7, seed=1112, act="Sigmoid")
    ((actual, pred),) = _steps(ctx, net, (0.05,))
    want_actual, want_pred = oracle_step(net, 0.05)
    assert_close(actual, want_actual, rtol=1e-9, name=f"delta_actual (lr=0.05, {net!r})")
    assert_close(pred, want_pred, rtol=1e-10, name=f"delta_pred (lr=0.05, {net!r})")
