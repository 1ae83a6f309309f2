"""Non-symmetric map A = S1^{−½} S2^{½} instead of eq 13.28."""


def gaussian_ot_map(m1, S1, m2, S2):
    lam, V = np.linalg.eigh(S1)
    A = ((V / np.sqrt(lam)) @ V.T) @ _psd_sqrt(S2)
    return A, m2 - A @ m1
