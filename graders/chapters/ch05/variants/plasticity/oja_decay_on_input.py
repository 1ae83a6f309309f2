"""Oja's decay applied to the input: w + ηyx − ηy²x instead of − ηy²w."""


def oja_step(w, x, eta):
    y = w @ x
    return w + eta * y * x - eta * y * y * x


def run_oja(X, eta, w0):
    W = [np.array(w0, dtype=float)]
    for x in X:
        W.append(oja_step(W[-1], x, eta))
    return np.array(W)
