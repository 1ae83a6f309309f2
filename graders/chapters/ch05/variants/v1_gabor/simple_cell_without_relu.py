"""The simple cell without its rectification: ⟨g, img⟩, negative values kept."""


def simple_cell(img, theta, wavelength, sigma, gamma=0.5, psi=0.0):
    return float(np.sum(gabor(len(img), theta, wavelength, sigma, gamma, psi) * img))
