"""readout pools over the features (axis 1) instead of the nodes."""


def readout(X, how="sum"):
    X = np.asarray(X, float)
    return {"sum": np.sum, "mean": np.mean, "max": np.max}[how](X, axis=1)
