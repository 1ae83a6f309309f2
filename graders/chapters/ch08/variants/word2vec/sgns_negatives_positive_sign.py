"""sgns_loss scores the negatives with log σ(+uᵀh) instead of log σ(−uᵀh)."""


def sgns_loss(W_in, W_out, center, context, negatives):
    W_in, W_out = np.asarray(W_in, float), np.asarray(W_out, float)
    context, negatives = np.asarray(context), np.asarray(negatives)
    h = W_in[center]
    positive, negative = W_out[context] @ h, W_out[negatives] @ h
    loss = -(_log_sigmoid(positive).sum() + _log_sigmoid(negative).sum())
    g_positive = -np.exp(_log_sigmoid(-positive))
    g_negative = -np.exp(_log_sigmoid(-negative))
    dW_out = np.zeros_like(W_out)
    np.add.at(dW_out, context, np.outer(g_positive, h))
    np.add.at(dW_out, negatives.ravel(), np.outer(g_negative.ravel(), h))
    dW_in = np.zeros_like(W_in)
    dW_in[center] = g_positive @ W_out[context] + g_negative.ravel() @ W_out[negatives.ravel()]
    return float(loss), dW_in, dW_out
