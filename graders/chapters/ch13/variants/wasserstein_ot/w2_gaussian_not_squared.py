"""W2 vs W2² confusion: w2_gaussian_sq returns the distance W2, not its square."""

_w2_sq_right = w2_gaussian_sq


def w2_gaussian_sq(m1, S1, m2, S2):
    return float(np.sqrt(_w2_sq_right(m1, S1, m2, S2)))
