"""The mask convention inverted: the coordinates where mask = 1 are transformed, conditioned on the others."""


def _forward_inverted(self, x):
    keep = 1 - self.mask
    raw, t = self.net(keep * x).chunk(2, dim=1)
    s, t = torch.tanh(raw) * self.mask, t * self.mask
    return keep * x + self.mask * (x * torch.exp(s) + t), s.sum(dim=1)


def _inverse_inverted(self, y):
    keep = 1 - self.mask
    raw, t = self.net(keep * y).chunk(2, dim=1)
    s, t = torch.tanh(raw) * self.mask, t * self.mask
    return keep * y + self.mask * ((y - t) * torch.exp(-s))


AffineCoupling.forward = _forward_inverted
AffineCoupling.inverse = _inverse_inverted
