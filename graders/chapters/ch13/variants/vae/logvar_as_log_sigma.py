"""logvar treated as log σ: σ = e^{logvar} in z and σ² = e^{2 logvar} in the KL."""


def reparameterize(mu, logvar, eps):
    return mu + torch.exp(logvar) * eps


def gaussian_kl(mu, logvar):
    return 0.5 * (torch.exp(2 * logvar) + mu ** 2 - 2 * logvar - 1).sum(dim=1)
