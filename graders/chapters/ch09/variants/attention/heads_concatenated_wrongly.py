"""The heads' outputs (h, N, dv/h) are reshaped to (N, dv) without moving the head axis back."""


def multi_head(X, W_Q, W_K, W_V, W_O, h):
    N, d, dv = X.shape[0], W_Q.shape[1], W_V.shape[1]
    Q = (X @ W_Q).reshape(N, h, d // h).transpose(0, 1)
    K = (X @ W_K).reshape(N, h, d // h).transpose(0, 1)
    V = (X @ W_V).reshape(N, h, dv // h).transpose(0, 1)
    heads, _ = attention(Q, K, V)
    return heads.reshape(N, dv) @ W_O
