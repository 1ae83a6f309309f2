"""run_oja returns the N weights after each input, without w0 as row 0."""


def run_oja(X, eta, w0):
    W = []
    w = np.array(w0, dtype=float)
    for x in X:
        w = oja_step(w, x, eta)
        W.append(w)
    return np.array(W)
