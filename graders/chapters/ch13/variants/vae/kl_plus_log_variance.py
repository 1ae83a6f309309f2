"""The KL with + log σ² instead of − log σ²."""


def gaussian_kl(mu, logvar):
    return 0.5 * (torch.exp(logvar) + mu ** 2 + logvar - 1).sum(dim=1)
