"""The penalty on the squared norm, (‖∇φ‖² − 1)², instead of (‖∇φ‖ − 1)²."""


def gradient_penalty(critic, x_real, x_fake, alpha):
    x_hat = (alpha * x_real + (1 - alpha) * x_fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    return ((grad.flatten(1).pow(2).sum(1) - 1) ** 2).mean()
