"""Minibatch gradient without the N/|I| factor (the plain mean over the batch)."""


def minibatch_grad(per_sample_grads, idx):
    G = np.asarray(per_sample_grads, dtype=float)
    return G[np.asarray(idx)].mean(axis=0)
