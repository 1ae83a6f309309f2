"""A = S2^{½} S1^{−½}: pushes N(m1, S1) onto N(m2, S2) but is not symmetric, so not the optimal map."""


def gaussian_ot_map(m1, S1, m2, S2):
    lam, V = np.linalg.eigh(S1)
    A = _psd_sqrt(S2) @ ((V / np.sqrt(lam)) @ V.T)
    return A, m2 - A @ m1
