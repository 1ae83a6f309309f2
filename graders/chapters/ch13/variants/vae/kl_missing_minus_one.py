"""The KL without its −1: ½ Σ (σ² + μ² − log σ²), which is k/2 at the prior."""


def gaussian_kl(mu, logvar):
    return 0.5 * (torch.exp(logvar) + mu ** 2 - logvar).sum(dim=1)
