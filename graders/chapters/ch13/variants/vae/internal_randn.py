"""Fresh noise drawn inside reparameterize (torch.randn_like) instead of the eps argument."""


def reparameterize(mu, logvar, eps):
    return mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
