"""The envelope divided by 2σ instead of 2σ²."""


def gabor(size, theta, wavelength, sigma, gamma=0.5, psi=0.0):
    x_rot, y_rot = _rotated(size, theta)
    return np.exp(-(x_rot**2 + gamma**2 * y_rot**2) / (2 * sigma)) * np.cos(2 * np.pi * x_rot / wavelength + psi)
