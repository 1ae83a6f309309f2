"""torch's nn.Linear convention inside self_attention: Q = X W_Qᵀ (weights as (d, C)) instead of X W_Q."""


def self_attention(X, W_Q, W_K, W_V):
    return attention(X @ W_Q.T, X @ W_K.T, X @ W_V.T)
