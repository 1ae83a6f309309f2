"""skip-gram and CBOW take log Σ exp without subtracting the maximum, and SGNS log(1/(1 + e^{−x})): overflow at scores ~1e3."""


def _naive_lse(scores):
    return np.log(np.exp(scores).sum())


def skipgram_loss(W_in, W_out, center, context):
    W_in, W_out, context = np.asarray(W_in, float), np.asarray(W_out, float), np.asarray(context)
    h = W_in[center]
    scores = W_out @ h
    C = len(context)
    dscores = C * np.exp(scores) / np.exp(scores).sum() - np.bincount(context, minlength=len(W_in))
    dW_in = np.zeros_like(W_in)
    dW_in[center] = W_out.T @ dscores
    return float(C * _naive_lse(scores) - scores[context].sum()), dW_in, np.outer(dscores, h)


def cbow_loss(W_in, W_out, context, center):
    W_in, W_out, context = np.asarray(W_in, float), np.asarray(W_out, float), np.asarray(context)
    h = W_in[context].mean(axis=0)
    scores = W_out @ h
    dscores = np.exp(scores) / np.exp(scores).sum()
    dscores[center] -= 1.0
    dW_in = np.zeros_like(W_in)
    np.add.at(dW_in, context, (W_out.T @ dscores) / len(context))
    return float(_naive_lse(scores) - scores[center]), dW_in, np.outer(dscores, h)


def sgns_loss(W_in, W_out, center, context, negatives):
    W_in, W_out = np.asarray(W_in, float), np.asarray(W_out, float)
    context, negatives = np.asarray(context), np.asarray(negatives)
    h = W_in[center]
    positive, negative = W_out[context] @ h, W_out[negatives] @ h
    sig_pos, sig_neg = 1.0 / (1.0 + np.exp(-positive)), 1.0 / (1.0 + np.exp(negative))
    loss = -(np.log(sig_pos).sum() + np.log(sig_neg).sum())
    g_positive, g_negative = sig_pos - 1.0, 1.0 - sig_neg
    dW_out = np.zeros_like(W_out)
    np.add.at(dW_out, context, np.outer(g_positive, h))
    np.add.at(dW_out, negatives.ravel(), np.outer(g_negative.ravel(), h))
    dW_in = np.zeros_like(W_in)
    dW_in[center] = g_positive @ W_out[context] + g_negative.ravel() @ W_out[negatives.ravel()]
    return float(loss), dW_in, dW_out
