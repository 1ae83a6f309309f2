"""GAN losses (chapter 13): the original minimax game, Wasserstein GAN with a gradient penalty,
spectral normalization and the cycle-consistency loss, in torch.

Every loss takes the discriminator's *logits* (or a critic's raw scores), never probabilities:
log D = log σ(a) = −softplus(−a) and log(1 − D) = −softplus(a) are computed from the logit a
directly, so a logit of ±10⁴ gives a finite loss where ``torch.log(torch.sigmoid(a))`` gives
−inf. Losses are means over the batch (``reduction='mean'``) and keep the dtype and device of
their inputs.

* The discriminator's loss is −V(D, G) of eq 13.46, the binary cross-entropy of real samples
  labelled 1 plus that of fake samples labelled 0; the generator minimizes the non-saturating
  −E log D(G(z)) instead of E log(1 − D(G(z))), whose gradient vanishes when D wins.
* The WGAN critic minimizes −(E φ(x) − E φ(G(z))) (eq 13.56), regularized by the gradient
  penalty E (‖∇φ(x̃)‖₂ − 1)² at x̃ = αx + (1 − α)G(z) (eq 13.57), one α and one norm per sample.
* Spectral normalization divides a weight by σ = uᵀWv, the largest singular value estimated by
  power iteration (Miyato et al., "Spectral normalization for GANs", 2018), so that a linear
  layer is 1-Lipschitz.
* CycleGAN's cycle loss is ‖F(G(x)) − x‖₁ + ‖G(F(y)) − y‖₁, each term a mean over entries
  (eq 13.86, as ``nn.L1Loss``).
"""
from __future__ import annotations

from typing import Callable

import torch

from geodl_ref._validation import check_tensor

__all__ = [
    "cycle_loss",
    "d_loss_bce",
    "g_loss_nonsat",
    "gradient_penalty",
    "power_iteration_sigma",
    "spectral_normalize",
    "wgan_critic_loss",
]


def _same_shape(a: torch.Tensor, b: torch.Tensor, *, what: str) -> None:
    if a.shape != b.shape:
        raise ValueError(f"{what} should have the same shape; got {tuple(a.shape)} and {tuple(b.shape)}")


def d_loss_bce(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """The discriminator's loss −V(D, G) of the original GAN (eq 13.46), from logits.

    V(D, G) = E_x log D(x) + E_z log(1 − D(G(z))) with D = σ(logit). The loss is the binary
    cross-entropy of the real logits against label 1 plus that of the fake logits against label
    0, each a mean over its batch: mean softplus(−a_real) + mean softplus(a_fake).

    Parameters
    ----------
    real_logits : Tensor of shape (B_r,) or (B_r, 1), floating
        The discriminator's logits on real samples.
    fake_logits : Tensor of shape (B_f,) or (B_f, 1), floating
        Its logits on generated samples (B_f may differ from B_r).

    Returns
    -------
    Tensor of shape (), the dtype of the inputs
        −V̂(D, G) ≥ 0, finite for any finite logits.

    Examples
    --------
    >>> import torch
    >>> d_loss_bce(torch.zeros(3), torch.zeros(5))           # D = ½ everywhere: 2 ln 2
    tensor(1.3863)
    >>> d_loss_bce(torch.tensor([1e4]), torch.tensor([-1e4]))  # a perfect discriminator
    tensor(0.)
    """
    real_logits = check_tensor(real_logits, name="real_logits", min_ndim=1)
    fake_logits = check_tensor(fake_logits, name="fake_logits", min_ndim=1)
    ### BEGIN SOLUTION
    zero = real_logits.new_zeros(())
    real_term = torch.logaddexp(zero, -real_logits).mean()   # −E log σ(a) = E log(1 + e^{−a})
    fake_term = torch.logaddexp(zero, fake_logits).mean()    # −E log(1 − σ(a)) = E log(1 + e^{a})
    return real_term + fake_term                             # −V(D, G), eq 13.46
    ### END SOLUTION


def g_loss_nonsat(fake_logits: torch.Tensor) -> torch.Tensor:
    """The generator's non-saturating loss −E_z log D(G(z)), from the discriminator's logits.

    Goodfellow et al. replace the minimax generator loss E log(1 − D(G(z))) (eq 13.46), whose
    gradient vanishes where D confidently rejects the fakes, by −E log D(G(z)): the BCE of the
    fake logits against label 1, mean softplus(−a_fake).

    Parameters
    ----------
    fake_logits : Tensor of shape (B,) or (B, 1), floating
        The discriminator's logits on generated samples.

    Returns
    -------
    Tensor of shape (), the dtype of the input

    Examples
    --------
    >>> import torch
    >>> g_loss_nonsat(torch.tensor([0.0, 0.0]))
    tensor(0.6931)
    >>> g_loss_nonsat(torch.tensor([-1e4]))                   # D rejects the fake: a large loss
    tensor(10000.)
    """
    fake_logits = check_tensor(fake_logits, name="fake_logits", min_ndim=1)
    ### BEGIN SOLUTION
    return torch.logaddexp(fake_logits.new_zeros(()), -fake_logits).mean()  # −E log σ(a)
    ### END SOLUTION


def wgan_critic_loss(real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """The WGAN critic's loss −(E φ(x) − E φ(G(z))) (eq 13.56), from its scores.

    The critic φ maximizes the Kantorovich–Rubinstein dual E_P φ − E_Q φ over 1-Lipschitz
    functions; as a loss to minimize, mean(φ(fake)) − mean(φ(real)).

    Parameters
    ----------
    real : Tensor of shape (B_r,) or (B_r, 1), floating
        The critic's scores φ(x) on real samples.
    fake : Tensor of shape (B_f,) or (B_f, 1), floating
        Its scores φ(G(z)) on generated samples.

    Returns
    -------
    Tensor of shape (), the dtype of the inputs

    Examples
    --------
    >>> import torch
    >>> wgan_critic_loss(torch.tensor([2.0, 4.0]), torch.tensor([1.0, 0.0, -1.0]))
    tensor(-3.)
    """
    real = check_tensor(real, name="real", min_ndim=1)
    fake = check_tensor(fake, name="fake", min_ndim=1)
    ### BEGIN SOLUTION
    return fake.mean() - real.mean()   # −(E φ(x) − E φ(G z)), eq 13.56
    ### END SOLUTION


def gradient_penalty(critic: Callable[[torch.Tensor], torch.Tensor], x_real: torch.Tensor, x_fake: torch.Tensor,
                     alpha: torch.Tensor) -> torch.Tensor:
    """WGAN-GP's gradient penalty E (‖∇_x̃ φ(x̃)‖₂ − 1)² (eq 13.57), differentiable in φ's parameters.

    Each sample b gets its own interpolate x̃_b = α_b x_b + (1 − α_b) x_fake,b and its own norm
    ‖∇φ(x̃_b)‖₂ over all of its entries; the penalty is the mean over the batch. The gradient is
    taken with ``create_graph=True`` so that the penalty can be back-propagated into the critic's
    weights (a double backward); the critic must treat samples independently (no batch norm).

    Parameters
    ----------
    critic : callable
        φ: maps a tensor of shape (B, ...) to scores of shape (B,) or (B, 1).
    x_real, x_fake : Tensor of shape (B, ...), floating
        Real and generated samples (images (B, C, H, W) or vectors (B, d)).
    alpha : Tensor of shape (B, 1, ..., 1), floating
        One interpolation weight per sample, as many dimensions as x (e.g. (B, 1, 1, 1)).

    Returns
    -------
    Tensor of shape (), the dtype of the inputs
        The penalty; it requires grad when φ's parameters do.

    Examples
    --------
    >>> import torch
    >>> w = torch.tensor([3.0, 4.0])
    >>> critic = lambda x: x @ w                      # ∇φ = w everywhere: (‖w‖ − 1)² = 16
    >>> x = torch.zeros(5, 2)
    >>> gradient_penalty(critic, x, x + 1, torch.full((5, 1), 0.3))
    tensor(16.)
    """
    x_real = check_tensor(x_real, name="x_real", min_ndim=2)
    x_fake = check_tensor(x_fake, name="x_fake", min_ndim=2)
    _same_shape(x_real, x_fake, what="x_real and x_fake")
    alpha = check_tensor(alpha, name="alpha", ndim=x_real.ndim)
    if alpha.shape != (x_real.shape[0],) + (1,) * (x_real.ndim - 1):
        raise ValueError(f"alpha should have shape (B, 1, ..., 1) = {(x_real.shape[0],) + (1,) * (x_real.ndim - 1)}"
                         f"; got alpha.shape={tuple(alpha.shape)}")
    if not callable(critic):
        raise TypeError(f"critic should be callable; got {type(critic).__name__}")
    ### BEGIN SOLUTION
    x_hat = alpha * x_real + (1 - alpha) * x_fake                  # (B, ...), one α per sample
    if not x_hat.requires_grad:
        x_hat.requires_grad_(True)
    scores = critic(x_hat)                                          # (B,) or (B, 1)
    # samples are independent, so ∂(Σ_b φ(x̃_b))/∂x̃_b = ∇φ(x̃_b): one backward gives every sample's gradient
    (grad,) = torch.autograd.grad(scores.sum(), x_hat, create_graph=True)   # (B, ...), keeps the graph
    norms = torch.linalg.vector_norm(grad.flatten(1), dim=1)       # (B,), one norm per sample
    return ((norms - 1) ** 2).mean()                                # eq 13.57
    ### END SOLUTION


def power_iteration_sigma(W: torch.Tensor, n_iter: int, u0: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor,
                                                                                    torch.Tensor]:
    """The largest singular value of W by power iteration, as SN-GAN computes it.

    From u = u0/‖u0‖, each iteration sets v ← Wᵀu/‖Wᵀu‖ then u ← Wv/‖Wv‖; after ``n_iter`` of
    them σ = uᵀWv. u and v are computed without gradient (as in ``torch.nn.utils.spectral_norm``)
    and σ is differentiable in W. Both u and v are unit vectors: the estimate converges to σ₁
    from below at the rate (σ₂/σ₁)^{2k}.

    Parameters
    ----------
    W : Tensor of shape (m, n), floating
    n_iter : int
        Number of iterations, ≥ 1.
    u0 : Tensor of shape (m,), floating
        The starting left vector (non-zero).

    Returns
    -------
    sigma : Tensor of shape ()
        The estimate uᵀWv of σ₁(W).
    u : Tensor of shape (m,)
        The left singular vector estimate, ‖u‖ = 1.
    v : Tensor of shape (n,)
        The right singular vector estimate, ‖v‖ = 1.

    Examples
    --------
    >>> import torch
    >>> W = torch.tensor([[3.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    >>> sigma, u, v = power_iteration_sigma(W, 5, torch.tensor([1.0, 1.0]))
    >>> round(float(sigma), 4), u.shape, v.shape
    (3.0, torch.Size([2]), torch.Size([3]))
    """
    W = check_tensor(W, name="W", ndim=2)
    u0 = check_tensor(u0, name="u0", ndim=1)
    if u0.shape[0] != W.shape[0]:
        raise ValueError(f"u0 should have shape (m,) = ({W.shape[0]},); got u0.shape={tuple(u0.shape)}")
    if isinstance(n_iter, bool) or not isinstance(n_iter, int) or n_iter < 1:
        raise ValueError(f"n_iter should be an integer >= 1; got n_iter={n_iter!r}")
    ### BEGIN SOLUTION
    with torch.no_grad():
        u = _normalize(u0)                  # (m,)
        for _ in range(n_iter):
            v = _normalize(W.T @ u)         # (n,)
            u = _normalize(W @ v)           # (m,)
    sigma = u @ (W @ v)                     # uᵀWv, differentiable in W
    return sigma, u, v
    ### END SOLUTION


### BEGIN SOLUTION
def _normalize(x: torch.Tensor, eps: float = 1e-12) -> torch.Tensor:
    """x/‖x‖, with the norm kept ≥ eps (as ``torch.nn.functional.normalize``)."""
    return x / torch.linalg.vector_norm(x).clamp_min(eps)
### END SOLUTION


def spectral_normalize(W: torch.Tensor, n_iter: int) -> torch.Tensor:
    """W/σ with σ the power-iteration estimate of its spectral norm (SN-GAN).

    Runs :func:`power_iteration_sigma` from the fixed start u0 = (1, …, 1)/√m, so the result is
    deterministic. With enough iterations W/σ has spectral norm 1, so x ↦ (W/σ)x is 1-Lipschitz,
    and so is a ReLU network built from such layers.

    Parameters
    ----------
    W : Tensor of shape (m, n), floating
    n_iter : int
        Number of power iterations, ≥ 1.

    Returns
    -------
    Tensor of shape (m, n), the dtype of W

    Examples
    --------
    >>> import torch
    >>> spectral_normalize(torch.tensor([[3.0, 0.0], [0.0, 1.0], [0.0, 0.0]]), 10)
    tensor([[1.0000, 0.0000],
            [0.0000, 0.3333],
            [0.0000, 0.0000]])
    """
    W = check_tensor(W, name="W", ndim=2)
    if isinstance(n_iter, bool) or not isinstance(n_iter, int) or n_iter < 1:
        raise ValueError(f"n_iter should be an integer >= 1; got n_iter={n_iter!r}")
    ### BEGIN SOLUTION
    u0 = W.new_ones(W.shape[0])
    sigma, _, _ = power_iteration_sigma(W, n_iter, u0)
    return W / sigma
    ### END SOLUTION


def cycle_loss(x: torch.Tensor, x_rec: torch.Tensor, y: torch.Tensor, y_rec: torch.Tensor) -> torch.Tensor:
    """CycleGAN's cycle-consistency loss ‖F(G(x)) − x‖₁ + ‖G(F(y)) − y‖₁ (eq 13.86).

    Each term is the mean absolute error over all of its entries (``nn.L1Loss()``); the two
    domains may have different shapes.

    Parameters
    ----------
    x, x_rec : Tensor of shape (B, ...), floating
        Samples of domain X and their reconstructions F(G(x)).
    y, y_rec : Tensor of shape (B', ...), floating
        Samples of domain Y and their reconstructions G(F(y)).

    Returns
    -------
    Tensor of shape (), zero exactly when both reconstructions are exact.

    Examples
    --------
    >>> import torch
    >>> x, y = torch.zeros(2, 3), torch.zeros(4)
    >>> cycle_loss(x, x + 0.5, y, y - 1.0)
    tensor(1.5000)
    """
    x = check_tensor(x, name="x", min_ndim=1)
    x_rec = check_tensor(x_rec, name="x_rec", min_ndim=1)
    y = check_tensor(y, name="y", min_ndim=1)
    y_rec = check_tensor(y_rec, name="y_rec", min_ndim=1)
    _same_shape(x, x_rec, what="x and x_rec")
    _same_shape(y, y_rec, what="y and y_rec")
    ### BEGIN SOLUTION
    return (x_rec - x).abs().mean() + (y_rec - y).abs().mean()   # eq 13.86, mean-reduced L1
    ### END SOLUTION
