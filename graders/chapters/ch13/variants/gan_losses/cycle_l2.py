"""The cycle loss with squared errors (an L2 loss) instead of absolute ones."""


def cycle_loss(x, x_rec, y, y_rec):
    return ((x_rec - x) ** 2).mean() + ((y_rec - y) ** 2).mean()
