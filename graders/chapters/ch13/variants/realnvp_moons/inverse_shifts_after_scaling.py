"""The affine inverse undoing the scale before the shift: y ⊙ e^{−s} − t instead of (y − t) ⊙ e^{−s}."""


def _inverse_wrong_order(self, y):
    s, t = _scale_shift(self, self.mask * y)
    return self.mask * y + (1 - self.mask) * (y * torch.exp(-s) - t)


AffineCoupling.inverse = _inverse_wrong_order
