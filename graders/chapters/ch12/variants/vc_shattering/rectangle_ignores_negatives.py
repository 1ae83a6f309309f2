"""Rectangle test that only looks at the positives (a bounding box always exists): every labeling "is realized"."""


def _realizable(points, labels, hclass, _original=_realizable):
    if hclass == "axis_rectangle":
        return True
    return _original(points, labels, hclass)
