"""Thresholds χ(x ≥ θ) instead of χ(x ≤ θ): the same VC dimension, but +1 on the right."""


def _realizable(points, labels, hclass, _original=_realizable):
    if hclass == "threshold":
        return _original(-points, labels, hclass)
    return _original(points, labels, hclass)
