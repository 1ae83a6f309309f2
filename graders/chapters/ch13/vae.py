"""ch13.vae — the reparameterization trick z = μ + e^{½ logvar} ⊙ ε with the caller's noise, the
Gaussian KL against ``torch.distributions.kl_divergence`` and its gradients (μ and ½(σ² − 1), by
central differences of the student's function, with the autograd graph kept), the (β-)ELBO loss
(sums over dimensions, mean over the batch), 10⁵-sample moments, and log|det ∂z/∂ε| against the
autograd Jacobian."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Anything, Exercise, assert_close, distinct_dims, expect, rng, seeds
from graders.authoring.oracles import oracle
from graders.chapters.ch13._torch import requires_grad, tensor, tensor_value

exercise = Exercise(module="ch13.vae", functions=("reparameterize", "gaussian_kl", "elbo_loss", "reparam_logdet"),
                    forbidden=("torch.distributions",), title="VAE: reparameterization, KL and the ELBO")


def _latents(seed: int, B: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """μ ~ N(0, 1) and logvar ~ N(0, 1) of shape (B, k)."""
    r = rng(seed)
    return r.normal(size=(B, k)), r.normal(size=(B, k))


def _tensor(ctx, func: str, *args, shape: tuple[int, ...], dtype: str = "float64", **kwargs) -> np.ndarray:
    return tensor_value(ctx.call(func, *args, returns=Anything(), **kwargs), name=f"the result of {func}",
                        dtype=dtype, shape=shape)


def _kl(mu: np.ndarray, logvar: np.ndarray) -> np.ndarray:
    return 0.5 * np.sum(np.exp(logvar) + mu ** 2 - logvar - 1, axis=1)


# ---- the reparameterization trick (eq 13.63) ------------------------------------------------------

@exercise.check(points=2, given={"dims": distinct_dims(2, 1, 8), "seed": seeds()}, max_examples=8)
def reparameterize_is_mu_plus_sigma_eps(ctx, dims, seed):
    """reparameterize(μ, logvar, ε) is μ + e^{½ logvar} ⊙ ε (eq 13.63: logvar is log σ², so σ is
    e^{½ logvar}) with the noise ε the caller passes, for (B, k) inputs with B ≠ k (1e-12)."""
    B, k = dims
    mu, logvar = _latents(seed, B, k)
    eps = rng(seed + 1).normal(size=(B, k))
    got = _tensor(ctx, "reparameterize", tensor(mu), tensor(logvar), tensor(eps), shape=(B, k))
    assert_close(got, mu + np.exp(0.5 * logvar) * eps, rtol=1e-12, name="reparameterize(μ, logvar, ε)")


@exercise.check(points=1)
def reparameterized_samples_have_mean_mu_and_variance_sigma2(ctx):
    """With 10⁵ standard normal ε, the samples z of one (μ, logvar) have mean μ and variance
    σ² = e^{logvar}, each within 5 standard errors."""
    n = 100_000
    mu, logvar = np.array([0.5, -1.0, 2.0]), np.array([0.0, 1.0, -1.5])
    eps = rng(7).normal(size=(n, 3))
    z = _tensor(ctx, "reparameterize", tensor(np.tile(mu, (n, 1))), tensor(np.tile(logvar, (n, 1))),
                tensor(eps), shape=(n, 3))
    var = np.exp(logvar)
    mean_error, var_error = np.abs(z.mean(0) - mu), np.abs(z.var(0, ddof=1) - var)
    expect(np.all(mean_error <= 5 * np.sqrt(var / n)),
           f"the sample mean of z should be μ = {mu.tolist()} within 5 s.e. {(5 * np.sqrt(var / n)).tolist()}; "
           f"it is {z.mean(0).tolist()}")
    expect(np.all(var_error <= 5 * var * np.sqrt(2 / (n - 1))),
           f"the sample variance of z should be σ² = e^logvar = {var.tolist()} within 5 s.e.; it is "
           f"{z.var(0, ddof=1).tolist()}")


# ---- the KL term (eqs 13.64–13.65) ----------------------------------------------------------------

@oracle
def _torch_kl(mu: np.ndarray, logvar: np.ndarray) -> np.ndarray:
    """kl_divergence(Normal(μ, σ), Normal(0, 1)).sum(-1) of torch.distributions."""
    import torch
    from torch.distributions import Normal, kl_divergence

    q = Normal(torch.from_numpy(mu), torch.exp(0.5 * torch.from_numpy(logvar)))
    return kl_divergence(q, Normal(0.0, 1.0)).sum(-1).numpy()


@exercise.check(points=3, given={"dims": distinct_dims(2, 1, 8), "seed": seeds()}, max_examples=8)
def kl_matches_torch_distributions(ctx, dims, seed):
    """gaussian_kl(μ, logvar) is ½ Σ_j (σ_j² + μ_j² − log σ_j² − 1), one value per sample (B,), equal
    to kl_divergence(Normal(μ, σ), Normal(0, 1)).sum(-1) of torch.distributions (relative 1e-12)."""
    B, k = dims
    mu, logvar = _latents(seed, B, k)
    got = _tensor(ctx, "gaussian_kl", tensor(mu), tensor(logvar), shape=(B,))
    assert_close(got, _torch_kl(mu, logvar), rtol=1e-12, name="gaussian_kl(μ, logvar)")


@exercise.check(points=1)
def kl_is_zero_only_at_the_prior(ctx):
    """KL(q ‖ N(0, I)) is 0 for μ = 0, logvar = 0 and positive as soon as one entry of μ or logvar
    moves (by 1e-3)."""
    zeros = np.zeros((3, 4))
    got = _tensor(ctx, "gaussian_kl", tensor(zeros), tensor(zeros), shape=(3,))
    assert_close(got, np.zeros(3), rtol=0, atol=1e-15, name="gaussian_kl(0, 0)")
    bumped = zeros.copy()
    bumped[1, 2] = 1e-3
    for what, mu, logvar in (("μ", bumped, zeros), ("logvar", zeros, bumped)):
        got = _tensor(ctx, "gaussian_kl", tensor(mu), tensor(logvar), shape=(3,))
        expect(got[1] > 0 and got[0] == 0 and got[2] == 0,
               f"gaussian_kl should be positive only for the sample whose {what} moved by 1e-3 (row 1); got "
               f"{got.tolist()}")


@exercise.check(points=2, depends_on="kl_matches_torch_distributions")
def kl_gradients_are_mu_and_half_sigma2_minus_1(ctx):
    """With μ and logvar requiring grad, gaussian_kl comes back attached to the autograd graph, and
    its central differences (h = 1e-6) are ∂KL/∂μ = μ and ∂KL/∂logvar = ½(σ² − 1) (relative 1e-6);
    counts once kl_matches_torch_distributions passes."""
    B, k = 4, 3
    mu, logvar = _latents(11, B, k)
    value = ctx.call("gaussian_kl", tensor(mu, requires_grad=True), tensor(logvar, requires_grad=True),
                     returns=Anything())
    tensor_value(value, name="the result of gaussian_kl", shape=(B,))
    expect(requires_grad(value), "gaussian_kl(μ, logvar) should be differentiable in μ and logvar (they require "
                                 "grad), but its result does not require grad: compute it with torch operations")
    h = 1e-6
    for which, want in (("μ", mu), ("logvar", 0.5 * (np.exp(logvar) - 1))):
        grad = np.zeros((B, k))
        for j in range(k):          # column j of every row at once: KL_b depends on row b alone
            step = np.zeros((B, k))
            step[:, j] = h
            plus, minus = ((mu + s * step, logvar) if which == "μ" else (mu, logvar + s * step) for s in (1, -1))
            grad[:, j] = (_tensor(ctx, "gaussian_kl", *map(tensor, plus), shape=(B,))
                          - _tensor(ctx, "gaussian_kl", *map(tensor, minus), shape=(B,))) / (2 * h)
        assert_close(grad, want, rtol=1e-6, name=f"∂KL/∂{which} by central differences of gaussian_kl")


# ---- the loss (eqs 13.67, 13.69) ------------------------------------------------------------------

def _loss_case(seed: int, shape: tuple[int, ...], k: int):
    r = rng(seed)
    x = r.normal(size=shape)
    return x, x + r.normal(size=shape), r.normal(size=(shape[0], k)), r.normal(size=(shape[0], k))


def _loss(x, x_rec, mu, logvar, beta=1.0) -> float:
    reconstruction = 0.5 * np.sum((x - x_rec).reshape(len(x), -1) ** 2, axis=1)
    return float(np.mean(reconstruction + beta * _kl(mu, logvar)))


@exercise.check(points=3, given={"case": st.sampled_from([((6, 5), 3), ((4, 2, 3, 3), 5), ((1, 7), 2)]),
                                 "seed": seeds()}, max_examples=6)
def elbo_loss_sums_dimensions_and_averages_the_batch(ctx, case, seed):
    """elbo_loss(x, x_rec, μ, logvar) is the batch mean of ½‖x − x_rec‖² + KL, the squared error summed
    over all of a sample's entries (vectors (B, D) or images (B, C, H, W)) and the KL over its latent
    dimensions (eq 13.67; 1e-12)."""
    shape, k = case
    x, x_rec, mu, logvar = _loss_case(seed, shape, k)
    got = _tensor(ctx, "elbo_loss", *map(tensor, (x, x_rec, mu, logvar)), shape=())
    assert_close(got, _loss(x, x_rec, mu, logvar), rtol=1e-12, name="elbo_loss(x, x_rec, μ, logvar)")


@exercise.check(points=1)
def beta_weighs_only_the_kl(ctx):
    """β-VAE (eq 13.69): elbo_loss(..., beta=4) − elbo_loss(..., beta=1) = 3 · mean KL (1e-12 of the
    loss), and beta=0 leaves the reconstruction term alone."""
    x, x_rec, mu, logvar = _loss_case(13, (5, 6), 3)
    args = tuple(map(tensor, (x, x_rec, mu, logvar)))
    one, four, zero = (float(_tensor(ctx, "elbo_loss", *args, beta=beta, shape=())) for beta in (1.0, 4.0, 0.0))
    scale = abs(_loss(x, x_rec, mu, logvar, 4.0))
    assert_close(four - one, 3 * np.mean(_kl(mu, logvar)), rtol=0, atol=1e-12 * scale,
                 name="elbo_loss(beta=4) − elbo_loss(beta=1)")
    assert_close(zero, _loss(x, x_rec, mu, logvar, 0.0), rtol=1e-12, name="elbo_loss(beta=0)")


@exercise.check(points=1)
def gradients_reach_mu_and_logvar(ctx):
    """With μ and logvar requiring grad, reparameterize and elbo_loss come back attached to the
    autograd graph (no detach, no numpy round trip), with the right values."""
    x, x_rec, mu, logvar = _loss_case(17, (4, 3), 2)
    eps = rng(18).normal(size=mu.shape)
    mu_t, logvar_t = tensor(mu, requires_grad=True), tensor(logvar, requires_grad=True)
    for func, args, want in (("reparameterize", (mu_t, logvar_t, tensor(eps)), mu + np.exp(0.5 * logvar) * eps),
                             ("elbo_loss", (tensor(x), tensor(x_rec), mu_t, logvar_t),
                              _loss(x, x_rec, mu, logvar))):
        value = ctx.call(func, *args, returns=Anything())
        assert_close(tensor_value(value, name=f"the result of {func}", shape=np.shape(want)), want, rtol=1e-12,
                     name=f"{func} with μ and logvar requiring grad")
        expect(requires_grad(value), f"{func} should be differentiable in μ and logvar (they require grad), but its "
                                     "result does not require grad")


@exercise.check(points=1)
def vae_keeps_float32(ctx):
    """In float32 every function returns float32 tensors (relative 1e-5 of the float64 values)."""
    x, x_rec, mu, logvar = _loss_case(19, (3, 4), 2)
    eps = rng(20).normal(size=mu.shape)
    t = {name: tensor(a, dtype="float32") for name, a in
         (("x", x), ("x_rec", x_rec), ("mu", mu), ("logvar", logvar), ("eps", eps))}
    cases = (("reparameterize", (t["mu"], t["logvar"], t["eps"]), mu + np.exp(0.5 * logvar) * eps),
             ("gaussian_kl", (t["mu"], t["logvar"]), _kl(mu, logvar)),
             ("elbo_loss", (t["x"], t["x_rec"], t["mu"], t["logvar"]), np.array(_loss(x, x_rec, mu, logvar))),
             ("reparam_logdet", (t["logvar"],), 0.5 * logvar.sum(1)))
    for func, args, want in cases:
        got = _tensor(ctx, func, *args, shape=want.shape, dtype="float32")
        assert_close(got, want, rtol=1e-5, name=f"{func} in float32")


# ---- the change of variables ε ↦ z (ex 13.12) -----------------------------------------------------

@oracle
def _jacobian_logdet(mu: np.ndarray, logvar: np.ndarray, eps: np.ndarray) -> np.ndarray:
    """log|det ∂z/∂ε| per sample, from the autograd Jacobian of ε ↦ μ + e^{½ logvar} ⊙ ε."""
    import torch

    out = []
    for m, lv, e in zip(*(torch.from_numpy(a) for a in (mu, logvar, eps))):
        J = torch.autograd.functional.jacobian(lambda v, m=m, lv=lv: m + torch.exp(0.5 * lv) * v, e)
        out.append(float(torch.linalg.slogdet(J)[1]))
    return np.array(out)


@exercise.check(points=2, given={"dims": distinct_dims(2, 1, 6), "seed": seeds()}, max_examples=5)
def reparam_logdet_matches_the_autograd_jacobian(ctx, dims, seed):
    """reparam_logdet(logvar) is log|det ∂z/∂ε| of z = μ + σ ⊙ ε, per sample (B,), equal to the
    log-determinant of the autograd Jacobian (relative 1e-10): ½ Σ_j logvar_j."""
    B, k = dims
    mu, logvar = _latents(seed, B, k)
    eps = rng(seed + 2).normal(size=(B, k))
    got = _tensor(ctx, "reparam_logdet", tensor(logvar), shape=(B,))
    assert_close(got, _jacobian_logdet(mu, logvar, eps), rtol=1e-10, name="reparam_logdet(logvar)")
