"""The removable singularity by a two-term Taylor expansion within 1e-6 mV of it (x/(1 − e^{−x/s}) ≈
s + x/2), the rest as written; spikes by np.diff of the side of the threshold."""


def _vtrap(x, scale):
    if abs(x) < 1e-6:
        return scale + x / 2.0
    return x / (1.0 - math.exp(-x / scale))


def count_spikes(V, thr=0.0):
    side = (np.asarray(V) >= thr).astype(int)
    return int(np.sum(np.diff(side) == 1))
