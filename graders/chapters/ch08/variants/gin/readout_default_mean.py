"""readout pools with the mean by default."""
_correct_readout = readout


def readout(X, how="mean"):
    return _correct_readout(X, how)
