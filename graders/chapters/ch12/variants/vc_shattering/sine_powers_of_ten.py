"""The classical construction for the points 10⁻ⁱ, θ = π(1 + Σ c_i 10ⁱ), used on the points 2⁻ⁱ."""


def sine_theta(labels):
    labels = np.asarray(labels, dtype=float)
    c = (1 - labels) / 2
    return float(math.pi * (1 + np.sum(c * 10.0 ** np.arange(1, len(labels) + 1))))
