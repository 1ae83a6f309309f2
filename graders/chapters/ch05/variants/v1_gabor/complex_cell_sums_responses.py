"""The complex cell as a sum of the two responses, ⟨g₀, img⟩ + ⟨g_{π/2}, img⟩, instead of their squares."""


def complex_cell(img, theta, wavelength, sigma, gamma=0.5):
    size = len(img)
    even = float(np.sum(gabor(size, theta, wavelength, sigma, gamma, 0.0) * img))
    odd = float(np.sum(gabor(size, theta, wavelength, sigma, gamma, np.pi / 2) * img))
    return even + odd
