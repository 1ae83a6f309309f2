"""count_spikes counts downward crossings too (every change of side of thr)."""


def count_spikes(V, thr=0.0):
    above = np.asarray(V) >= thr
    return int(np.count_nonzero(above[1:] != above[:-1]))
