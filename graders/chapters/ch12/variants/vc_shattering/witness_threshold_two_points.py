"""witness('threshold') with two points, after the book's half-line claim (VC 2)."""


def witness(hclass, _original=witness):
    if hclass == "threshold":
        return np.array([[0.0], [1.0]])
    return _original(hclass)
