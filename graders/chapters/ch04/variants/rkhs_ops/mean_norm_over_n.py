"""Feature-mean norm 1ᵀK1/n instead of 1ᵀK1/n² (one 1/n for the two means of the inner product)."""


def feature_mean_norm2(K):
    K = _check_gram(K)
    return float(K.sum() / K.shape[0])
