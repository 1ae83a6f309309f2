"""cbow_loss sums the context vectors instead of averaging them."""


def cbow_loss(W_in, W_out, context, center):
    W_in, W_out, context = np.asarray(W_in, float), np.asarray(W_out, float), np.asarray(context)
    h = W_in[context].sum(axis=0)
    scores = W_out @ h
    top = scores.max()
    log_partition = top + np.log(np.exp(scores - top).sum())
    dscores = np.exp(scores - log_partition)
    dscores[center] -= 1.0
    dW_in = np.zeros_like(W_in)
    np.add.at(dW_in, context, W_out.T @ dscores)
    return float(log_partition - scores[center]), dW_in, np.outer(dscores, h)
