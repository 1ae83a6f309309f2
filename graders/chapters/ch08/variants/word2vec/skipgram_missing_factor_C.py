"""skipgram_loss counts the log-partition once instead of once per context word (the factor C missing)."""


def skipgram_loss(W_in, W_out, center, context):
    W_in, W_out, context = np.asarray(W_in, float), np.asarray(W_out, float), np.asarray(context)
    h = W_in[center]
    scores = W_out @ h
    top = scores.max()
    log_partition = top + np.log(np.exp(scores - top).sum())
    loss = log_partition - scores[context].sum()
    dscores = np.exp(scores - log_partition) - np.bincount(context, minlength=len(W_in))
    dW_in = np.zeros_like(W_in)
    dW_in[center] = W_out.T @ dscores
    return float(loss), dW_in, np.outer(dscores, h)
