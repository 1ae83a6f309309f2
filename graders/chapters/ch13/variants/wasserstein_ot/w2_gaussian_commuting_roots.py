"""Bures term tr(S1 + S2 − 2 S1^{½} S2^{½}): right only when S1 and S2 commute."""


def w2_gaussian_sq(m1, S1, m2, S2):
    cross = _psd_sqrt(S1) @ _psd_sqrt(S2)
    return float(np.sum((m1 - m2) ** 2) + np.trace(S1) + np.trace(S2) - 2 * np.trace(cross))
