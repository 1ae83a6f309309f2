"""softmax stabilised by the global maximum of Z, not each column's: a column far below it underflows to 0/0."""


def softmax(Z, axis=0):
    Z = np.asarray(Z, dtype=float)
    E = np.exp(Z - Z.max())
    return E / E.sum(axis=axis, keepdims=True)
