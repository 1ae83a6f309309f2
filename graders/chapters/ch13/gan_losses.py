"""ch13.gan_losses — the GAN losses from logits against torch's BCE-with-logits (finite at ±1e4),
the discrete optimum max_D V = 2 JS − ln 4, the WGAN critic loss, the gradient penalty against a
per-sample double backward (one α and one norm per sample, differentiable in the critic's
weights), power iteration against ``torch.linalg.matrix_norm``, 1-Lipschitz spectrally normalized
ReLU nets, and the mean-L1 cycle loss. Student tensors stay in the worker; a critic is a
grader-authored torch function (``ctx.function``) whose weights require grad."""
from __future__ import annotations

import math

import numpy as np

from graders.authoring import Anything, Exercise, Tuple, assert_close, distinct_dims, expect, rng, seeds
from graders.authoring.oracles import oracle
from graders.chapters.ch13._torch import requires_grad, tensor, tensor_value, torch_literal

exercise = Exercise(module="ch13.gan",
                    functions=("d_loss_bce", "g_loss_nonsat", "wgan_critic_loss", "gradient_penalty",
                               "power_iteration_sigma", "spectral_normalize", "cycle_loss"),
                    forbidden=("torch.nn.functional.binary_cross_entropy_with_logits",
                               "torch.nn.functional.binary_cross_entropy", "torch.nn.BCEWithLogitsLoss",
                               "torch.nn.BCELoss", "torch.linalg.matrix_norm", "torch.linalg.norm",
                               "torch.linalg.svd", "torch.linalg.svdvals", "torch.svd", "torch.linalg.eigvalsh",
                               "torch.nn.utils.spectral_norm", "torch.nn.utils.parametrizations.spectral_norm",
                               "numpy.linalg.svd", "numpy.linalg.norm"),
                    title="GAN, WGAN-GP, spectral normalization and cycle losses")


def _scalar(ctx, func: str, *args, dtype: str = "float64") -> float:
    """The 0-d tensor ``func(*args)`` returns, as a float (its dtype checked)."""
    return float(tensor_value(ctx.call(func, *args, returns=Anything()), name=f"the result of {func}", dtype=dtype,
                              shape=()))


# ---- the original GAN (eq 13.46) ------------------------------------------------------------------

@oracle
def _bce(logits: np.ndarray, label: float) -> float:
    """torch's F.binary_cross_entropy_with_logits(logits, label), mean-reduced."""
    import torch
    import torch.nn.functional as F

    a = torch.from_numpy(logits)
    return float(F.binary_cross_entropy_with_logits(a, torch.full_like(a, label)))


def _logits(seed: int, sizes: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Real logits (B_r,) and fake logits (B_f, 1), N(0, 3²), B_r ≠ B_f."""
    r = rng(seed)
    return 3.0 * r.normal(size=sizes[0]), 3.0 * r.normal(size=(sizes[1], 1))


@exercise.check(points=3, given={"sizes": distinct_dims(2, 1, 9), "seed": seeds()}, max_examples=8)
def d_loss_matches_bce_with_logits(ctx, sizes, seed):
    """d_loss_bce(real, fake) is −V(D, G) of eq 13.46 from logits: BCE-with-logits of the real logits
    against 1 plus that of the fake ones against 0, each a batch mean (as torch's
    F.binary_cross_entropy_with_logits, relative 1e-12), for B_r ≠ B_f, returned as a float64 0-d
    tensor."""
    real, fake = _logits(seed, sizes)
    got = _scalar(ctx, "d_loss_bce", tensor(real), tensor(fake))
    assert_close(got, _bce(real, 1.0) + _bce(fake, 0.0), rtol=1e-12, name="d_loss_bce(real, fake)")


@exercise.check(points=2, given={"sizes": distinct_dims(2, 1, 9), "seed": seeds()}, max_examples=8)
def g_loss_is_non_saturating(ctx, sizes, seed):
    """g_loss_nonsat(fake) for fake logits of shape (B, 1) is the non-saturating −E log D(G(z)), the
    BCE of the fake logits against 1 (torch, relative 1e-12), not the saturating E log(1 − D(G(z)))."""
    _, fake = _logits(seed, sizes)
    got = _scalar(ctx, "g_loss_nonsat", tensor(fake))
    assert_close(got, _bce(fake, 1.0), rtol=1e-12, name="g_loss_nonsat(fake)")


_HUGE_REAL = np.array([1e4, -1e4, 2.5, -0.7])
_HUGE_FAKE = np.array([-1e4, 1e4, 0.3])


@exercise.check(points=2)
def losses_are_finite_at_huge_logits(ctx):
    """At logits ±1e4 both losses are finite and equal torch's BCE-with-logits (relative 1e-12):
    log σ(a) must come from the logit (−softplus(−a)), not from torch.log(torch.sigmoid(a)),
    which is −inf there."""
    real, fake = _HUGE_REAL, _HUGE_FAKE
    got = _scalar(ctx, "d_loss_bce", tensor(real), tensor(fake))
    assert_close(got, _bce(real, 1.0) + _bce(fake, 0.0), rtol=1e-12,
                 name="d_loss_bce(real, fake) at logits ±1e4")
    got = _scalar(ctx, "g_loss_nonsat", tensor(fake))
    assert_close(got, _bce(fake, 1.0), rtol=1e-12, name="g_loss_nonsat(fake) at logits ±1e4")


@exercise.check(points=2)
def optimal_discriminator_gives_2js_minus_ln4(ctx):
    """Discrete check of eq 13.46: for P, Q on 5 bins (a batch repeating each bin as often as its
    mass says), −d_loss_bce at the optimal D* = P/(P + Q) is 2 JS(P, Q) − ln 4 (1e-12), and any
    other discriminator (D* shifted in logit) gives less."""
    counts_p, counts_q = np.array([1, 2, 3, 4, 2]), np.array([4, 1, 1, 3, 3])
    P, Q = counts_p / counts_p.sum(), counts_q / counts_q.sum()
    M = (P + Q) / 2
    js = 0.5 * np.sum(P * np.log(P / M)) + 0.5 * np.sum(Q * np.log(Q / M))
    logit = np.log(P / Q)                                   # logit of D* = P/(P + Q)
    values = {}
    for shift in (0.0, -0.4, 0.25):
        real, fake = np.repeat(logit + shift, counts_p), np.repeat(logit + shift, counts_q)
        values[shift] = -_scalar(ctx, "d_loss_bce", tensor(real), tensor(fake))
    assert_close(values[0.0], 2 * js - math.log(4), rtol=1e-12, name="−d_loss_bce at D* = P/(P + Q)")
    for shift in (-0.4, 0.25):
        expect(values[shift] < values[0.0],
               f"V(D, G) = −d_loss_bce should be largest at D* = P/(P + Q): with the logits shifted by {shift} "
               f"it is {values[shift]!r} ≥ {values[0.0]!r}")


@exercise.check(points=1)
def losses_keep_float32(ctx):
    """In float32 every loss returns a float32 0-d tensor (relative 1e-5 of the float64 value)."""
    r = rng(11)
    real, fake = r.normal(size=6), r.normal(size=(4, 1))
    x, y = r.normal(size=(3, 4)), r.normal(size=(5, 2))
    x_rec, y_rec = x + r.normal(size=x.shape), y + r.normal(size=y.shape)
    softplus = np.logaddexp
    want = {
        "d_loss_bce": (np.mean(softplus(0, -real)) + np.mean(softplus(0, fake)), (real, fake)),
        "g_loss_nonsat": (np.mean(softplus(0, -fake)), (fake,)),
        "wgan_critic_loss": (np.mean(fake) - np.mean(real), (real, fake)),
        "cycle_loss": (np.mean(np.abs(x - x_rec)) + np.mean(np.abs(y - y_rec)), (x, x_rec, y, y_rec)),
    }
    for func, (value, args) in want.items():
        got = _scalar(ctx, func, *(tensor(a, dtype="float32") for a in args), dtype="float32")
        assert_close(got, value, rtol=1e-5, name=f"{func} in float32")


# ---- WGAN (eqs 13.56–13.57) -----------------------------------------------------------------------

@exercise.check(points=1, given={"sizes": distinct_dims(2, 1, 9), "seed": seeds()}, max_examples=5)
def wgan_critic_loss_is_mean_fake_minus_mean_real(ctx, sizes, seed):
    """wgan_critic_loss(real, fake) is −(E φ(x) − E φ(G z)) = mean(fake) − mean(real) (eq 13.56),
    batches of different sizes (1e-12)."""
    real, fake = _logits(seed, sizes)
    got = _scalar(ctx, "wgan_critic_loss", tensor(real), tensor(fake))
    assert_close(got, np.mean(fake) - np.mean(real), rtol=1e-12, name="wgan_critic_loss(real, fake)")


def _images(seed: int, B: int = 5, shape: tuple[int, ...] = (2, 3, 2)):
    """x_real, x_fake of shape (B, *shape) and one α per sample, of shape (B, 1, ..., 1)."""
    r = rng(seed)
    return (r.normal(size=(B, *shape)), r.normal(size=(B, *shape)),
            r.uniform(0.05, 0.95, size=(B,) + (1,) * len(shape)))


@exercise.check(points=2)
def gradient_penalty_of_a_linear_critic(ctx):
    """For a linear critic φ(x) = wᵀ vec(x) the gradient is w at every x̃, so the penalty is
    (‖w‖₂ − 1)² (1e-12), on images (B, C, H, W) with α of shape (B, 1, 1, 1): the norm is one per
    sample, not over the whole batch."""
    x_real, x_fake, alpha = _images(1)
    w = rng(2).normal(size=int(np.prod(x_real.shape[1:])))
    critic = ctx.function(f"(lambda w: lambda x: x.flatten(1) @ w)({torch_literal(w)})")
    got = _scalar(ctx, "gradient_penalty", critic, tensor(x_real), tensor(x_fake), tensor(alpha))
    assert_close(got, (np.linalg.norm(w) - 1) ** 2, rtol=1e-12, name="gradient_penalty for φ(x) = wᵀx")


def _critic_weights(seed: int, d: int, hidden: int = 4):
    r = rng(seed)
    return 0.6 * r.normal(size=(d, hidden)), 0.3 * r.normal(size=hidden), r.normal(size=(hidden, 1))


def _critic_source(W1: np.ndarray, b1: np.ndarray, w2: np.ndarray, *, trainable: bool) -> str:
    """A tanh critic x ↦ tanh(vec(x) W1 + b1) w2, scores of shape (B, 1), as torch source;
    ``trainable``: its weights require grad, as a network's parameters do."""
    weights = ", ".join(torch_literal(a, requires_grad=trainable) for a in (W1, b1, w2))
    return f"(lambda W1, b1, w2: lambda x: torch.tanh(x.flatten(1) @ W1 + b1) @ w2)({weights})"


@oracle
def _penalty_by_double_backward(W1: np.ndarray, b1: np.ndarray, w2: np.ndarray, x_real: np.ndarray,
                                x_fake: np.ndarray, alpha: np.ndarray,
                                direction: np.ndarray | None = None) -> list[float]:
    """The penalty, one sample at a time (each ∇φ(x̃_b) by its own autograd.grad with
    create_graph=True), and, along ``direction``, its derivative in W1 (a double backward)."""
    import torch

    W, b, v = (torch.tensor(a, requires_grad=True) for a in (W1, b1, w2))
    terms = []
    for index in range(x_real.shape[0]):
        mix = alpha[index] * x_real[index] + (1 - alpha[index]) * x_fake[index]
        x = torch.tensor(mix.reshape(1, -1), requires_grad=True)
        (grad,) = torch.autograd.grad((torch.tanh(x @ W + b) @ v).sum(), x, create_graph=True)
        terms.append((torch.linalg.vector_norm(grad) - 1) ** 2)
    penalty = torch.stack(terms).mean()
    if direction is None:
        return [float(penalty.detach())]
    (dW,) = torch.autograd.grad(penalty, W)
    return [float(penalty.detach()), float((dW * torch.from_numpy(direction)).sum())]


@exercise.check(points=3, given={"seed": seeds()}, max_examples=4)
def gradient_penalty_matches_double_backward(ctx, seed):
    """gradient_penalty(φ, x_real, x_fake, α) for a tanh critic on images (B, C, H, W) equals
    E (‖∇φ(x̃)‖₂ − 1)² computed one sample at a time with x̃_b = α_b x_b + (1 − α_b) x_fake,b
    (eq 13.57, relative 1e-10): each sample its own α and its own norm."""
    x_real, x_fake, alpha = _images(seed)
    W1, b1, w2 = _critic_weights(seed + 1, int(np.prod(x_real.shape[1:])))
    critic = ctx.function(_critic_source(W1, b1, w2, trainable=False))
    got = _scalar(ctx, "gradient_penalty", critic, tensor(x_real), tensor(x_fake), tensor(alpha))
    assert_close(got, _penalty_by_double_backward(W1, b1, w2, x_real, x_fake, alpha)[0], rtol=1e-10,
                 name="gradient_penalty(φ, x_real, x_fake, α)")


@exercise.check(points=3)
def gradient_penalty_is_differentiable_in_the_critic(ctx):
    """With a critic whose weights require grad, the penalty comes back attached to the autograd
    graph (the gradient is taken with create_graph=True and not detached), and its central
    differences in the first-layer weights W1 (h = 1e-6, along 3 directions) equal the double
    backward's ∂GP/∂W1 (relative 1e-6), which is non-zero. (The critic's last bias legitimately
    gets no gradient: ∇ₓφ does not depend on it.)"""
    x_real, x_fake, alpha = _images(21, B=4, shape=(3,))
    W1, b1, w2 = _critic_weights(22, 3)
    args = (tensor(x_real), tensor(x_fake), tensor(alpha))
    value = ctx.call("gradient_penalty", ctx.function(_critic_source(W1, b1, w2, trainable=True)), *args,
                     returns=Anything())
    tensor_value(value, name="the result of gradient_penalty", shape=())
    expect(requires_grad(value),
           "gradient_penalty should be differentiable in the critic's weights (they require grad), but its "
           "result does not require grad: take ∇φ(x̃) with torch.autograd.grad(..., create_graph=True) and "
           "do not detach it")
    h = 1e-6
    directions = rng(23).normal(size=(3, *W1.shape))
    for index, V in enumerate(directions):
        plus, minus = (_scalar(ctx, "gradient_penalty",
                               ctx.function(_critic_source(W1 + sign * h * V, b1, w2, trainable=True)), *args)
                       for sign in (1.0, -1.0))
        want = _penalty_by_double_backward(W1, b1, w2, x_real, x_fake, alpha, V)[1]   # |want| > 0.1 here
        assert_close((plus - minus) / (2 * h), want, rtol=1e-6,
                     name=f"the central difference of gradient_penalty along direction {index} of W1")


# ---- spectral normalization -----------------------------------------------------------------------

def _with_gap(seed: int, m: int, n: int) -> np.ndarray:
    """An (m, n) matrix with singular values in [0.5, 2.5] and σ₁ = 1.5 σ₂ (power iteration converges)."""
    r = rng(seed)
    k = min(m, n)
    U, _ = np.linalg.qr(r.normal(size=(m, k)))
    V, _ = np.linalg.qr(r.normal(size=(n, k)))
    s = np.sort(r.uniform(0.5, 2.5, size=k))[::-1]
    s[0] = 1.5 * s[1]
    return U @ np.diag(s) @ V.T


@oracle
def _matrix_norm(W: np.ndarray) -> float:
    """torch.linalg.matrix_norm(W, 2): the largest singular value."""
    import torch

    return float(torch.linalg.matrix_norm(torch.from_numpy(W), 2))


def _power_iteration(ctx, W: np.ndarray, n_iter: int, u0: np.ndarray):
    m, n = W.shape
    sigma, u, v = ctx.call("power_iteration_sigma", tensor(W), n_iter, tensor(u0),
                           returns=Tuple(Anything(), Anything(), Anything()))
    return (float(tensor_value(sigma, name="sigma", shape=())), tensor_value(u, name="u", shape=(m,)),
            tensor_value(v, name="v", shape=(n,)))


@exercise.check(points=3, given={"dims": distinct_dims(2, 2, 8), "seed": seeds()}, max_examples=5)
def power_iteration_matches_matrix_norm(ctx, dims, seed):
    """After 100 iterations from u0, σ = uᵀWv equals torch.linalg.matrix_norm(W, 2) (relative 1e-8)
    for an (m, n) W with m ≠ n; u (m,) and v (n,) are unit vectors (1e-10) and singular vectors:
    Wv = σu and Wᵀu = σv (1e-6 of σ)."""
    m, n = dims
    W, u0 = _with_gap(seed, m, n), rng(seed + 1).normal(size=m)
    sigma, u, v = _power_iteration(ctx, W, 100, u0)
    top = _matrix_norm(W)
    assert_close(sigma, top, rtol=1e-8, name="σ after 100 iterations (vs torch.linalg.matrix_norm(W, 2))")
    assert_close(np.linalg.norm(u), 1.0, rtol=1e-10, name="‖u‖")
    assert_close(np.linalg.norm(v), 1.0, rtol=1e-10, name="‖v‖")
    assert_close(W @ v, sigma * u, rtol=0, atol=1e-6 * top, name="Wv − σu (v is the right singular vector)")
    assert_close(W.T @ u, sigma * v, rtol=0, atol=1e-6 * top, name="Wᵀu − σv (u is the left singular vector)")


@exercise.check(points=2)
def power_iteration_first_steps(ctx):
    """From u0, each iteration sets v ← Wᵀu/‖Wᵀu‖, then u ← Wv/‖Wv‖, and σ = uᵀWv with the last
    u and v (SN-GAN): after 1, 2 and 5 iterations σ, u and v equal that recursion (1e-10)."""
    W, u0 = _with_gap(31, 4, 6), rng(32).normal(size=4)
    u = u0 / np.linalg.norm(u0)
    for step in range(1, 6):
        v = W.T @ u / np.linalg.norm(W.T @ u)
        u = W @ v / np.linalg.norm(W @ v)
        if step in (1, 2, 5):
            sigma, got_u, got_v = _power_iteration(ctx, W, step, u0)
            assert_close(sigma, u @ W @ v, rtol=1e-10, name=f"σ after {step} iteration(s)")
            assert_close(got_u, u, rtol=1e-10, name=f"u after {step} iteration(s)")
            assert_close(got_v, v, rtol=1e-10, name=f"v after {step} iteration(s)")


_SN_SHAPES = ((6, 3), (5, 6), (2, 5))   # a 3 → 6 → 5 → 2 ReLU net


@exercise.check(points=2)
def spectral_normalize_divides_by_sigma(ctx):
    """spectral_normalize(W, 100) is W/σ₁(W) (torch.linalg.matrix_norm, relative 1e-8) for each
    weight of a 3 → 6 → 5 → 2 net, in W's dtype."""
    Ws = [_with_gap(40 + i, m, n) for i, (m, n) in enumerate(_SN_SHAPES)]
    for W in Ws:
        got = tensor_value(ctx.call("spectral_normalize", tensor(W), 100, returns=Anything()),
                           name="the result of spectral_normalize", shape=W.shape)
        assert_close(got, W / _matrix_norm(W), rtol=1e-8, name=f"spectral_normalize(W, 100) for W of shape {W.shape}")


@exercise.check(points=2, depends_on="spectral_normalize_divides_by_sigma")
def spectrally_normalized_relu_net_is_1_lipschitz(ctx):
    """A layer x ↦ W̄x and the ReLU net W̄₃ relu(W̄₂ relu(W̄₁ x)) built from spectral_normalize(W, 100)
    have empirical Lipschitz constant ≤ 1 + 1e-6 on 10⁴ random pairs; counts once
    spectral_normalize_divides_by_sigma passes (zero weights satisfy it alone)."""
    Ws = [_with_gap(40 + i, m, n) for i, (m, n) in enumerate(_SN_SHAPES)]
    normalized = [tensor_value(ctx.call("spectral_normalize", tensor(W), 100, returns=Anything()),
                               name="the result of spectral_normalize", shape=W.shape) for W in Ws]
    r = rng(50)
    X, Y = r.normal(size=(10_000, 3)), r.normal(size=(10_000, 3))
    layer = np.linalg.norm((X - Y) @ normalized[0].T, axis=1) / np.linalg.norm(X - Y, axis=1)

    def net(x: np.ndarray) -> np.ndarray:
        return np.maximum(np.maximum(x @ normalized[0].T, 0) @ normalized[1].T, 0) @ normalized[2].T

    whole = np.linalg.norm(net(X) - net(Y), axis=1) / np.linalg.norm(X - Y, axis=1)
    for what, ratio in (("the first spectrally normalized layer", layer), ("the SN-ReLU net", whole)):
        expect(np.all(np.isfinite(ratio)) and ratio.max() <= 1 + 1e-6,
               f"{what} should be 1-Lipschitz: ‖f(x) − f(y)‖/‖x − y‖ reaches {ratio.max()!r} on 10⁴ pairs")


# ---- CycleGAN (eq 13.86) --------------------------------------------------------------------------

@exercise.check(points=2)
def cycle_loss_is_mean_l1(ctx):
    """cycle_loss(x, x_rec, y, y_rec) is mean|x_rec − x| + mean|y_rec − y| over all entries (eq 13.86,
    as nn.L1Loss; 1e-12) for domains of different shapes, 0 exactly when both reconstructions are
    exact, and positive when only one is off."""
    r = rng(60)
    x, y = r.normal(size=(3, 4)), r.normal(size=(5, 2, 2))
    x_rec, y_rec = x + r.normal(size=x.shape), y + 0.1 * r.normal(size=y.shape)
    got = _scalar(ctx, "cycle_loss", tensor(x), tensor(x_rec), tensor(y), tensor(y_rec))
    assert_close(got, np.mean(np.abs(x_rec - x)) + np.mean(np.abs(y_rec - y)), rtol=1e-12,
                 name="cycle_loss(x, x_rec, y, y_rec)")
    exact = _scalar(ctx, "cycle_loss", tensor(x), tensor(x), tensor(y), tensor(y))
    expect(exact == 0.0, f"cycle_loss(x, x, y, y) should be 0 (exact reconstructions); got {exact!r}")
    half = _scalar(ctx, "cycle_loss", tensor(x), tensor(x), tensor(y), tensor(y_rec))
    assert_close(half, np.mean(np.abs(y_rec - y)), rtol=1e-12, name="cycle_loss(x, x, y, y_rec)")
