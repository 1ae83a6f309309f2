"""The quadrature pair as one complex filter, envelope · e^{i 2πx′/λ} (ψ = 0 real part, ψ = π/2 minus the
imaginary part): the energy is |⟨envelope · e^{i2πx′/λ}, img⟩|²; coordinates from np.meshgrid."""


def _rotated(size, theta):
    axis = np.arange(size) - (size - 1) / 2
    x, y = np.meshgrid(axis, axis)  # x varies along columns
    return np.cos(theta) * x + np.sin(theta) * y, np.cos(theta) * y - np.sin(theta) * x


def complex_cell(img, theta, wavelength, sigma, gamma=0.5):
    x_rot, y_rot = _rotated(len(img), theta)
    envelope = np.exp(-(x_rot**2 + (gamma * y_rot) ** 2) / (2 * sigma**2))
    return float(np.abs(np.sum(envelope * np.exp(2j * np.pi * x_rot / wavelength) * img)) ** 2)


def tuning_curve(cell, thetas, *, size, wavelength, phase=0.0):
    out = np.zeros(len(thetas))
    for k, theta in enumerate(thetas):
        out[k] = cell(grating(size, theta, wavelength, phase))
    return out
