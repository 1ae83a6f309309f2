"""labels[0] read as the label of 2⁻ᵐ instead of ½ (the points in reversed order)."""


def sine_theta(labels):
    labels = np.asarray(labels, dtype=float)[::-1]
    c = (1 - labels) / 2
    return float(math.pi * (1 + np.sum(c * 2.0 ** np.arange(1, len(labels) + 1))))
