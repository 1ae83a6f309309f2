"""The conjugate of −log x with a sign error: −1 + log(−u) instead of −1 − log(−u)."""


def conj_neglog():
    return -1 + sp.log(-u)
