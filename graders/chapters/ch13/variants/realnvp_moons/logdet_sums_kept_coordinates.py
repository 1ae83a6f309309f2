"""The log-determinant summing the raw scale over every coordinate, the kept ones included."""


def _forward_all(self, x):
    raw, t = self.net(self.mask * x).chunk(2, dim=1)
    free = 1 - self.mask
    s = torch.tanh(raw)
    y = self.mask * x + free * (x * torch.exp(s * free) + t * free)
    return y, s.sum(dim=1)


AffineCoupling.forward = _forward_all
