"""sgns_loss assigns dW_out[negatives] by fancy indexing: a negative drawn twice is counted once."""
_correct_sgns_loss = sgns_loss


def sgns_loss(W_in, W_out, center, context, negatives):
    loss, dW_in, _ = _correct_sgns_loss(W_in, W_out, center, context, negatives)
    W_in, W_out = np.asarray(W_in, float), np.asarray(W_out, float)
    context, negatives = np.asarray(context), np.asarray(negatives)
    h = W_in[center]
    g_positive = -1.0 / (1.0 + np.exp(W_out[context] @ h))
    g_negative = 1.0 / (1.0 + np.exp(-(W_out[negatives] @ h)))
    dW_out = np.zeros_like(W_out)
    dW_out[negatives.ravel()] += np.outer(g_negative.ravel(), h)
    np.add.at(dW_out, context, np.outer(g_positive, h))
    return loss, dW_in, dW_out
