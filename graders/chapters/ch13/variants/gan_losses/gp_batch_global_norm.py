"""One gradient norm over the whole batch instead of one per sample."""


def gradient_penalty(critic, x_real, x_fake, alpha):
    x_hat = (alpha * x_real + (1 - alpha) * x_fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    return (torch.linalg.vector_norm(grad) - 1) ** 2
