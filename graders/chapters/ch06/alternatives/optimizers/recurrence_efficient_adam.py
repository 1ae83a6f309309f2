"""Unrolled momentum by the recurrence, Adam in the paper's efficient form, np.bincount minibatch.

The unrolled velocity by running the recurrence V ← βV − η∇c_k from V = 0; Adam in the paper's efficient form
(step size lr·√(1−β₂ᵗ)/(1−β₁ᵗ), ε scaled by √(1−β₂ᵗ)); the minibatch sum through np.bincount counts."""


def momentum_step(theta, V, grad, eta, beta):
    theta = check_array(theta, name="theta")
    V = check_array(V, name="V", shape=theta.shape)
    grad = check_array(grad, name="grad", shape=theta.shape)
    eta = check_scalar(eta, name="eta", lo=0, lo_open=True)
    beta = check_scalar(beta, name="beta", lo=0, hi=1, hi_open=True)
    V_new = np.add(beta * V, -eta * grad)
    return np.add(theta, V_new), V_new


def momentum_unrolled(grads, eta, beta):
    grads = check_array(grads, name="grads", ndim=2, layout="(t, p)")
    eta = check_scalar(eta, name="eta", lo=0, lo_open=True)
    beta = check_scalar(beta, name="beta", lo=0, hi=1, hi_open=True)
    V = np.zeros(grads.shape[1])
    for g in grads:
        V = beta * V - eta * g
    return V


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
    m_new = b1 * m + (1 - b1) * grad
    v_new = b2 * v + (1 - b2) * grad * grad
    root = np.sqrt(1.0 - b2**t)
    step = lr * root / (1.0 - b1**t)
    return theta - step * m_new / (np.sqrt(v_new) + eps * root), m_new, v_new


def minibatch_grad(per_sample_grads, idx):
    G = check_array(per_sample_grads, name="per_sample_grads", ndim=2, layout="(N, p)")
    idx = check_array(idx, name="idx", ndim=1, dtype=None)
    if idx.size == 0 or idx.dtype.kind not in "iu":
        raise ValueError(f"idx should be a non-empty sequence of integer indices; got {idx.tolist()!r}")
    if idx.min() < 0 or idx.max() >= G.shape[0]:
        raise ValueError(f"idx should index rows 0..{G.shape[0] - 1}; got {idx.tolist()!r}")
    counts = np.bincount(idx, minlength=G.shape[0]).astype(np.float64)
    return counts @ G * (G.shape[0] / idx.size)
