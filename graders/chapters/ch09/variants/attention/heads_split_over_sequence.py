"""Heads split over the sequence: Q.reshape(h, N, d/h) without the transpose mixes tokens into heads."""


def multi_head(X, W_Q, W_K, W_V, W_O, h):
    N, d, dv = X.shape[0], W_Q.shape[1], W_V.shape[1]
    Q = (X @ W_Q).reshape(h, N, d // h)
    K = (X @ W_K).reshape(h, N, d // h)
    V = (X @ W_V).reshape(h, N, dv // h)
    heads, _ = attention(Q, K, V)
    return heads.transpose(0, 1).reshape(N, dv) @ W_O
