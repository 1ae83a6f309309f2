"""Loops over context and negative words, one softmax / logistic term each, log-softmax by hand."""


def _log_softmax(scores):
    shifted = scores - np.max(scores)
    return shifted - np.log(np.sum(np.exp(shifted)))


def skipgram_loss(W_in, W_out, center, context):
    W_in, W_out = np.asarray(W_in, float), np.asarray(W_out, float)
    h = W_in[center]
    log_p = _log_softmax(W_out @ h)
    p = np.exp(log_p)
    loss, dW_out, dh = 0.0, np.zeros_like(W_out), np.zeros(W_in.shape[1])
    for t in np.asarray(context).tolist():
        loss -= log_p[t]
        g = p.copy()
        g[t] -= 1.0
        dW_out += np.outer(g, h)
        dh += W_out.T @ g
    dW_in = np.zeros_like(W_in)
    dW_in[center] = dh
    return float(loss), dW_in, dW_out


def cbow_loss(W_in, W_out, context, center):
    W_in, W_out = np.asarray(W_in, float), np.asarray(W_out, float)
    words = np.asarray(context).tolist()
    h = sum(W_in[t] for t in words) / len(words)
    log_p = _log_softmax(W_out @ h)
    g = np.exp(log_p)
    g[center] -= 1.0
    dW_in = np.zeros_like(W_in)
    for t in words:
        dW_in[t] += W_out.T @ g / len(words)
    return float(-log_p[center]), dW_in, np.outer(g, h)


def sgns_loss(W_in, W_out, center, context, negatives):
    W_in, W_out = np.asarray(W_in, float), np.asarray(W_out, float)
    h = W_in[center]
    loss, dW_out, dh = 0.0, np.zeros_like(W_out), np.zeros(W_in.shape[1])
    pairs = [(o, 1.0) for o in np.asarray(context).tolist()] + \
            [(n, -1.0) for n in np.asarray(negatives).ravel().tolist()]
    for word, label in pairs:
        s = label * (W_out[word] @ h)
        loss += np.logaddexp(0.0, -s)                   # −log σ(s)
        g = -label * 0.5 * (1.0 - np.tanh(s / 2.0))     # d/d(uᵀh) of −log σ(label·uᵀh)
        dW_out[word] += g * h
        dh += g * W_out[word]
    dW_in = np.zeros_like(W_in)
    dW_in[center] = dh
    return float(loss), dW_in, dW_out
