"""k_prod as a matrix product k1(X, Z) @ k2(Z, Z) instead of the elementwise (Schur) product."""


def k_prod(k1, k2):
    def k(X, Z):
        return k1(X, Z) @ k2(Z, Z)
    return k
