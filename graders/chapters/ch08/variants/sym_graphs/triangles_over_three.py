"""tr(A³)/3: each triangle counted once per direction but not once per starting node."""


def triangle_count():
    return sp.Trace(A**3) / 3
