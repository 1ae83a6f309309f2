"""The book's half-line of §12.2.1: thresholds in both directions (x ≤ θ or x ≥ θ), so two points are shattered."""


def _realizable(points, labels, hclass, _original=_realizable):
    if hclass == "threshold":
        return _original(points, labels, hclass) or _original(points, -labels, hclass)
    return _original(points, labels, hclass)
