"""The infinite-width neural tangent kernel of a ReLU network (chapter 11, §11.4.2, Thm 11.3).

In the *NTK parameterization* every weight and bias is a standard normal, and each layer divides
its weighted sum by the square root of its **fan-in**:

    g^(l) = W^(l) o^(l−1) / √d_(l−1) + β b^(l),    o^(l) = ReLU(g^(l)),    W, b ~ N(0, 1).

(The book's §11.4.2 writes 1/√d^(l), the layer's *output* width; the normalization that makes
the limit exist is the fan-in d_(l−1), the width of o^(l−1), as in Jacot et al. 2018.) As every
hidden width grows, the empirical kernel Θ̂(x, x') = ⟨∂f(x)/∂θ, ∂f(x')/∂θ⟩ of such a network at
initialization converges to a deterministic kernel Θ (Thm 11.3), given by a recursion over the
layers that only needs the Gaussian expectations of ReLU:

    Σ¹ = X Xᵀ / d0 + β²,                                        Θ¹ = Σ¹,
    Σ^(l+1)_ij = √(Σ_ii Σ_jj) / (2π) · (sin θ_ij + (π − θ_ij) cos θ_ij) + β²,
    Σ̇^(l+1)_ij = (π − θ_ij) / (2π),                              θ_ij = arccos(Σ_ij / √(Σ_ii Σ_jj)),
    Θ^(l+1) = Θ^l ⊙ Σ̇^(l+1) + Σ^(l+1)                            (all on Σ = Σ^l).

Conventions: row layout (sample n is row n of X, shape (N, d0)); ``depth`` is the number of
hidden ReLU layers, so the network has depth + 1 affine layers and one output, and the kernel is
Θ^(depth+1). Weights are drawn on the CPU from ``torch.Generator().manual_seed(seed)`` and then
moved to ``device``, so a CPU and a CUDA network of the same seed are the same network. Tensors
keep their dtype and device. Needs rows of X that are not zero, or β > 0.
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import torch
from torch import nn

from geodl_ref._validation import check_int, check_scalar, check_tensor

__all__ = ["ntk_error", "ntk_param_mlp", "relu_ntk_analytic"]


def _check_dtype(dtype: Any) -> torch.dtype:
    """A floating torch dtype from a dtype or its name (``torch.float64``, ``"float32"``)."""
    if isinstance(dtype, str):
        dtype = getattr(torch, dtype.removeprefix("torch."), dtype)
    if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
        raise TypeError(f"dtype should be a floating torch dtype such as torch.float64; got dtype={dtype!r}")
    return dtype


def _check_ints(values: Any, *, name: str, lo: int) -> list[int]:
    """A non-empty sequence of ints ≥ lo, as a list, or raise naming it."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or len(values) == 0:
        raise TypeError(f"{name} should be a non-empty list of integers; got {name}={values!r}")
    return [check_int(v, name=f"{name}[{i}]", lo=lo) for i, v in enumerate(values)]


def relu_ntk_analytic(X: torch.Tensor, depth: int, beta: float = 0.1) -> torch.Tensor:
    """The infinite-width NTK Θ of a ReLU network with ``depth`` hidden layers (Thm 11.3).

    Parameters
    ----------
    X : Tensor of shape (N, d0), floating
        The inputs, one per row.
    depth : int
        Number of hidden ReLU layers, ≥ 0 (0: the affine map, Θ = X Xᵀ / d0 + β²).
    beta : float, default 0.1
        The bias scale β ≥ 0 of the NTK parameterization.

    Returns
    -------
    Tensor of shape (N, N)
        Θ^(depth+1), symmetric positive definite for distinct inputs; the dtype and device of X.

    Examples
    --------
    >>> X = torch.tensor([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]], dtype=torch.float64)
    >>> relu_ntk_analytic(X, depth=0, beta=0.0)
    tensor([[0.5000, 0.0000, 0.5000],
            [0.0000, 2.0000, 1.0000],
            [0.5000, 1.0000, 1.0000]], dtype=torch.float64)
    >>> theta = relu_ntk_analytic(X, depth=2)
    >>> bool(torch.allclose(theta, theta.T)), bool(torch.linalg.eigvalsh(theta).min() > 0)
    (True, True)
    """
    X = check_tensor(X, name="X", layout="(N, d0)", ndim=2, finite=True)
    depth = check_int(depth, name="depth", lo=0)
    beta = check_scalar(beta, name="beta", lo=0)
    ### BEGIN SOLUTION
    sigma = X @ X.T / X.shape[1] + beta**2                       # Σ¹ = X Xᵀ / d0 + β²       (N, N)
    theta = sigma                                                # Θ¹ = Σ¹
    for _ in range(depth):
        diag = torch.diagonal(sigma)                             # Σ_ii                      (N,)
        norms = torch.sqrt(torch.outer(diag, diag))              # √(Σ_ii Σ_jj); ρ_ii = 1 exactly (N, N)
        rho = torch.clamp(sigma / norms, -1.0, 1.0)              # cos θ: rounding can pass ±1, arccos would NaN
        angle = torch.arccos(rho)                                # θ_ij ∈ [0, π]
        sigma_dot = (math.pi - angle) / (2 * math.pi)            # Σ̇ = E[ReLU′(u) ReLU′(v)]
        sigma = norms / (2 * math.pi) * (torch.sin(angle) + (math.pi - angle) * rho) + beta**2  # Σ^(l+1)
        theta = theta * sigma_dot + sigma                        # Θ^(l+1) = Θ^l Σ̇^(l+1) + Σ^(l+1)
    return theta
    ### END SOLUTION


### BEGIN SOLUTION
class _NTKLinear(nn.Module):
    """g = W h / √fan_in + β b with W (fan_out, fan_in) and b (fan_out,) the raw N(0, 1) parameters."""

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor, beta: float):
        super().__init__()
        self.weight = nn.Parameter(weight)                       # (fan_out, fan_in)
        self.bias = nn.Parameter(bias)                           # (fan_out,)
        self.beta = beta

    def forward(self, h: torch.Tensor) -> torch.Tensor:         # h: (N, fan_in)
        return h @ self.weight.T / math.sqrt(self.weight.shape[1]) + self.beta * self.bias  # (N, fan_out)


def _empirical_ntk(model: nn.Module, X: torch.Tensor) -> torch.Tensor:
    """Θ̂ = J Jᵀ over every parameter of a one-output ``model``; (N, N).

    One backward pass per input, batched: the rows of the identity, as the outputs' cotangents,
    pick out ∂f(x_n)/∂θ_j for every n at once (shape (N, *θ_j.shape))."""
    params = list(model.parameters())
    out = model(X)[:, 0]                                         # f(x_n)                    (N,)
    eye = torch.eye(len(X), dtype=X.dtype, device=X.device)
    grads = torch.autograd.grad(out, params, grad_outputs=eye, is_grads_batched=True)
    K = torch.zeros(len(X), len(X), dtype=X.dtype, device=X.device)
    for G in grads:                                              # one parameter tensor at a time
        G = G.reshape(len(X), -1)                                # ∂f(x_n)/∂θ_j              (N, P_j)
        K += G @ G.T
    return K
### END SOLUTION


def ntk_param_mlp(d0: int, width: int, depth: int, beta: float = 0.1, seed: int = 0, device: Any = "cpu",
                  dtype: Any = torch.float64) -> nn.Module:
    """A ReLU network d0 → width → … → width → 1 in the NTK parameterization, at initialization.

    Layer l computes W^(l) o / √fan_in + β b^(l) (ReLU after every layer but the last), its
    parameters ``weight`` = W^(l) of shape (fan_out, fan_in) and ``bias`` = b^(l) of shape
    (fan_out,) standard normal. They are drawn on the CPU from one generator
    ``g = torch.Generator().manual_seed(seed)``, layer by layer from the input: first
    ``torch.randn(fan_out, fan_in, generator=g, dtype=dtype)``, then ``torch.randn(fan_out,
    generator=g, dtype=dtype)``, and only then moved to ``device``.

    Parameters
    ----------
    d0, width : int
        Input dimension and hidden width, ≥ 1.
    depth : int
        Number of hidden ReLU layers, ≥ 0.
    beta : float, default 0.1
        Bias scale β ≥ 0.
    seed : int, default 0
        Seed of the CPU generator.
    device : str or torch.device, default "cpu"
        Where the parameters live.
    dtype : torch.dtype or its name, default torch.float64
        The parameters' dtype (they are drawn in it).

    Returns
    -------
    nn.Module
        Maps X (N, d0) to f(X) of shape (N, 1); its parameters are exactly the 2 (depth + 1)
        weights and biases above.

    Examples
    --------
    >>> net = ntk_param_mlp(3, 16, 2, seed=1)
    >>> [tuple(p.shape) for p in net.parameters()]
    [(16, 3), (16,), (16, 16), (16,), (1, 16), (1,)]
    >>> g = torch.Generator().manual_seed(1)
    >>> bool(torch.equal(next(net.parameters()), torch.randn(16, 3, generator=g, dtype=torch.float64)))
    True
    >>> net(torch.ones(4, 3, dtype=torch.float64)).shape
    torch.Size([4, 1])
    """
    d0, width = check_int(d0, name="d0", lo=1), check_int(width, name="width", lo=1)
    depth = check_int(depth, name="depth", lo=0)
    beta, seed = check_scalar(beta, name="beta", lo=0), check_int(seed, name="seed", lo=0)
    device, dtype = torch.device(device), _check_dtype(dtype)
    ### BEGIN SOLUTION
    g = torch.Generator().manual_seed(seed)                     # on the CPU, whatever the device
    dims = [d0] + [width] * depth + [1]
    layers: list[nn.Module] = []
    for l, (fan_in, fan_out) in enumerate(zip(dims[:-1], dims[1:])):
        W = torch.randn(fan_out, fan_in, generator=g, dtype=dtype)   # W^(l) ~ N(0, 1)     (fan_out, fan_in)
        b = torch.randn(fan_out, generator=g, dtype=dtype)           # b^(l) ~ N(0, 1)     (fan_out,)
        layers.append(_NTKLinear(W.to(device), b.to(device), beta))
        if l < depth:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)
    ### END SOLUTION


def ntk_error(X: torch.Tensor, depth: int, widths: Sequence[int], seeds: Sequence[int] = (0, 1),
              device: Any = "cpu", beta: float = 0.1) -> list[float]:
    """How far the empirical NTK of finite networks is from the infinite-width one, per width.

    For each width w, the mean over ``seeds`` of the relative Frobenius error
    ‖Θ̂_{w,s} − Θ‖_F / ‖Θ‖_F, where Θ̂_{w,s} is the empirical NTK (over every weight and bias) at
    X of ``ntk_param_mlp(d0, w, depth, beta, s, device, torch.float64)`` and Θ is
    ``relu_ntk_analytic(X, depth, beta)``. Computed in float64 on ``device``. The error shrinks
    like 1/√w.

    Parameters
    ----------
    X : Tensor of shape (N, d0), floating
        The inputs (moved to ``device`` as float64).
    depth : int
        Number of hidden ReLU layers, ≥ 0.
    widths : sequence of int
        Hidden widths, each ≥ 1.
    seeds : sequence of int, default (0, 1)
        Seeds of the networks averaged at each width.
    device : str or torch.device, default "cpu"
    beta : float, default 0.1

    Returns
    -------
    list of float
        One mean relative error per width, in the order of ``widths``.

    Examples
    --------
    >>> X = torch.tensor([[1.0, 0.0, 0.5], [0.0, 2.0, -1.0], [1.0, 1.0, 0.0]], dtype=torch.float64)
    >>> small, large = ntk_error(X, 2, [32, 2048])
    >>> large < small / 2
    True
    """
    X = check_tensor(X, name="X", layout="(N, d0)", ndim=2, finite=True)
    depth = check_int(depth, name="depth", lo=0)
    widths, seeds = _check_ints(widths, name="widths", lo=1), _check_ints(seeds, name="seeds", lo=0)
    device, beta = torch.device(device), check_scalar(beta, name="beta", lo=0)
    ### BEGIN SOLUTION
    X = X.to(device=device, dtype=torch.float64)
    theta = relu_ntk_analytic(X, depth, beta)                    # Θ                         (N, N)
    errors = []
    for width in widths:
        per_seed = []
        for seed in seeds:
            net = ntk_param_mlp(X.shape[1], width, depth, beta, seed, device, torch.float64)
            K = _empirical_ntk(net, X)                           # Θ̂_{w,s}                   (N, N)
            per_seed.append(float(torch.linalg.norm(K - theta) / torch.linalg.norm(theta)))
        errors.append(sum(per_seed) / len(per_seed))
    return errors
    ### END SOLUTION
