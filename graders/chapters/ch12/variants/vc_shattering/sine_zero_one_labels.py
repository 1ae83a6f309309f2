"""Labels read as 0/1: c_i = 1 − y_i, so a −1 label adds 2·2ⁱπ (a full turn) and changes nothing."""


def sine_theta(labels):
    labels = np.asarray(labels, dtype=float)
    c = 1 - labels
    return float(math.pi * (1 + np.sum(c * 2.0 ** np.arange(1, len(labels) + 1))))
