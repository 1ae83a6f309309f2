"""The empirical neural tangent kernel of a torch model, and what it predicts about one step of
gradient descent (chapter 11, §11.4, eqs 11.20–11.22).

For a model f(x; θ) with k outputs and inputs x_1..x_N, let J_n = ∂f(x_n)/∂θ be the (k, P) Jacobian
of sample n's outputs with respect to *all* P parameters (every weight and every bias). The
empirical NTK is the (N·k, N·k) matrix whose (m, n) block of size k × k is

    K_mn = J_m J_nᵀ,                                                   (11.22)

laid out **sample-major**: row m·k + i is output i of sample m (``K.reshape(N, k, N, k)[m, i, n,
j]`` = ⟨∂f_i(x_m)/∂θ, ∂f_j(x_n)/∂θ⟩). Stacking the J_n gives J (N·k, P) and K = J Jᵀ, symmetric
positive semi-definite.

The NTK is what links parameter space to function space: one gradient-descent step
θ' = θ − η ∇_θ L on L = ½ Σ_n ‖f(x_n) − y_n‖² changes the outputs by, to first order in η,

    Δf = J (θ' − θ) = −η J Jᵀ (f − y) = −η K (f − y),                 (11.20–11.21)

with f − y flattened sample-major. The error of that prediction is O(η²).

Conventions: row layout (X is (N, d), one sample per row); the model maps X to (N, k); tensors
keep the model's dtype. ``torch.func`` is allowed. Neither function changes the model.
"""
from __future__ import annotations

from typing import Any

import torch
from torch import nn
from torch.func import functional_call

from geodl_ref._validation import check_scalar

__all__ = ["empirical_ntk", "gd_output_change"]


def _check_model_and_inputs(model: Any, X: Any) -> tuple[int, int]:
    """(N, k) for a model with parameters mapping the 2-d floating tensor X to (N, k), or raise."""
    if not isinstance(model, nn.Module):
        raise TypeError(f"model should be a torch.nn.Module; got {type(model).__name__}")
    parameters = list(model.parameters())
    if not parameters:
        raise ValueError("model should have at least one parameter")
    if not isinstance(X, torch.Tensor) or not X.is_floating_point():
        raise TypeError(f"X should be a floating-point torch tensor of shape (N, d); got {type(X).__name__}")
    if X.ndim != 2:
        raise ValueError(f"X should be a 2-d tensor of shape (N, d); got X.shape={tuple(X.shape)}")
    if any(p.dtype != X.dtype for p in parameters):
        raise TypeError(f"X should have the dtype of the model's parameters ({parameters[0].dtype}); got {X.dtype}")
    with torch.no_grad():
        out = model(X)
    if not isinstance(out, torch.Tensor) or out.ndim != 2 or out.shape[0] != X.shape[0]:
        shape = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
        raise ValueError(f"model(X) should have shape (N, k) = ({X.shape[0]}, k); got {shape}")
    return X.shape[0], out.shape[1]


def empirical_ntk(model: nn.Module, X: torch.Tensor) -> torch.Tensor:
    """The empirical NTK of ``model`` at the rows of ``X``, over all its parameters (eq 11.22).

    Parameters
    ----------
    model : nn.Module
        Maps a batch X (N, d) to outputs (N, k); every parameter counts (weights and biases of
        every layer).
    X : Tensor of shape (N, d)
        Inputs, one per row, of the dtype of the model's parameters.

    Returns
    -------
    Tensor of shape (N·k, N·k)
        K with block (m, n) = J_m J_nᵀ, sample-major (row m·k + i is output i of sample m);
        symmetric PSD, in the model's dtype. The model is left as it was.

    Examples
    --------
    A linear model f(x) = W x (no bias) has J_n = I_k ⊗ x_nᵀ, so K = X Xᵀ ⊗ I_k:

    >>> lin = nn.Linear(3, 2, bias=False, dtype=torch.float64)
    >>> X = torch.tensor([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0]], dtype=torch.float64)
    >>> empirical_ntk(lin, X)
    tensor([[ 5.,  0., -2.,  0.],
            [ 0.,  5.,  0., -2.],
            [-2.,  0.,  2.,  0.],
            [ 0., -2.,  0.,  2.]], dtype=torch.float64)
    >>> bool(torch.equal(empirical_ntk(lin, X), torch.kron(X @ X.T, torch.eye(2, dtype=torch.float64))))
    True
    """
    N, k = _check_model_and_inputs(model, X)
    ### BEGIN SOLUTION
    theta = {name: p.detach().requires_grad_(True) for name, p in model.named_parameters()}
    out = functional_call(model, theta, (X,))                   # f(x_n)_i                  (N, k)
    rows = []
    for n in range(N):                                          # row n·k + i: sample-major
        for i in range(k):
            grads = torch.autograd.grad(out[n, i], list(theta.values()), retain_graph=True, allow_unused=True)
            rows.append(torch.cat([(torch.zeros_like(p) if g is None else g).reshape(-1)
                                   for g, p in zip(grads, theta.values())]))   # ∂f_i(x_n)/∂θ  (P,)
    J = torch.stack(rows)                                       # J                         (N·k, P)
    return J @ J.T                                              # K_mn = J_m J_nᵀ           (N·k, N·k)
    ### END SOLUTION


def gd_output_change(model: nn.Module, X: torch.Tensor, y: torch.Tensor,
                     lr: float) -> tuple[torch.Tensor, torch.Tensor]:
    """One gradient-descent step on ½ Σ_n ‖f(x_n) − y_n‖²: the actual change of the outputs and
    the change the NTK predicts (eqs 11.20–11.22).

    Parameters
    ----------
    model : nn.Module
        Maps X (N, d) to (N, k). It is not changed: the step is taken on a copy of its parameters.
    X : Tensor of shape (N, d)
        Inputs, of the model's dtype.
    y : Tensor of shape (N, k)
        Targets, of the model's dtype.
    lr : float
        Step size η > 0.

    Returns
    -------
    delta_actual : Tensor of shape (N, k)
        f(X; θ − η ∇L) − f(X; θ).
    delta_pred : Tensor of shape (N, k)
        −η K (f(X; θ) − y), with K = ``empirical_ntk(model, X)`` acting on the sample-major
        flattening of the residual, reshaped back to (N, k). The two differ by O(η²).

    Examples
    --------
    >>> g = torch.manual_seed(0)                                 # nn.Linear draws its weights from it
    >>> net = nn.Sequential(nn.Linear(3, 8, dtype=torch.float64), nn.Tanh(), nn.Linear(8, 2, dtype=torch.float64))
    >>> X = torch.randn(4, 3, generator=g, dtype=torch.float64)
    >>> y = torch.randn(4, 2, generator=g, dtype=torch.float64)
    >>> errors = [float(torch.linalg.norm(torch.sub(*gd_output_change(net, X, y, lr)))) for lr in (1e-2, 1e-3)]
    >>> 50 < errors[0] / errors[1] < 200                        # the prediction error is O(η²)
    True
    """
    N, k = _check_model_and_inputs(model, X)
    if not isinstance(y, torch.Tensor) or tuple(y.shape) != (N, k) or y.dtype != X.dtype:
        got = f"{tuple(y.shape)} {y.dtype}" if isinstance(y, torch.Tensor) else type(y).__name__
        raise ValueError(f"y should be a tensor of shape (N, k) = ({N}, {k}) and dtype {X.dtype}; got {got}")
    lr = check_scalar(lr, name="lr", lo=0, lo_open=True)
    ### BEGIN SOLUTION
    theta = {name: p.detach().requires_grad_(True) for name, p in model.named_parameters()}
    out = functional_call(model, theta, (X,))                   # f(X; θ)                   (N, k)
    residual = out - y                                          # f − y                     (N, k)
    loss = 0.5 * (residual**2).sum()                            # L = ½ Σ_n ‖f(x_n) − y_n‖²
    grads = torch.autograd.grad(loss, list(theta.values()))
    stepped = {name: p.detach() - lr * g for (name, p), g in zip(theta.items(), grads)}   # θ − η ∇L
    with torch.no_grad():
        delta_actual = functional_call(model, stepped, (X,)) - out.detach()             # (N, k)
    K = empirical_ntk(model, X)                                 # (N·k, N·k)
    delta_pred = -lr * (K @ residual.detach().reshape(-1)).reshape(N, k)               # −η K (f − y)
    return delta_actual, delta_pred
    ### END SOLUTION
