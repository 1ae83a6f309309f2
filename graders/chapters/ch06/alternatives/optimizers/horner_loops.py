"""Unrolled momentum by Horner's scheme, Adam corrected inside the root, a minibatch mean × N.

Momentum written as θ + βV − η∇c; the unrolled velocity by Horner's scheme from the oldest gradient,
−η((…(∇c₁β + ∇c₂)β + …)β + ∇c_t); Adam with the corrections applied inside the square root; a minibatch mean × N."""


def momentum_step(theta, V, grad, eta, beta):
    theta = check_array(theta, name="theta")
    V = check_array(V, name="V", shape=theta.shape)
    grad = check_array(grad, name="grad", shape=theta.shape)
    eta = check_scalar(eta, name="eta", lo=0, lo_open=True)
    beta = check_scalar(beta, name="beta", lo=0, hi=1, hi_open=True)
    velocity = beta * V - eta * grad
    return theta + beta * V - eta * grad, velocity


def momentum_unrolled(grads, eta, beta):
    grads = check_array(grads, name="grads", ndim=2, layout="(t, p)")
    eta = check_scalar(eta, name="eta", lo=0, lo_open=True)
    beta = check_scalar(beta, name="beta", lo=0, hi=1, hi_open=True)
    acc = np.zeros(grads.shape[1])
    for k in range(grads.shape[0]):
        acc = acc * beta + grads[k]
    return -eta * acc


def adam_step(theta, m, v, grad, t, lr, b1=0.9, b2=0.999, eps=1e-8):
    theta = check_array(theta, name="theta")
    m = check_array(m, name="m", shape=theta.shape)
    v = check_array(v, name="v", shape=theta.shape)
    grad = check_array(grad, name="grad", shape=theta.shape)
    t = check_int(t, name="t", lo=1)
    lr = check_scalar(lr, name="lr", lo=0, lo_open=True)
    b1 = check_scalar(b1, name="b1", lo=0, hi=1, hi_open=True)
    b2 = check_scalar(b2, name="b2", lo=0, hi=1, hi_open=True)
    eps = check_scalar(eps, name="eps", lo=0, lo_open=True)
    m = m * b1 + grad * (1.0 - b1)
    v = v * b2 + np.square(grad) * (1.0 - b2)
    return theta - lr * (m / (1.0 - b1**t)) / (np.sqrt(v / (1.0 - b2**t)) + eps), m, v


def minibatch_grad(per_sample_grads, idx):
    G = check_array(per_sample_grads, name="per_sample_grads", ndim=2, layout="(N, p)")
    idx = check_array(idx, name="idx", ndim=1, dtype=None)
    if idx.size == 0 or idx.dtype.kind not in "iu":
        raise ValueError(f"idx should be a non-empty sequence of integer indices; got {idx.tolist()!r}")
    if idx.min() < 0 or idx.max() >= G.shape[0]:
        raise ValueError(f"idx should index rows 0..{G.shape[0] - 1}; got {idx.tolist()!r}")
    total = np.zeros(G.shape[1])
    for i in idx:
        total += G[i]
    return G.shape[0] * (total / len(idx))
