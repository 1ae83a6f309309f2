"""skipgram_loss puts the gradient of h into W_in's row of every context word instead of the centre's."""
_correct_skipgram_loss = skipgram_loss


def skipgram_loss(W_in, W_out, center, context):
    loss, dW_in, dW_out = _correct_skipgram_loss(W_in, W_out, center, context)
    moved = np.zeros_like(dW_in)
    moved[np.asarray(context)] = dW_in[center]
    return loss, moved, dW_out
