"""count_spikes counts the samples above thr, not the crossings."""


def count_spikes(V, thr=0.0):
    return int(np.count_nonzero(np.asarray(V) >= thr))
