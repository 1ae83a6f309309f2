"""Every filter and grating pixel by pixel in Python loops; the cells through np.vdot."""


def gabor(size, theta, wavelength, sigma, gamma=0.5, psi=0.0):
    c = (size - 1) / 2
    out = np.empty((size, size))
    for row in range(size):
        for col in range(size):
            x, y = col - c, row - c
            xr = x * math.cos(theta) + y * math.sin(theta)
            yr = -x * math.sin(theta) + y * math.cos(theta)
            out[row, col] = math.exp(-(xr * xr + gamma * gamma * yr * yr) / (2 * sigma * sigma)) \
                * math.cos(2 * math.pi * xr / wavelength + psi)
    return out


def grating(size, theta, wavelength, phase):
    c = (size - 1) / 2
    return np.array([[math.cos(2 * math.pi * ((col - c) * math.cos(theta) + (row - c) * math.sin(theta)) / wavelength
                               + phase) for col in range(size)] for row in range(size)])


def simple_cell(img, theta, wavelength, sigma, gamma=0.5, psi=0.0):
    return max(0.0, float(np.vdot(gabor(len(img), theta, wavelength, sigma, gamma, psi), img)))


def complex_cell(img, theta, wavelength, sigma, gamma=0.5):
    even = np.vdot(gabor(len(img), theta, wavelength, sigma, gamma), img)
    odd = np.vdot(gabor(len(img), theta, wavelength, sigma, gamma, np.pi / 2), img)
    return float(abs(complex(even, odd)) ** 2)
