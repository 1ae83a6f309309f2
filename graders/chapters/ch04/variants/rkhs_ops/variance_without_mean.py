"""Feature variance without subtracting the mean: tr K / n (the mean squared norm)."""


def feature_variance(K):
    K = _check_gram(K)
    return float(np.trace(K) / K.shape[0])
