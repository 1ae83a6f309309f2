"""Vectorised with one-hot matrices: counts as a one-hot sum, gradients as matrix products."""


def _lse(scores):
    m = scores.max()
    return m + np.log(np.exp(scores - m).sum())


def skipgram_loss(W_in, W_out, center, context):
    W_in, W_out = np.asarray(W_in, float), np.asarray(W_out, float)
    M = len(W_in)
    T = np.eye(M)[np.asarray(context)]                   # (C, M) one-hot targets
    e = np.eye(M)[center]
    h = e @ W_in
    s = W_out @ h
    C = len(T)
    loss = C * _lse(s) - T.sum(axis=0) @ s
    g = C * np.exp(s - _lse(s)) - T.sum(axis=0)
    return float(loss), np.outer(e, W_out.T @ g), np.outer(g, h)


def cbow_loss(W_in, W_out, context, center):
    W_in, W_out = np.asarray(W_in, float), np.asarray(W_out, float)
    M = len(W_in)
    avg = np.eye(M)[np.asarray(context)].mean(axis=0)    # (M,): weights 1/C, summed over repeats
    h = avg @ W_in
    s = W_out @ h
    g = np.exp(s - _lse(s)) - np.eye(M)[center]
    return float(_lse(s) - s[center]), np.outer(avg, W_out.T @ g), np.outer(g, h)


def sgns_loss(W_in, W_out, center, context, negatives):
    W_in, W_out = np.asarray(W_in, float), np.asarray(W_out, float)
    M = len(W_in)
    P = np.eye(M)[np.asarray(context)]                   # (C, M)
    N = np.eye(M)[np.asarray(negatives).ravel()]         # (C K, M)
    e = np.eye(M)[center]
    h = e @ W_in
    s = W_out @ h
    pos, neg = P @ s, N @ s
    loss = np.logaddexp(0.0, -pos).sum() + np.logaddexp(0.0, neg).sum()
    gp = -np.exp(-np.logaddexp(0.0, pos))                # σ(s) − 1
    gn = np.exp(-np.logaddexp(0.0, -neg))                # σ(s)
    g = P.T @ gp + N.T @ gn                              # (M,)
    return float(loss), np.outer(e, W_out.T @ g), np.outer(g, h)
