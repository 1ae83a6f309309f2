"""skipgram_loss has C log Σ exp in the loss but differentiates it as if C = 1 (softmax − counts)."""
_correct_skipgram_loss = skipgram_loss


def skipgram_loss(W_in, W_out, center, context):
    loss, _, _ = _correct_skipgram_loss(W_in, W_out, center, context)
    W_in, W_out, context = np.asarray(W_in, float), np.asarray(W_out, float), np.asarray(context)
    h = W_in[center]
    scores = W_out @ h
    p = np.exp(scores - scores.max())
    dscores = p / p.sum() - np.bincount(context, minlength=len(W_in))
    dW_in = np.zeros_like(W_in)
    dW_in[center] = W_out.T @ dscores
    return loss, dW_in, np.outer(dscores, h)
