"""tuning_curve builds its gratings at phase 0 whatever phase it is given."""


def tuning_curve(cell, thetas, *, size, wavelength, phase=0.0):
    return np.array([float(cell(grating(size, theta, wavelength, 0.0))) for theta in thetas])
