"""cbow_loss averages the context with the book's 1/(2c − 1), i.e. divides the sum by C − 1."""


def cbow_loss(W_in, W_out, context, center):
    W_in, W_out, context = np.asarray(W_in, float), np.asarray(W_out, float), np.asarray(context)
    C = len(context)
    h = W_in[context].sum(axis=0) / (C - 1)
    scores = W_out @ h
    top = scores.max()
    log_partition = top + np.log(np.exp(scores - top).sum())
    dscores = np.exp(scores - log_partition)
    dscores[center] -= 1.0
    dW_in = np.zeros_like(W_in)
    np.add.at(dW_in, context, (W_out.T @ dscores) / (C - 1))
    return float(log_partition - scores[center]), dW_in, np.outer(dscores, h)
