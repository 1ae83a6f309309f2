"""Correct, written with F.logsigmoid/F.softplus, grad_outputs, F.normalize and F.l1_loss."""
import torch.nn.functional as F  # noqa: E402


def d_loss_bce(real_logits, fake_logits):
    return -F.logsigmoid(real_logits).mean() - F.logsigmoid(-fake_logits).mean()


def g_loss_nonsat(fake_logits):
    return F.softplus(-fake_logits).mean()


def wgan_critic_loss(real, fake):
    return -(torch.mean(real) - torch.mean(fake))


def gradient_penalty(critic, x_real, x_fake, alpha):
    x_hat = torch.lerp(x_fake, x_real, alpha).detach().requires_grad_(True)
    scores = critic(x_hat)
    grad = torch.autograd.grad(scores, x_hat, grad_outputs=torch.ones_like(scores), create_graph=True,
                               retain_graph=True)[0]
    return ((grad.reshape(len(grad), -1).norm(2, dim=1) - 1) ** 2).mean()


def power_iteration_sigma(W, n_iter, u0):
    u = F.normalize(u0.detach(), dim=0)
    for _ in range(n_iter):
        v = F.normalize(torch.mv(W.detach().t(), u), dim=0)
        u = F.normalize(torch.mv(W.detach(), v), dim=0)
    return torch.dot(u, torch.mv(W, v)), u, v


def spectral_normalize(W, n_iter):
    sigma, _, _ = power_iteration_sigma(W, n_iter, torch.ones(W.shape[0], dtype=W.dtype, device=W.device))
    return W / sigma


def cycle_loss(x, x_rec, y, y_rec):
    return F.l1_loss(x_rec, x) + F.l1_loss(y_rec, y)
