"""geodl_ref.ch13's torch modules (gan, vae, flow) against independent oracles:
``F.binary_cross_entropy_with_logits``, ``torch.linalg.matrix_norm``, ``torch.distributions``,
autograd Jacobians and double backward, finite differences, and ``sklearn.datasets.make_moons``."""
from __future__ import annotations

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

from geodl_ref.ch13 import flow, gan, vae  # noqa: E402

D64 = torch.float64


def _g(seed: int):
    return torch.Generator().manual_seed(seed)


# ============================================================================== GAN losses

def test_d_loss_is_the_bce_of_real_against_one_plus_fake_against_zero():
    g = _g(0)
    real, fake = 3 * torch.randn(7, generator=g, dtype=D64), 3 * torch.randn(4, 1, generator=g, dtype=D64)
    want = (F.binary_cross_entropy_with_logits(real, torch.ones_like(real))
            + F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake)))
    assert gan.d_loss_bce(real, fake).item() == pytest.approx(want.item(), rel=1e-13)
    assert gan.d_loss_bce(real, fake).dtype == D64
    assert gan.d_loss_bce(real.float(), fake.float()).dtype == torch.float32


def test_losses_are_finite_at_huge_logits():
    real = torch.tensor([1e4, -1e4, 2.0], dtype=D64)
    fake = torch.tensor([-1e4, 1e4], dtype=D64)
    want = (F.binary_cross_entropy_with_logits(real, torch.ones_like(real))
            + F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake)))
    got = gan.d_loss_bce(real, fake)
    assert torch.isfinite(got) and got.item() == pytest.approx(want.item(), rel=1e-13)
    naive = -(torch.log(torch.sigmoid(real)).mean() + torch.log(1 - torch.sigmoid(fake)).mean())
    assert not torch.isfinite(naive)                     # what the logit form avoids
    assert gan.g_loss_nonsat(fake).item() == pytest.approx(
        F.binary_cross_entropy_with_logits(fake, torch.ones_like(fake)).item(), rel=1e-13)


def test_g_loss_is_non_saturating():
    fake = torch.linspace(-8, 8, 9, dtype=D64)
    assert gan.g_loss_nonsat(fake).item() == pytest.approx(-torch.log(torch.sigmoid(fake)).mean().item(), rel=1e-12)
    # where D rejects a fake (logit −8) the non-saturating loss still has a slope near −1 per sample
    a = torch.tensor([-8.0], dtype=D64, requires_grad=True)
    gan.g_loss_nonsat(a).backward()
    assert a.grad.item() == pytest.approx(-1.0, abs=1e-3)


def test_optimal_discriminator_attains_2js_minus_ln4():
    # P, Q on 4 bins with rational masses; a batch repeating each bin count times gives the expectations.
    counts_p, counts_q = np.array([1, 2, 3, 4]), np.array([4, 1, 1, 4])
    P, Q = counts_p / counts_p.sum(), counts_q / counts_q.sum()
    D = P / (P + Q)
    logit = np.log(D / (1 - D))
    real = torch.tensor(np.repeat(logit, counts_p), dtype=D64)
    fake = torch.tensor(np.repeat(logit, counts_q), dtype=D64)
    M = (P + Q) / 2
    js = 0.5 * np.sum(P * np.log(P / M)) + 0.5 * np.sum(Q * np.log(Q / M))
    value = -gan.d_loss_bce(real, fake).item()
    assert value == pytest.approx(2 * js - math.log(4), rel=1e-12)
    for shift in (-0.3, 0.2):
        assert -gan.d_loss_bce(real + shift, fake + shift).item() < value


def test_wgan_critic_loss():
    real, fake = torch.tensor([1.0, 2.0, 6.0], dtype=D64), torch.tensor([0.5, -0.5], dtype=D64)
    assert gan.wgan_critic_loss(real, fake).item() == pytest.approx(0.0 - 3.0)


def _critic(seed: int, d: int, hidden: int = 6):
    g = _g(seed)
    W1 = (0.5 * torch.randn(d, hidden, generator=g, dtype=D64)).requires_grad_()
    b1 = (0.5 * torch.randn(hidden, generator=g, dtype=D64)).requires_grad_()
    w2 = torch.randn(hidden, 1, generator=g, dtype=D64).requires_grad_()
    return (lambda x: torch.tanh(x.flatten(1) @ W1 + b1) @ w2), (W1, b1, w2)


def _manual_gp(critic, x_real, x_fake, alpha):
    """The penalty one sample at a time, each gradient by its own autograd.grad call."""
    terms = []
    for b in range(x_real.shape[0]):
        xb = (alpha[b] * x_real[b] + (1 - alpha[b]) * x_fake[b]).unsqueeze(0).detach().requires_grad_()
        (grad,) = torch.autograd.grad(critic(xb).sum(), xb, create_graph=True)
        terms.append((grad.reshape(-1).norm() - 1) ** 2)
    return torch.stack(terms).mean()


def test_gradient_penalty_equals_a_per_sample_double_backward():
    g = _g(1)
    x_real, x_fake = torch.randn(5, 2, 3, 3, generator=g, dtype=D64), torch.randn(5, 2, 3, 3, generator=g, dtype=D64)
    alpha = torch.rand(5, 1, 1, 1, generator=g, dtype=D64)
    critic, (W1, _, _) = _critic(2, 18)
    got = gan.gradient_penalty(critic, x_real, x_fake, alpha)
    want = _manual_gp(critic, x_real, x_fake, alpha)
    assert got.item() == pytest.approx(want.item(), rel=1e-12)
    assert got.requires_grad
    (dW_got,) = torch.autograd.grad(got, W1)
    (dW_want,) = torch.autograd.grad(want, W1)
    assert torch.allclose(dW_got, dW_want, rtol=1e-10, atol=1e-12) and dW_got.abs().max() > 1e-3
    # a batch-global norm or one shared α would give something else
    wrong = gan.gradient_penalty(critic, x_real, x_fake, alpha[:1].expand_as(alpha).clone())
    assert wrong.item() != pytest.approx(want.item(), rel=1e-6)


def test_gradient_penalty_gradient_in_first_layer_matches_finite_differences():
    g = _g(3)
    x_real, x_fake = torch.randn(4, 3, generator=g, dtype=D64), torch.randn(4, 3, generator=g, dtype=D64)
    alpha = torch.rand(4, 1, generator=g, dtype=D64)
    _, (W1, b1, w2) = _critic(4, 3)

    def penalty(W):
        return gan.gradient_penalty(lambda x: torch.tanh(x @ W + b1) @ w2, x_real, x_fake, alpha)

    assert torch.autograd.gradcheck(penalty, (W1,))
    # the final layer's bias gets no gradient at all: ∇_x φ does not depend on it
    b2 = torch.zeros(1, dtype=D64, requires_grad=True)
    gp = gan.gradient_penalty(lambda x: torch.tanh(x @ W1 + b1) @ w2 + b2, x_real, x_fake, alpha)
    (db2,) = torch.autograd.grad(gp, b2, allow_unused=True)
    assert db2 is None or float(db2.abs().max()) == 0.0


def test_gradient_penalty_of_a_linear_critic():
    w = torch.tensor([0.3, -1.2, 2.0, 0.5], dtype=D64)
    g = _g(5)
    x_real, x_fake = torch.randn(6, 4, generator=g, dtype=D64), torch.randn(6, 4, generator=g, dtype=D64)
    got = gan.gradient_penalty(lambda x: x @ w, x_real, x_fake, torch.rand(6, 1, generator=g, dtype=D64))
    assert got.item() == pytest.approx((w.norm().item() - 1) ** 2, rel=1e-13)


def test_gradient_penalty_leaves_its_inputs_alone():
    x_real, x_fake = torch.zeros(2, 3, dtype=D64), torch.ones(2, 3, dtype=D64)
    alpha = torch.full((2, 1), 0.5, dtype=D64)
    gan.gradient_penalty(lambda x: (x ** 2).sum(1), x_real, x_fake, alpha)
    assert not x_real.requires_grad and not x_fake.requires_grad and float(x_fake.sum()) == 6.0


def _matrix_with_gap(seed: int, m: int, n: int):
    r = np.random.default_rng(seed)
    U, _ = np.linalg.qr(r.normal(size=(m, m)))
    V, _ = np.linalg.qr(r.normal(size=(n, n)))
    s = np.sort(r.uniform(0.2, 1.0, size=min(m, n)))[::-1] * 2.5
    s[0] = 1.5 * s[1]
    return torch.tensor(U[:, :len(s)] @ np.diag(s) @ V[:, :len(s)].T)


def test_power_iteration_matches_matrix_norm():
    W = _matrix_with_gap(0, 5, 7)
    u0 = torch.tensor(np.random.default_rng(1).normal(size=5))
    sigma, u, v = gan.power_iteration_sigma(W, 100, u0)
    assert sigma.item() == pytest.approx(torch.linalg.matrix_norm(W, 2).item(), rel=1e-12)
    assert u.norm().item() == pytest.approx(1.0, rel=1e-14) and v.norm().item() == pytest.approx(1.0, rel=1e-14)
    assert torch.allclose(W @ v, sigma * u, atol=1e-10) and torch.allclose(W.T @ u, sigma * v, atol=1e-10)
    U, S, Vh = torch.linalg.svd(W)
    assert abs(float(u @ U[:, 0])) == pytest.approx(1.0, rel=1e-12)
    assert not torch.equal(u0, torch.zeros_like(u0))     # u0 untouched


def test_power_iteration_sigma_is_differentiable_in_W():
    W = _matrix_with_gap(2, 4, 3).requires_grad_()
    sigma, u, v = gan.power_iteration_sigma(W, 50, torch.ones(4, dtype=D64))
    sigma.backward()
    assert torch.allclose(W.grad, torch.outer(u, v), atol=1e-12)   # ∂σ/∂W = u vᵀ


def test_spectral_normalize_gives_unit_spectral_norm_and_1_lipschitz_nets():
    Ws = [_matrix_with_gap(s, m, n) for s, (m, n) in enumerate([(6, 3), (5, 6), (2, 5)])]
    Ns = [gan.spectral_normalize(W, 100) for W in Ws]
    for W, N in zip(Ws, Ns):
        assert torch.linalg.matrix_norm(N, 2).item() == pytest.approx(1.0, rel=1e-12)
        assert torch.allclose(N * torch.linalg.matrix_norm(W, 2), W, rtol=1e-12)
    r = np.random.default_rng(0)
    X, Y = torch.tensor(r.normal(size=(10_000, 3))), torch.tensor(r.normal(size=(10_000, 3)))

    def net(x):
        return torch.relu(torch.relu(x @ Ns[0].T) @ Ns[1].T) @ Ns[2].T

    ratio = (net(X) - net(Y)).norm(dim=1) / (X - Y).norm(dim=1)
    assert ratio.max().item() <= 1 + 1e-6


def test_cycle_loss_is_mean_l1():
    g = _g(6)
    x, xr = torch.randn(3, 4, generator=g, dtype=D64), torch.randn(3, 4, generator=g, dtype=D64)
    y, yr = torch.randn(5, 2, 2, generator=g, dtype=D64), torch.randn(5, 2, 2, generator=g, dtype=D64)
    assert gan.cycle_loss(x, xr, y, yr).item() == pytest.approx((F.l1_loss(xr, x) + F.l1_loss(yr, y)).item(), rel=1e-14)
    assert gan.cycle_loss(x, x.clone(), y, y.clone()).item() == 0.0


def _sum(x):
    return x.sum(1)


@pytest.mark.parametrize("call, error", [
    (lambda: gan.d_loss_bce(np.zeros(3), torch.zeros(3)), TypeError),
    (lambda: gan.d_loss_bce(torch.zeros(3, dtype=torch.int64), torch.zeros(3)), TypeError),
    (lambda: gan.gradient_penalty(_sum, torch.zeros(3, 2), torch.zeros(3, 2), torch.zeros(3)), ValueError),
    (lambda: gan.gradient_penalty(_sum, torch.zeros(3, 2), torch.zeros(4, 2), torch.zeros(3, 1)), ValueError),
    (lambda: gan.power_iteration_sigma(torch.eye(3), 0, torch.ones(3)), ValueError),
    (lambda: gan.power_iteration_sigma(torch.eye(3), 2, torch.ones(2)), ValueError),
    (lambda: gan.spectral_normalize(torch.ones(3), 5), ValueError),
    (lambda: gan.cycle_loss(torch.zeros(2), torch.zeros(3), torch.zeros(1), torch.zeros(1)), ValueError),
])
def test_gan_validation(call, error):
    with pytest.raises(error):
        call()


# ============================================================================== VAE

def _mu_logvar(seed: int, B: int = 6, k: int = 3):
    g = _g(seed)
    return torch.randn(B, k, generator=g, dtype=D64), torch.randn(B, k, generator=g, dtype=D64)


def test_kl_matches_torch_distributions():
    from torch.distributions import Normal, kl_divergence

    mu, logvar = _mu_logvar(0)
    want = kl_divergence(Normal(mu, torch.exp(0.5 * logvar)), Normal(0.0, 1.0)).sum(-1)
    assert torch.allclose(vae.gaussian_kl(mu, logvar), want, rtol=1e-12, atol=0)


def test_kl_is_zero_only_at_the_prior():
    zeros = torch.zeros(2, 4, dtype=D64)
    assert torch.equal(vae.gaussian_kl(zeros, zeros), torch.zeros(2, dtype=D64))
    bump = zeros.clone()
    bump[0, 1] = 1e-3
    assert (vae.gaussian_kl(bump, zeros) > 0).tolist() == [True, False]
    assert (vae.gaussian_kl(zeros, bump) > 0).tolist() == [True, False]


def test_kl_gradients_by_autograd():
    mu, logvar = (t.requires_grad_() for t in _mu_logvar(1))
    vae.gaussian_kl(mu, logvar).sum().backward()
    assert torch.allclose(mu.grad, mu.detach(), rtol=1e-14)
    assert torch.allclose(logvar.grad, 0.5 * (torch.exp(logvar.detach()) - 1), rtol=1e-14)


def test_reparameterize_uses_the_given_noise_and_reaches_mu_and_logvar():
    mu, logvar = (t.requires_grad_() for t in _mu_logvar(2))
    eps = torch.randn(6, 3, generator=_g(3), dtype=D64)
    z = vae.reparameterize(mu, logvar, eps)
    assert torch.allclose(z, mu + torch.exp(0.5 * logvar) * eps, rtol=1e-15)
    assert torch.equal(z, vae.reparameterize(mu, logvar, eps))
    z.sum().backward()
    assert torch.allclose(mu.grad, torch.ones_like(mu)) and torch.allclose(
        logvar.grad, 0.5 * torch.exp(0.5 * logvar.detach()) * eps)


def test_reparameterized_samples_have_mean_mu_and_variance_sigma2():
    n = 100_000
    mu, logvar = torch.tensor([[0.5, -1.0, 2.0]], dtype=D64), torch.tensor([[0.0, 1.0, -1.5]], dtype=D64)
    eps = torch.randn(n, 3, generator=_g(4), dtype=D64)
    z = vae.reparameterize(mu.expand(n, 3), logvar.expand(n, 3), eps)
    var = torch.exp(logvar)[0]
    assert ((z.mean(0) - mu[0]).abs() <= 5 * torch.sqrt(var / n)).all()
    assert ((z.var(0) - var).abs() <= 5 * var * math.sqrt(2 / (n - 1))).all()


def test_reparam_logdet_equals_the_autograd_jacobian():
    mu, logvar = _mu_logvar(5, B=4, k=3)
    eps = torch.randn(4, 3, generator=_g(6), dtype=D64)
    got = vae.reparam_logdet(logvar)
    for b in range(4):
        J = torch.autograd.functional.jacobian(
            lambda e, b=b: vae.reparameterize(mu[b:b + 1], logvar[b:b + 1], e[None])[0], eps[b])
        assert got[b].item() == pytest.approx(torch.linalg.slogdet(J)[1].item(), rel=1e-12, abs=1e-14)


def test_elbo_loss_sums_over_dimensions_and_averages_over_the_batch():
    g = _g(7)
    x, x_rec = torch.randn(6, 2, 3, 3, generator=g, dtype=D64), torch.randn(6, 2, 3, 3, generator=g, dtype=D64)
    mu, logvar = _mu_logvar(8, B=6, k=4)
    kl = vae.gaussian_kl(mu, logvar)
    want = (0.5 * ((x - x_rec) ** 2).sum((1, 2, 3)) + kl).mean()
    assert vae.elbo_loss(x, x_rec, mu, logvar).item() == pytest.approx(want.item(), rel=1e-14)
    beta4 = vae.elbo_loss(x, x_rec, mu, logvar, beta=4.0) - vae.elbo_loss(x, x_rec, mu, logvar)
    assert beta4.item() == pytest.approx(3 * kl.mean().item(), rel=1e-12)
    # F.mse_loss(reduction='sum') / B is the same reconstruction term
    assert (0.5 * F.mse_loss(x_rec, x, reduction="sum") / 6).item() == pytest.approx(
        vae.elbo_loss(x, x_rec, torch.zeros_like(mu), torch.zeros_like(mu)).item(), rel=1e-14)


@pytest.mark.parametrize("call, error", [
    (lambda: vae.gaussian_kl(torch.zeros(3), torch.zeros(3)), ValueError),
    (lambda: vae.gaussian_kl(torch.zeros(2, 3), torch.zeros(2, 4)), ValueError),
    (lambda: vae.reparameterize(torch.zeros(2, 3), torch.zeros(2, 3), np.zeros((2, 3))), TypeError),
    (lambda: vae.elbo_loss(torch.zeros(2, 3), torch.zeros(2, 3), torch.zeros(3, 1), torch.zeros(3, 1)), ValueError),
    (lambda: vae.elbo_loss(torch.zeros(2, 3), torch.zeros(2, 3), torch.zeros(2, 1), torch.zeros(2, 1), beta=-1.0),
     ValueError),
    (lambda: vae.reparam_logdet(torch.zeros(3, dtype=torch.int64)), TypeError),
])
def test_vae_validation(call, error):
    with pytest.raises(error):
        call()


# ============================================================================== flows

def _randomized(module, seed: int, std: float = 0.3):
    g = _g(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(std * torch.randn(p.shape, generator=g, dtype=p.dtype))
    return module


@pytest.mark.parametrize("mask", [[1.0, 0.0], [0.0, 1.0, 1.0], [1.0, 0.0, 1.0, 0.0, 0.0]])
def test_affine_coupling_logdet_is_the_log_abs_det_of_the_autograd_jacobian(mask):
    torch.manual_seed(0)
    layer = _randomized(flow.AffineCoupling(torch.tensor(mask), 8).double(), 1)
    x = torch.randn(5, len(mask), generator=_g(2), dtype=D64)
    y, logdet = layer(x)
    for b in range(5):
        J = torch.autograd.functional.jacobian(lambda v: layer(v[None])[0][0], x[b])
        assert logdet[b].item() == pytest.approx(torch.linalg.slogdet(J)[1].item(), rel=1e-12, abs=1e-12)
    assert logdet.abs().max() > 0.05                        # a non-trivial layer
    keep = torch.tensor(mask).bool()
    assert torch.equal(y[:, keep], x[:, keep])
    assert torch.allclose(layer.inverse(y), x, rtol=0, atol=1e-12)


def test_affine_coupling_is_finite_on_huge_inputs():
    torch.manual_seed(0)
    layer = _randomized(flow.AffineCoupling(torch.tensor([1.0, 0.0, 1.0]), 8), 3)
    x = 1e4 * torch.randn(6, 3, generator=_g(4))
    y, logdet = layer(x)
    assert torch.isfinite(y).all() and torch.isfinite(logdet).all() and logdet.abs().max() <= 3 + 1e-5


def test_additive_coupling_is_volume_preserving_and_invertible():
    torch.manual_seed(0)
    layer = _randomized(flow.AdditiveCoupling([0.0, 1.0], 8).double(), 5)
    x = torch.randn(7, 2, generator=_g(6), dtype=D64)
    y, logdet = layer(x)
    assert torch.equal(logdet, torch.zeros(7, dtype=D64)) and not torch.allclose(y, x)
    J = torch.autograd.functional.jacobian(lambda v: layer(v[None])[0][0], x[0])
    assert torch.linalg.det(J).item() == pytest.approx(1.0, rel=1e-12)
    assert torch.allclose(layer.inverse(y), x, rtol=0, atol=1e-12)


def test_masks_are_buffers_that_follow_the_module():
    layer = flow.AffineCoupling([1.0, 0.0], 4)
    assert dict(layer.named_buffers()).keys() == {"mask"}
    assert layer.double().mask.dtype == D64
    assert flow.AdditiveCoupling([1.0, 0.0], 4).mask.tolist() == [1.0, 0.0]


def _grid_integral(model, n: int = 400, lim: float = 6.0) -> float:
    g = torch.linspace(-lim, lim, n, dtype=D64)
    G = torch.stack(torch.meshgrid(g, g, indexing="ij"), -1).reshape(-1, 2)
    with torch.no_grad():
        density = model.log_prob(G.to(next(model.parameters()).dtype)).double().exp()
    return float(density.sum()) * (2 * lim / (n - 1)) ** 2


def test_flow_density_integrates_to_one_and_the_log_2pi_term_matters():
    torch.manual_seed(0)
    model = _randomized(flow.Flow([flow.AffineCoupling([1.0, 0.0], 8), flow.AdditiveCoupling([0.0, 1.0], 8),
                                   flow.AffineCoupling([0.0, 1.0], 8)]).double(), 7)
    assert _grid_integral(model) == pytest.approx(1.0, abs=1e-3)
    z, logdet = model(torch.zeros(1, 2, dtype=D64))
    lp = model.log_prob(torch.zeros(1, 2, dtype=D64))
    assert lp.item() == pytest.approx((-0.5 * (z ** 2).sum() - math.log(2 * math.pi) + logdet).item(), rel=1e-14)
    x = torch.randn(4, 2, generator=_g(8), dtype=D64)
    assert torch.allclose(model.inverse(model(x)[0]), x, atol=1e-12)


@pytest.fixture
def one_thread():
    """Grading runs on one core: so does training here (several threads only contend)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_train_flow_fits_two_moons(one_thread):
    from sklearn.datasets import make_moons

    train, _ = make_moons(4000, noise=0.05, random_state=0)
    test, _ = make_moons(2000, noise=0.05, random_state=1)
    mean, std = train.mean(0), train.std(0)
    X = torch.tensor((train - mean) / std, dtype=torch.float32)
    T = torch.tensor((test - mean) / std, dtype=torch.float32)
    state = torch.random.get_rng_state()
    model = flow.train_flow(X, 400, 5e-3, "cpu", 0)
    assert torch.equal(state, torch.random.get_rng_state())            # the global generator is untouched
    with torch.no_grad():                                               # (training still needs its gradients)
        nll = -model.log_prob(T).mean().item()
        again = -flow.train_flow(X, 400, 5e-3, "cpu", 0).log_prob(T).mean().item()
    assert nll <= 1.8 and nll == again                                  # the same seed, the same flow
    assert model.log_prob(T).dtype == torch.float32
    assert all(b.device.type == "cpu" for b in model.buffers())
    assert _grid_integral(model) == pytest.approx(1.0, abs=0.02)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_train_flow_on_cuda():
    from sklearn.datasets import make_moons

    train, _ = make_moons(4000, noise=0.05, random_state=0)
    test, _ = make_moons(2000, noise=0.05, random_state=1)
    mean, std = train.mean(0), train.std(0)
    X = torch.tensor((train - mean) / std, dtype=torch.float32)
    T = torch.tensor((test - mean) / std, dtype=torch.float32, device="cuda")
    model = flow.train_flow(X, 1500, 5e-3, "cuda", 0)
    assert all(b.device.type == "cuda" for b in model.buffers())
    with torch.no_grad():
        assert -model.log_prob(T).mean().item() <= 1.6


@pytest.mark.parametrize("call, error", [
    (lambda: flow.AffineCoupling([0.0, 2.0], 4), ValueError),
    (lambda: flow.AffineCoupling([[1.0, 0.0]], 4), ValueError),
    (lambda: flow.AffineCoupling([1.0, 0.0], 0), ValueError),
    (lambda: flow.AffineCoupling([1.0, 0.0], 4)(torch.zeros(3, 3)), ValueError),
    (lambda: flow.AdditiveCoupling([1.0, 0.0], 4).inverse(np.zeros((3, 2))), TypeError),
    (lambda: flow.Flow([torch.nn.Linear(2, 2)]), TypeError),
    (lambda: flow.train_flow(torch.zeros(5), 3, 1e-3, "cpu", 0), ValueError),
    (lambda: flow.train_flow(torch.zeros(5, 2), 3, 0.0, "cpu", 0), ValueError),
])
def test_flow_validation(call, error):
    with pytest.raises(error):
        call()
