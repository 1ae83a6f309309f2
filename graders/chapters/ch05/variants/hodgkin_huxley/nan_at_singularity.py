"""x / (1 − e^{−x/10}) computed as written: 0/0 = NaN at V = −55 and −40 mV."""


def _vtrap(x, scale):
    with np.errstate(all="ignore"):
        return float(np.float64(x) / (1.0 - np.exp(-np.float64(x) / scale)))
