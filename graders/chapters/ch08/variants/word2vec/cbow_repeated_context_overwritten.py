"""cbow_loss writes dW_in[context] = ... by fancy indexing, so a repeated context word gets one share, not two."""
_correct_cbow_loss = cbow_loss


def cbow_loss(W_in, W_out, context, center):
    loss, _, dW_out = _correct_cbow_loss(W_in, W_out, context, center)
    W_in, W_out, context = np.asarray(W_in, float), np.asarray(W_out, float), np.asarray(context)
    h = W_in[context].mean(axis=0)
    scores = W_out @ h
    p = np.exp(scores - scores.max())
    dscores = p / p.sum()
    dscores[center] -= 1.0
    dW_in = np.zeros_like(W_in)
    dW_in[context] += (W_out.T @ dscores) / len(context)
    return loss, dW_in, dW_out
