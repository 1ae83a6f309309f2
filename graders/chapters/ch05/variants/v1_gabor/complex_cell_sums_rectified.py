"""The complex cell as the sum of two simple cells (rectified, not squared)."""


def complex_cell(img, theta, wavelength, sigma, gamma=0.5):
    return simple_cell(img, theta, wavelength, sigma, gamma, 0.0) + simple_cell(img, theta, wavelength, sigma,
                                                                                 gamma, np.pi / 2)
