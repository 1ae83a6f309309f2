"""k_poly with the coefficients in decreasing degree (np.polyval order): coefs[0] multiplies the top power."""


def k_poly(k, coefs):
    coefs = list(coefs)

    def kp(X, Z):
        return np.polyval(coefs, np.asarray(k(X, Z), dtype=float))
    return kp
