"""The affine coupling layer's log-determinant omitted (returned as zeros)."""


def _forward_without_logdet(self, x):
    s, t = _scale_shift(self, self.mask * x)
    y = self.mask * x + (1 - self.mask) * (x * torch.exp(s) + t)
    return y, torch.zeros_like(s[:, 0])


AffineCoupling.forward = _forward_without_logdet
