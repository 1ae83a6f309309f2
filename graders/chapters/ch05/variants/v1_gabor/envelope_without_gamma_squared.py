"""The envelope with γ y′² instead of γ² y′²."""


def gabor(size, theta, wavelength, sigma, gamma=0.5, psi=0.0):
    x_rot, y_rot = _rotated(size, theta)
    return np.exp(-(x_rot**2 + gamma * y_rot**2) / (2 * sigma**2)) * np.cos(2 * np.pi * x_rot / wavelength + psi)
