"""The variational autoencoder's pieces (chapter 13): the reparameterization trick, the Gaussian
KL term and the (β-)ELBO loss, in torch.

The encoder outputs, per sample, the mean μ and the *log-variance* logvar = log σ² of a diagonal
Gaussian q(z | x) = N(μ, diag σ²); the prior is N(0, I). All tensors are batch-first (rows are
samples, the book's row convention for ch13) and keep their dtype and device; gradients flow to
μ and logvar through every function.

* z = μ + e^{½ logvar} ⊙ ε with ε ~ N(0, I) drawn by the caller (eq 13.63): the sample is a
  deterministic, differentiable function of (μ, logvar) and the noise.
* KL(q ‖ p) = ½ Σ_j (σ_j² + μ_j² − log σ_j² − 1) per sample (eqs 13.64–13.65).
* The loss is the batch mean of ½‖x − x̂‖² + β KL, each summed over its dimensions (the negative
  ELBO with a unit-variance Gaussian decoder up to a constant, eq 13.67; β > 1 is the β-VAE of
  eq 13.69).
* The change of variables ε ↦ z has Jacobian diag(σ), so log|det ∂z/∂ε| = ½ Σ_j logvar_j
  (ex 13.12).
"""
from __future__ import annotations

import torch

from geodl_ref._validation import check_scalar, check_tensor

__all__ = ["elbo_loss", "gaussian_kl", "reparam_logdet", "reparameterize"]


def _same_shape(a: torch.Tensor, b: torch.Tensor, *, what: str) -> None:
    if a.shape != b.shape:
        raise ValueError(f"{what} should have the same shape; got {tuple(a.shape)} and {tuple(b.shape)}")


def reparameterize(mu: torch.Tensor, logvar: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
    """The reparameterization trick z = μ + e^{½ logvar} ⊙ ε (eq 13.63).

    The noise is an argument, so the function draws nothing: the same ε gives the same z, and z
    is differentiable in μ and logvar.

    Parameters
    ----------
    mu, logvar : Tensor of shape (B, k), floating
        The mean and the log-variance log σ² of q(z | x), one row per sample.
    eps : Tensor of shape (B, k), floating
        Standard normal noise.

    Returns
    -------
    Tensor of shape (B, k)
        The latent samples z.

    Examples
    --------
    >>> import torch
    >>> mu, logvar = torch.tensor([[1.0, -2.0]]), torch.tensor([[0.0, 2.0 * torch.log(torch.tensor(3.0))]])
    >>> reparameterize(mu, logvar, torch.tensor([[0.5, 1.0]]))   # σ = (1, 3)
    tensor([[1.5000, 1.0000]])
    """
    mu = check_tensor(mu, name="mu", ndim=2)
    logvar = check_tensor(logvar, name="logvar", ndim=2)
    eps = check_tensor(eps, name="eps", ndim=2)
    _same_shape(mu, logvar, what="mu and logvar")
    _same_shape(mu, eps, what="mu and eps")
    ### BEGIN SOLUTION
    return mu + torch.exp(0.5 * logvar) * eps   # σ = e^{½ log σ²}, eq 13.63
    ### END SOLUTION


def gaussian_kl(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(μ, diag σ²) ‖ N(0, I)) = ½ Σ_j (σ_j² + μ_j² − log σ_j² − 1), per sample (eqs 13.64–13.65).

    Each term σ² − log σ² − 1 ≥ 0 with equality only at σ = 1, so the KL is ≥ 0 and is 0 exactly
    at μ = 0, logvar = 0. Its gradients are ∂KL/∂μ = μ and ∂KL/∂logvar = ½(σ² − 1).

    Parameters
    ----------
    mu, logvar : Tensor of shape (B, k), floating

    Returns
    -------
    Tensor of shape (B,)
        One KL divergence per sample (summed over the k latent dimensions).

    Examples
    --------
    >>> import torch
    >>> gaussian_kl(torch.tensor([[0.0, 0.0], [1.0, 0.0]]), torch.zeros(2, 2))
    tensor([0.0000, 0.5000])
    """
    mu = check_tensor(mu, name="mu", ndim=2)
    logvar = check_tensor(logvar, name="logvar", ndim=2)
    _same_shape(mu, logvar, what="mu and logvar")
    ### BEGIN SOLUTION
    return 0.5 * (torch.exp(logvar) + mu ** 2 - logvar - 1).sum(dim=1)   # (B,), eq 13.65
    ### END SOLUTION


def elbo_loss(x: torch.Tensor, x_rec: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor,
              beta: float = 1.0) -> torch.Tensor:
    """The (β-)VAE loss: the batch mean of ½‖x − x̂‖² + β KL(q(z | x) ‖ N(0, I)) (eqs 13.67, 13.69).

    The reconstruction error is summed over all of a sample's entries (a unit-variance Gaussian
    decoder, up to a constant), the KL over its latent dimensions; the batch mean of their sum
    is returned. β = 1 is the negative ELBO; β > 1 weighs the prior more (β-VAE).

    Parameters
    ----------
    x, x_rec : Tensor of shape (B, ...), floating
        The data and the decoder's reconstructions (vectors (B, D) or images (B, C, H, W)).
    mu, logvar : Tensor of shape (B, k), floating
        The encoder's outputs for the same batch.
    beta : float, default 1.0
        The weight of the KL term, ≥ 0.

    Returns
    -------
    Tensor of shape ()

    Examples
    --------
    >>> import torch
    >>> x = torch.zeros(2, 3)
    >>> elbo_loss(x, x + 1.0, torch.zeros(2, 4), torch.zeros(2, 4))   # ½·3, no KL
    tensor(1.5000)
    >>> elbo_loss(x, x, torch.ones(2, 4), torch.zeros(2, 4), beta=2.0)   # 2 · ½ · 4
    tensor(4.)
    """
    x = check_tensor(x, name="x", min_ndim=2)
    x_rec = check_tensor(x_rec, name="x_rec", min_ndim=2)
    _same_shape(x, x_rec, what="x and x_rec")
    mu = check_tensor(mu, name="mu", ndim=2)
    logvar = check_tensor(logvar, name="logvar", ndim=2)
    _same_shape(mu, logvar, what="mu and logvar")
    if mu.shape[0] != x.shape[0]:
        raise ValueError(f"mu should have one row per sample of x ({x.shape[0]}); got mu.shape={tuple(mu.shape)}")
    beta = check_scalar(beta, name="beta", lo=0)
    ### BEGIN SOLUTION
    reconstruction = 0.5 * ((x - x_rec) ** 2).flatten(1).sum(dim=1)   # (B,), ½‖x − x̂‖² per sample
    return (reconstruction + beta * gaussian_kl(mu, logvar)).mean()   # batch mean, eq 13.67/13.69
    ### END SOLUTION


def reparam_logdet(logvar: torch.Tensor) -> torch.Tensor:
    """log|det ∂z/∂ε| of the reparameterization z = μ + σ ⊙ ε: ½ Σ_j logvar_j, per sample (ex 13.12).

    ∂z/∂ε = diag(σ), so log|det| = Σ_j log σ_j = ½ Σ_j log σ_j².

    Parameters
    ----------
    logvar : Tensor of shape (B, k), floating

    Returns
    -------
    Tensor of shape (B,)

    Examples
    --------
    >>> import torch
    >>> reparam_logdet(torch.tensor([[2.0, -1.0, 0.0], [0.0, 0.0, 0.0]]))
    tensor([0.5000, 0.0000])
    """
    logvar = check_tensor(logvar, name="logvar", ndim=2)
    ### BEGIN SOLUTION
    return 0.5 * logvar.sum(dim=1)   # Σ log σ_j
    ### END SOLUTION
