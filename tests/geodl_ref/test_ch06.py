"""Tests of geodl_ref.ch06 (mlp, optim, convmat, variational) against independent oracles.

Oracles:

* torch autograd in float64: the gradients of ``mlp_backward`` (relu, sigmoid, tanh, with and
  without ``last_linear``), ``filter_grad`` through a Toeplitz ``W(h)`` built by index gathering,
  ``diag_net_grads``, and the sensitivity ``S = ∂o^(L)/∂g^(l)`` of ``sensitivity_M``;
* ``torch.optim.SGD(momentum=β)`` and ``torch.optim.Adam`` trajectories in float64 on
  ``½θᵀHθ`` (CURRICULUM §6: 1e-12 and 1e-10 relative);
* ``np.convolve`` for ``conv1d_forward`` / ``conv1d_matrix``, and ``np.trace(δxᵀ, offset=−k)``
  for the tied gradient;
* central finite differences (h = 1e-6, points ≥ 1e-4 away from ReLU kinks);
* brute-force enumeration (the minibatch estimate averaged over all subsets of a size is the
  full gradient);
* numpy linear algebra: ``np.linalg.pinv`` (minimum-norm solution of ``ΔW o = −δ``),
  ``np.linalg.eigvalsh`` (``M = SSᵀ`` symmetric PSD, ``η_max = 2/(‖o‖²λ_max(M))``);
* the book's worked example 6.4 and hand-designed cases (ReLU′(0) = 0, a one-layer net where the
  step 2.2·η_max increases the loss and η_max itself leaves it unchanged).
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from geodl_ref.ch06.convmat import conv1d_forward, conv1d_matrix, diag_net_grads, filter_grad
from geodl_ref.ch06.mlp import mlp_backward, mlp_forward, sigma, sigma_prime
from geodl_ref.ch06.optim import adam_step, minibatch_grad, momentum_step, momentum_unrolled
from geodl_ref.ch06.variational import bp_layer_step, local_ls_update, max_safe_step, sensitivity_M

SETTINGS = settings(derandomize=True, database=None, deadline=None, max_examples=25)
DIMS = (5, 7, 3, 4)                                       # 5 → 7 → 3 → 4, non-square everywhere
N = 6
ACTS = ("relu", "sigmoid", "tanh")
TORCH_ACT = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}

# Book ex 6.4
EX64_W = np.array([[1.0, -1.0], [0.0, 1.0]])
EX64_B = np.array([1.0, 0.0])
EX64_X = np.array([[1.0], [-1.0]])
EX64_Y = np.array([[1.0], [0.0]])


def _rng(seed):
    return np.random.default_rng(seed)


def _net(seed, dims=DIMS, scale=0.8):
    rng = _rng(seed)
    return [(scale * rng.normal(size=(dout, din)), 0.3 * rng.normal(size=dout))
            for din, dout in zip(dims[:-1], dims[1:])]


def _data(seed, dims=DIMS, n=N):
    rng = _rng(seed + 1000)
    return rng.normal(size=(dims[0], n)), rng.normal(size=(dims[-1], n))


def _loss(params, X, Y, act="relu", last_linear=False):
    o = mlp_forward(params, X, act, last_linear)["o"][-1]
    return 0.5 * float(np.sum((Y - o) ** 2))


def _torch_mlp(params, X, Y, act, last_linear=False):
    """Loss c = Σ_n ½‖y_n − o_n‖² and its gradients by torch autograd (float64)."""
    tp = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)) for W, b in params]
    o = torch.tensor(X)
    for l, (W, b) in enumerate(tp, start=1):
        g = W @ o + b[:, None]
        o = g if (last_linear and l == len(tp)) else TORCH_ACT[act](g)
    c = 0.5 * ((torch.tensor(Y) - o) ** 2).sum()
    c.backward()
    return c.item(), o.detach().numpy(), [(W.grad.numpy(), b.grad.numpy()) for W, b in tp]


def _assert_grads_close(grads, ref, rtol=1e-10):
    assert len(grads) == len(ref)
    for (dW, db), (rW, rb) in zip(grads, ref):
        assert dW.shape == rW.shape and db.shape == rb.shape
        np.testing.assert_allclose(dW, rW, rtol=rtol, atol=rtol * (np.abs(rW).max() + 1e-300))
        np.testing.assert_allclose(db, rb, rtol=rtol, atol=rtol * (np.abs(rb).max() + 1e-300))


# ---------------------------------------------------------------------------------------------
# mlp.py
# ---------------------------------------------------------------------------------------------
def test_mlp_book_ex_6_4_first_iteration_then_every_relu_dead():
    params = [(EX64_W, EX64_B), (EX64_W, EX64_B)]
    cache = mlp_forward(params, EX64_X)
    np.testing.assert_array_equal(cache["o"][-1], [[4.0], [0.0]])
    assert _loss(params, EX64_X, EX64_Y) == 4.5
    (dW1, db1), (dW2, db2) = mlp_backward(params, cache, EX64_Y)
    np.testing.assert_array_equal(dW1, [[3.0, -3.0], [0.0, 0.0]])
    np.testing.assert_array_equal(db1, [3.0, 0.0])
    np.testing.assert_array_equal(dW2, [[9.0, 0.0], [0.0, 0.0]])
    np.testing.assert_array_equal(db2, [3.0, 0.0])
    # one gradient step with η = 1 (iteration 2 of the book)
    eta = 1.0
    new = [(EX64_W - eta * dW1, EX64_B - eta * db1), (EX64_W - eta * dW2, EX64_B - eta * db2)]
    np.testing.assert_array_equal(new[0][0], [[-2.0, 2.0], [0.0, 1.0]])
    np.testing.assert_array_equal(new[1][0], [[-8.0, -1.0], [0.0, 1.0]])
    cache2 = mlp_forward(new, EX64_X)
    for o in cache2["o"][1:]:
        np.testing.assert_array_equal(o, 0.0)             # every ReLU is dead
    assert _loss(new, EX64_X, EX64_Y) == 0.5
    for dW, db in mlp_backward(new, cache2, EX64_Y):
        np.testing.assert_array_equal(dW, 0.0)
        np.testing.assert_array_equal(db, 0.0)


def test_mlp_forward_column_layout_and_sigma_at_the_output():
    params = _net(1)
    X, Y = _data(1)
    for act in ACTS:
        for last_linear in (False, True):
            cache = mlp_forward(params, X, act, last_linear)
            assert cache["o"][0] is X or np.array_equal(cache["o"][0], X)
            assert [o.shape for o in cache["o"]] == [(d, N) for d in DIMS]
            assert [g.shape for g in cache["g"]] == [(d, N) for d in DIMS[1:]]
            for l, (W, b) in enumerate(params):
                np.testing.assert_allclose(cache["g"][l], W @ cache["o"][l] + b[:, None], rtol=1e-14, atol=1e-14)
            _, o_torch, _ = _torch_mlp(params, X, Y, act, last_linear)
            np.testing.assert_allclose(cache["o"][-1], o_torch, rtol=1e-13, atol=1e-15)
            if last_linear:
                np.testing.assert_array_equal(cache["o"][-1], cache["g"][-1])
                assert np.any(cache["o"][-1] < 0)
            else:
                assert not np.array_equal(cache["o"][-1], cache["g"][-1])


@pytest.mark.parametrize("last_linear", [False, True])
@pytest.mark.parametrize("act", ACTS)
def test_mlp_backward_matches_torch_autograd(act, last_linear):
    params = _net(2)
    X, Y = _data(2)
    cache = mlp_forward(params, X, act, last_linear)
    c_torch, _, ref = _torch_mlp(params, X, Y, act, last_linear)
    assert _loss(params, X, Y, act, last_linear) == pytest.approx(c_torch, rel=1e-12)
    grads = mlp_backward(params, cache, Y)
    assert [(dW.shape, db.shape) for dW, db in grads] == [(W.shape, b.shape) for W, b in params]
    _assert_grads_close(grads, ref)


@pytest.mark.parametrize("act", ACTS)
def test_mlp_backward_matches_central_differences(act):
    params = _net(3)
    X, Y = _data(3)
    cache = mlp_forward(params, X, act)
    assert min(np.abs(g).min() for g in cache["g"]) >= 1e-4  # away from the ReLU kink
    grads = mlp_backward(params, cache, Y)
    h = 1e-6
    for l, (W, b) in enumerate(params):
        for which, P in ((0, W), (1, b)):
            num = np.zeros_like(P)
            for idx in np.ndindex(*P.shape):
                E = np.zeros_like(P)
                E[idx] = h
                plus = [list(pair) for pair in params]
                minus = [list(pair) for pair in params]
                plus[l][which] = P + E
                minus[l][which] = P - E
                num[idx] = (_loss(plus, X, Y, act) - _loss(minus, X, Y, act)) / (2 * h)
            an = grads[l][which]
            assert np.linalg.norm(num - an) <= 1e-6 * np.linalg.norm(an)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), dims=st.lists(st.integers(1, 6), min_size=2, max_size=5),
       n=st.integers(1, 5), act=st.sampled_from(ACTS), last_linear=st.booleans())
def test_mlp_backward_matches_torch_on_random_shapes(seed, dims, n, act, last_linear):
    params = _net(seed, dims)
    X, Y = _data(seed, dims, n)
    grads = mlp_backward(params, mlp_forward(params, X, act, last_linear), Y)
    _, _, ref = _torch_mlp(params, X, Y, act, last_linear)
    _assert_grads_close(grads, ref, rtol=1e-10)


def test_mlp_gradient_is_the_sum_over_samples_not_the_mean():
    params = _net(4)
    X, Y = _data(4)
    full = mlp_backward(params, mlp_forward(params, X, "tanh"), Y)
    per = [mlp_backward(params, mlp_forward(params, X[:, [n]], "tanh"), Y[:, [n]]) for n in range(N)]
    for l in range(len(params)):
        np.testing.assert_allclose(full[l][0], sum(p[l][0] for p in per), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(full[l][1], sum(p[l][1] for p in per), rtol=1e-12, atol=1e-14)
    # and the minibatch estimate over all samples (optim.py) is that full gradient
    G = np.stack([np.concatenate([np.r_[dW.ravel(), db] for dW, db in p]) for p in per])   # (N, #params)
    flat_full = np.concatenate([np.r_[dW.ravel(), db] for dW, db in full])
    np.testing.assert_allclose(minibatch_grad(G, np.arange(N)), flat_full, rtol=1e-12, atol=1e-14)


def test_relu_prime_at_zero_blocks_the_gradient():
    assert sigma_prime(np.array([0.0]), "relu")[0] == 0.0
    # hidden unit 1 of layer 1 has pre-activation exactly 0; its upstream W2ᵀδ2 is non-zero
    W1 = np.array([[1.0, 0.0, 2.0], [1.0, -1.0, 0.0], [0.0, 1.0, 1.0], [2.0, 1.0, -1.0]])   # (4, 3)
    b1 = np.array([0.5, -1.0, 0.0, 0.0])
    W2 = np.array([[1.0, 2.0, -1.0, 0.5], [0.5, -1.0, 1.0, 1.0]])                         # (2, 4)
    b2 = np.array([0.0, -12.75])
    x = np.array([[3.0], [2.0], [1.0]])
    y = np.array([[1.0], [2.0]])
    params = [(W1, b1), (W2, b2)]
    cache = mlp_forward(params, x)
    assert cache["g"][0][1, 0] == 0.0                      # hidden pre-activation exactly 0
    assert cache["g"][1][1, 0] == 0.0                      # output pre-activation exactly 0, y ≠ 0
    (dW1, db1), (dW2, db2) = mlp_backward(params, cache, y)
    delta2 = np.array([cache["o"][-1][0, 0] - y[0, 0], 0.0])
    assert (W2.T @ delta2)[1] != 0.0                       # a non-zero upstream signal reaches unit 1
    np.testing.assert_array_equal(dW1[1], 0.0)
    assert db1[1] == 0.0
    np.testing.assert_array_equal(dW2[1], 0.0)
    assert db2[1] == 0.0
    assert np.any(dW1[0] != 0.0) and np.any(dW2[0] != 0.0)
    _, _, ref = _torch_mlp(params, x, y, "relu")           # torch also takes ReLU′(0) = 0
    _assert_grads_close([(dW1, db1), (dW2, db2)], ref, rtol=1e-14)


def test_sigma_and_sigma_prime_against_torch():
    g = np.linspace(-40.0, 40.0, 161).reshape(7, 23)
    for act in ACTS:
        gt = torch.tensor(g, requires_grad=True)
        s = TORCH_ACT[act](gt)
        s.sum().backward()
        np.testing.assert_allclose(sigma(g, act), s.detach().numpy(), rtol=1e-13, atol=1e-16)
        np.testing.assert_allclose(sigma_prime(g, act), gt.grad.numpy(), rtol=1e-10, atol=1e-15)
        assert sigma_prime(g, act).shape == g.shape
    assert sigma_prime(np.array([0.0]), "sigmoid")[0] == 0.25
    assert sigma_prime(np.array([0.0]), "tanh")[0] == 1.0


def test_one_gradient_step_lowers_the_loss():
    for act in ACTS:
        params = _net(5)
        X, Y = _data(5)
        grads = mlp_backward(params, mlp_forward(params, X, act), Y)
        stepped = [(W - 1e-3 * dW, b - 1e-3 * db) for (W, b), (dW, db) in zip(params, grads)]
        assert _loss(stepped, X, Y, act) < _loss(params, X, Y, act)


def test_mlp_validation_names_the_input():
    params = _net(6)
    X, Y = _data(6)
    cache = mlp_forward(params, X)
    with pytest.raises(ValueError, match="X should be a 2-d array"):
        mlp_forward(params, X[:, 0])
    with pytest.raises(ValueError, match=r"params\[0\]\[0\]\.shape\[1\] == input dimension"):
        mlp_forward(params, X.T)                          # row layout
    with pytest.raises(ValueError, match=r"params\[1\]\[0\]\.shape\[1\]"):
        mlp_forward([params[0], (np.ones((3, 6)), params[1][1][:3]), params[2]], X)
    with pytest.raises(ValueError, match=r"params\[2\]\[1\] should have shape"):
        mlp_forward(params[:2] + [(params[2][0], np.zeros(3))], X)
    with pytest.raises(ValueError, match="act should be one of"):
        mlp_forward(params, X, act="elu")
    with pytest.raises(TypeError, match="params"):
        mlp_forward([], X)
    with pytest.raises(ValueError, match="Y should have shape"):
        mlp_backward(params, cache, Y.T)
    with pytest.raises(ValueError, match="X should be finite"):
        mlp_forward(params, np.full_like(X, np.nan))


# ---------------------------------------------------------------------------------------------
# optim.py
# ---------------------------------------------------------------------------------------------
H = np.array([[3.0, 1.0], [1.0, 2.0]])
THETA0 = np.array([1.5, -2.0])


def _torch_trajectory(opt_factory, steps=50):
    p = torch.tensor(THETA0, requires_grad=True)
    Ht = torch.tensor(H)
    opt = opt_factory([p])
    out = []
    for _ in range(steps):
        opt.zero_grad()
        (0.5 * p @ Ht @ p).backward()
        opt.step()
        out.append(p.detach().numpy().copy())
    return np.array(out)


@pytest.mark.parametrize(("eta", "beta"), [(0.1, 0.9), (0.2, 0.5), (0.05, 0.0)])
def test_momentum_matches_torch_sgd_on_quadratic(eta, beta):
    ref = _torch_trajectory(lambda ps: torch.optim.SGD(ps, lr=eta, momentum=beta))
    theta, V = THETA0.copy(), np.zeros(2)
    ours = []
    for _ in range(50):
        theta, V = momentum_step(theta, V, H @ theta, eta, beta)
        ours.append(theta)
    ours = np.array(ours)
    assert np.linalg.norm(ours - ref) <= 1e-12 * np.linalg.norm(ref)


def test_momentum_step_book_form_and_no_aliasing():
    theta, V, grad = np.array([1.0, -1.0, 2.0]), np.array([0.5, 0.0, -1.0]), np.array([2.0, 4.0, -3.0])
    copies = theta.copy(), V.copy(), grad.copy()
    t_new, V_new = momentum_step(theta, V, grad, eta=0.25, beta=0.5)
    np.testing.assert_allclose(V_new, 0.5 * V - 0.25 * grad, rtol=1e-15)          # V ← βV − η∇c
    np.testing.assert_allclose(t_new, theta + V_new, rtol=1e-15)                  # θ ← θ + V
    for a, b in zip((theta, V, grad), copies):
        np.testing.assert_array_equal(a, b)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), t=st.integers(1, 30), p=st.integers(1, 5),
       eta=st.floats(1e-3, 2.0), beta=st.floats(0.0, 0.99))
def test_momentum_recursion_equals_unrolled_form(seed, t, p, eta, beta):
    grads = _rng(seed).normal(size=(t, p))
    theta, V = np.zeros(p), np.zeros(p)
    for k in range(t):
        theta, V = momentum_step(theta, V, grads[k], eta, beta)
    unrolled = momentum_unrolled(grads, eta, beta)
    assert unrolled.shape == (p,)
    np.testing.assert_allclose(unrolled, V, rtol=1e-12, atol=1e-12 * np.abs(grads).max() * eta)
    # the explicit sum of (6.20), V^(t) = −η Σ_k β^{t−k} ∇c_k
    explicit = -eta * sum(beta ** (t - k) * grads[k - 1] for k in range(1, t + 1))
    np.testing.assert_allclose(unrolled, explicit, rtol=1e-12, atol=1e-12 * np.abs(grads).max() * eta)


@pytest.mark.parametrize(("lr", "b1", "b2", "eps"),
                         [(0.05, 0.9, 0.999, 1e-8), (0.1, 0.8, 0.95, 1e-3), (0.02, 0.5, 0.9, 0.3)])
def test_adam_matches_torch_adam_on_quadratic(lr, b1, b2, eps):
    ref = _torch_trajectory(lambda ps: torch.optim.Adam(ps, lr=lr, betas=(b1, b2), eps=eps))
    theta, m, v = THETA0.copy(), np.zeros(2), np.zeros(2)
    ours = []
    for t in range(1, 51):
        theta, m, v = adam_step(theta, m, v, H @ theta, t, lr, b1, b2, eps)
        ours.append(theta)
    ours = np.array(ours)
    assert np.linalg.norm(ours - ref) <= 1e-10 * np.linalg.norm(ref)


def test_adam_first_step_has_length_lr_thanks_to_bias_correction():
    grad = np.array([2.0, -3.0, 1e-2, 50.0])
    theta, m, v = adam_step(np.zeros(4), np.zeros(4), np.zeros(4), grad, t=1, lr=0.1, eps=1e-12)
    np.testing.assert_allclose(theta, -0.1 * np.sign(grad), rtol=1e-9)
    np.testing.assert_allclose(m, 0.1 * grad, rtol=1e-15)
    np.testing.assert_allclose(v, 0.001 * grad**2, rtol=1e-13)
    # ε is outside the root: with v = 0 the step is −lr·m̂/ε, not −lr·m̂/√ε
    theta, _, _ = adam_step(np.zeros(1), np.array([0.1]), np.zeros(1), np.zeros(1), t=2, lr=1.0, eps=0.5)
    expected = -(0.9 * 0.1 / (1 - 0.9**2)) / 0.5
    assert theta[0] == pytest.approx(expected, rel=1e-14)


def test_minibatch_grad_over_all_subsets_averages_to_the_full_gradient():
    G = _rng(7).normal(size=(6, 4))                       # N = 6 samples, p = 4 parameters
    full = G.sum(axis=0)
    for k in range(1, 7):
        ests = [minibatch_grad(G, list(I)) for I in itertools.combinations(range(6), k)]
        np.testing.assert_allclose(np.mean(ests, axis=0), full, rtol=1e-12, atol=1e-13)
    # with replacement: every ordered pair equally likely
    pairs = [minibatch_grad(G, [i, j]) for i in range(6) for j in range(6)]
    np.testing.assert_allclose(np.mean(pairs, axis=0), full, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(minibatch_grad(G, [2, 2, 5]), 2.0 * (2 * G[2] + G[5]), rtol=1e-15)
    np.testing.assert_allclose(minibatch_grad(G, np.arange(6)), full, rtol=1e-15)


def test_optim_validation_names_the_input():
    z = np.zeros(3)
    with pytest.raises(ValueError, match="V should have shape"):
        momentum_step(z, np.zeros(2), z, 0.1, 0.5)
    with pytest.raises(ValueError, match="grad should have shape"):
        adam_step(z, z, z, np.zeros(4), 1, 0.1)
    with pytest.raises(ValueError, match="beta should be < 1"):
        momentum_step(z, z, z, 0.1, 1.0)
    with pytest.raises(ValueError, match="eta should be > 0"):
        momentum_unrolled(np.zeros((2, 3)), 0.0, 0.5)
    with pytest.raises(ValueError, match="grads should be a 2-d array"):
        momentum_unrolled(z, 0.1, 0.5)
    with pytest.raises(ValueError, match="t should be >= 1"):
        adam_step(z, z, z, z, 0, 0.1)
    with pytest.raises(ValueError, match="eps should be > 0"):
        adam_step(z, z, z, z, 1, 0.1, eps=0.0)
    G = np.ones((4, 2))
    with pytest.raises(ValueError, match="idx should index rows 0..3"):
        minibatch_grad(G, [0, 4])
    with pytest.raises(ValueError, match="idx should be a non-empty"):
        minibatch_grad(G, [])
    with pytest.raises(ValueError, match="per_sample_grads should be a 2-d array"):
        minibatch_grad(np.ones(4), [0])


# ---------------------------------------------------------------------------------------------
# convmat.py
# ---------------------------------------------------------------------------------------------
def _torch_toeplitz(h, d):
    """W(h) built by gathering h[i − j] (no diagonal sums), so autograd ties the taps."""
    p = h.shape[0]
    i, j = torch.meshgrid(torch.arange(d), torch.arange(d), indexing="ij")
    k = i - j
    mask = (k >= 0) & (k < p)
    return torch.where(mask, h[k.clamp(0, p - 1)], torch.zeros((), dtype=h.dtype))


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), p=st.integers(1, 9), d=st.integers(1, 9))
def test_conv1d_matrix_and_forward_match_np_convolve(seed, p, d):
    rng = _rng(seed)
    h, x = rng.normal(size=p), rng.normal(size=d)
    W = conv1d_matrix(h, d)
    assert W.shape == (d, d)
    want = np.convolve(x, h)[:d]
    np.testing.assert_allclose(W @ x, want, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(conv1d_forward(h, x), want, rtol=1e-12, atol=1e-12)


def test_conv1d_matrix_is_causal_lower_triangular_toeplitz():
    h = np.array([1.0, -2.0, 3.5])
    d = 6
    W = conv1d_matrix(h, d)
    for i in range(d):
        for j in range(d):
            assert W[i, j] == (h[i - j] if 0 <= i - j < 3 else 0.0)
    np.testing.assert_array_equal(W, np.tril(W))
    np.testing.assert_array_equal(conv1d_matrix(np.array([1.0, 2.0]), 3), [[1, 0, 0], [2, 1, 0], [0, 2, 1]])
    np.testing.assert_array_equal(conv1d_matrix(np.arange(1.0, 8.0), 2), [[1, 0], [2, 1]])   # p > d
    np.testing.assert_array_equal(conv1d_forward(np.array([1.0, 2.0]), np.array([1.0, 0.0, 0.0])), [1, 2, 0])
    np.testing.assert_array_equal(conv1d_forward(h, np.eye(d)[0]), np.r_[h, np.zeros(3)])   # impulse response


def test_filter_grad_matches_torch_autograd_through_W_of_h():
    rng = _rng(8)
    for p, d in ((3, 7), (1, 4), (6, 5), (9, 3)):
        h0, x, target = rng.normal(size=p), rng.normal(size=d), rng.normal(size=d)
        ht = torch.tensor(h0, requires_grad=True)
        y = _torch_toeplitz(ht, d) @ torch.tensor(x)
        y.retain_grad()
        c = 0.5 * ((y - torch.tensor(target)) ** 2).sum() + torch.sin(y).sum()
        c.backward()
        delta = y.grad.numpy()
        got = filter_grad(x, delta, p)
        assert got.shape == (p,)
        np.testing.assert_allclose(got, ht.grad.numpy(), rtol=1e-10, atol=1e-14)
        # the untied gradient δxᵀ summed along the diagonals i − j = k
        untied = np.outer(delta, x)
        diag = np.array([np.trace(untied, offset=-k) if k < d else 0.0 for k in range(p)])
        np.testing.assert_allclose(got, diag, rtol=1e-12, atol=1e-14)


def test_diag_net_grads_match_torch_and_central_differences():
    rng = _rng(9)
    d, L = 5, 3
    ws = [rng.uniform(0.5, 1.5, size=d) * rng.choice([-1.0, 1.0], size=d) for _ in range(L)]
    x, y = rng.uniform(0.5, 2.0, size=d) * np.array([1, -1, 1, 1, -1]), rng.normal(size=d)
    ws[0] = np.abs(ws[0]) * np.sign(x)                    # keep most units alive
    grads = diag_net_grads(ws, x, y)
    assert [g.shape for g in grads] == [(d,)] * L
    wt = [torch.tensor(w, requires_grad=True) for w in ws]
    o = torch.tensor(x)
    for w in wt:
        o = torch.relu(w * o)
    (0.5 * ((torch.tensor(y) - o) ** 2).sum()).backward()
    for g, w in zip(grads, wt):
        np.testing.assert_allclose(g, w.grad.numpy(), rtol=1e-12, atol=1e-15)

    def cost(wlist):
        o = x
        for w in wlist:
            o = np.maximum(w * o, 0.0)
        return 0.5 * np.sum((y - o) ** 2)

    eps = 1e-6
    for l in range(L):
        num = np.zeros(d)
        for i in range(d):
            plus, minus = [w.copy() for w in ws], [w.copy() for w in ws]
            plus[l][i] += eps
            minus[l][i] -= eps
            num[i] = (cost(plus) - cost(minus)) / (2 * eps)
        assert np.linalg.norm(num - grads[l]) <= 1e-6 * max(np.linalg.norm(grads[l]), 1e-12)
    assert any(np.linalg.norm(g) > 0.1 for g in grads)
    # the docstring example
    got = diag_net_grads([np.array([2.0, 1.0]), np.array([1.0, 2.0])], np.array([1.0, 1.0]), np.zeros(2))
    np.testing.assert_array_equal(got[0], [2.0, 4.0])
    np.testing.assert_array_equal(got[1], [4.0, 2.0])


def test_diag_net_relu_prime_at_zero_is_zero():
    x, y = np.array([1.0, 2.0, 1.0]), np.array([0.5, 3.0, 0.5])
    ws = [np.array([1.0, 1.0, 1.0]), np.array([2.0, 0.0, 1.0])]   # g^(2)[1] = 0·2 = 0 exactly, y[1] ≠ 0
    g1, g2 = diag_net_grads(ws, x, y)
    assert g2[1] == 0.0 and g1[1] == 0.0
    assert g2[0] != 0.0 and g1[0] != 0.0


def test_convmat_validation_names_the_input():
    with pytest.raises(ValueError, match="h should be a 1-d array"):
        conv1d_matrix(np.ones((2, 2)), 3)
    with pytest.raises(ValueError, match="d should be >= 1"):
        conv1d_matrix(np.ones(2), 0)
    with pytest.raises(ValueError, match="x should be a 1-d array"):
        conv1d_forward(np.ones(2), np.ones((3, 1)))
    with pytest.raises(ValueError, match="delta should have shape"):
        filter_grad(np.ones(5), np.ones(4), 2)
    with pytest.raises(ValueError, match=r"w_diags\[1\] should have shape"):
        diag_net_grads([np.ones(3), np.ones(4)], np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match="y should have shape"):
        diag_net_grads([np.ones(3)], np.ones(3), np.ones(2))
    with pytest.raises(TypeError, match="w_diags"):
        diag_net_grads([], np.ones(3), np.ones(3))


# ---------------------------------------------------------------------------------------------
# variational.py
# ---------------------------------------------------------------------------------------------
def _torch_S(params, x, l):
    """S = ∂o^(L)/∂g^(l) (numerator layout, (d_L, d_l)) by torch autograd, pattern at x."""
    o = torch.tensor(x)
    tl = [(torch.tensor(W), torch.tensor(b)) for W, b in params]
    for W, b in tl[: l - 1]:
        o = torch.relu(W @ o + b)
    g_l = tl[l - 1][0] @ o + tl[l - 1][1]

    def rest(g):
        out = torch.relu(g)
        for W, b in tl[l:]:
            out = torch.relu(W @ out + b)
        return out

    return torch.autograd.functional.jacobian(rest, g_l).numpy(), o.numpy()


def _torch_layer_step(params, x, y, l, eta):
    """Oracle for bp_layer_step: torch's gradient of ½‖y − o‖² w.r.t. W^(l), then the step."""
    tl = [(torch.tensor(W, requires_grad=True), torch.tensor(b)) for W, b in params]

    def fwd(layers):
        o, pattern = torch.tensor(x), []
        for W, b in layers:
            g = W @ o + b
            pattern.append((g > 0).numpy().copy())
            o = torch.relu(g)
        return 0.5 * ((torch.tensor(y) - o) ** 2).sum(), pattern

    c, pat = fwd(tl)
    c.backward()
    stepped = [(W.detach(), b) for W, b in tl]
    stepped[l - 1] = (stepped[l - 1][0] - eta * tl[l - 1][0].grad, stepped[l - 1][1])
    c2, pat2 = fwd(stepped)
    return c.item(), c2.item(), any(np.any(a != b) for a, b in zip(pat, pat2))


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), dl=st.integers(1, 6), dprev=st.integers(1, 6))
def test_local_ls_update_cancels_the_error_with_minimum_norm(seed, dl, dprev):
    rng = _rng(seed)
    delta, o = rng.normal(size=dl), rng.normal(size=dprev)
    dW = local_ls_update(delta, o)
    assert dW.shape == (dl, dprev)
    np.testing.assert_allclose(-delta - dW @ o, 0.0, atol=1e-12 * (1 + np.abs(delta).max()))
    # rows in span(oᵀ): the component orthogonal to o is zero
    P_perp = np.eye(dprev) - np.outer(o, o) / (o @ o)
    np.testing.assert_allclose(dW @ P_perp, 0.0, atol=1e-12 * (1 + np.abs(dW).max()))
    # equals the pseudo-inverse (minimum-Frobenius-norm) solution of ΔW o = −δ
    np.testing.assert_allclose(dW, -np.outer(delta, np.linalg.pinv(o[:, None]).ravel()), rtol=1e-10, atol=1e-13)
    # and any other solution ΔW + Z with Z o = 0 is no shorter
    Z = rng.normal(size=(dl, dprev)) @ P_perp
    assert np.linalg.norm(dW) <= np.linalg.norm(dW + Z) + 1e-12


def test_local_ls_update_example_and_zero_input():
    np.testing.assert_allclose(local_ls_update(np.array([1.0, 2.0]), np.array([0.0, 2.0, 0.0])),
                               [[0.0, -0.5, 0.0], [0.0, -1.0, 0.0]], rtol=1e-15)
    with pytest.raises(ValueError, match="o_prev should be non-zero"):
        local_ls_update(np.ones(2), np.zeros(3))


@pytest.mark.parametrize("l", [1, 2, 3])
def test_sensitivity_M_is_SSt_symmetric_psd(l):
    for seed in range(4):
        params = _net(20 + seed)
        x = _rng(30 + seed).normal(size=DIMS[0])
        M = sensitivity_M(params, x, l)
        assert M.shape == (DIMS[-1], DIMS[-1])
        S, _ = _torch_S(params, x, l)
        assert S.shape == (DIMS[-1], DIMS[l])
        np.testing.assert_allclose(M, S @ S.T, rtol=1e-12, atol=1e-13 * max(1.0, np.abs(M).max()))
        np.testing.assert_array_equal(M, M.T)
        lam = np.linalg.eigvalsh(M)
        assert lam[0] >= -1e-12 * max(1.0, lam[-1])
        assert np.linalg.matrix_rank(M) <= min(DIMS[l:])


def test_sensitivity_M_examples_and_dead_units():
    I2 = np.eye(2)
    params = [(I2, np.ones(2)), (2 * I2, np.zeros(2))]
    np.testing.assert_array_equal(sensitivity_M(params, np.array([1.0, -3.0]), 1), [[4.0, 0.0], [0.0, 0.0]])
    # the output layer: M^(L) = Λ^(L), a 0/1 diagonal (unit 2 of layer 2 has g = 0 → ReLU′ = 0)
    np.testing.assert_array_equal(sensitivity_M(params, np.array([1.0, -1.0]), 2), [[1.0, 0.0], [0.0, 0.0]])
    assert max_safe_step(params, np.array([1.0, -3.0]), 1) == pytest.approx(0.05, rel=1e-15)
    # a dead network: M = 0 and the safe step is unbounded
    dead = [(I2, -10.0 * np.ones(2)), (2 * I2, np.zeros(2))]
    np.testing.assert_array_equal(sensitivity_M(dead, np.array([1.0, 1.0]), 1), 0.0)
    assert max_safe_step(dead, np.array([1.0, 1.0]), 1) == float("inf")


@pytest.mark.parametrize("l", [1, 2, 3])
def test_max_safe_step_is_2_over_norm_o_squared_lambda_max(l):
    for seed in range(4):
        params = _net(40 + seed)
        x = _rng(50 + seed).normal(size=DIMS[0])
        S, o_prev = _torch_S(params, x, l)
        lam_max = np.linalg.eigvalsh(S @ S.T)[-1]
        assert lam_max > 0
        want = 2.0 / ((o_prev @ o_prev) * lam_max)
        assert max_safe_step(params, x, l) == pytest.approx(want, rel=1e-10)


def test_bp_layer_step_matches_torch_gradient_step():
    for seed in range(6):
        params = _net(60 + seed)
        rng = _rng(70 + seed)
        x, y = rng.normal(size=DIMS[0]), rng.normal(size=DIMS[-1])
        for l in (1, 2, 3):
            for eta in (1e-3, 0.3):
                got = bp_layer_step(params, x, y, l, eta)
                want = _torch_layer_step(params, x, y, l, eta)
                assert got[0] == pytest.approx(want[0], rel=1e-12)
                assert got[1] == pytest.approx(want[1], rel=1e-10, abs=1e-14)
                assert got[2] is want[2]


def test_bp_layer_step_below_eta_max_never_increases_the_loss_over_200_nets():
    rng = _rng(80)
    unchanged = 0
    for _ in range(200):
        dims = tuple(rng.integers(1, 6, size=rng.integers(2, 5)))
        params = [(rng.normal(size=(b, a)), 0.5 * rng.normal(size=b)) for a, b in zip(dims[:-1], dims[1:])]
        x, y = rng.normal(size=dims[0]), rng.normal(size=dims[-1])
        l = int(rng.integers(1, len(dims)))
        eta_max = max_safe_step(params, x, l)
        eta = rng.uniform(0.05, 0.999) * (eta_max if np.isfinite(eta_max) else 1.0)
        before, after, changed = bp_layer_step(params, x, y, l, eta)
        if not changed:
            unchanged += 1
            assert after <= before * (1 + 1e-12) + 1e-15
    assert unchanged >= 100                              # the property was exercised


def test_designed_one_layer_net_eta_max_is_tight():
    W = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])   # (3, 2)
    b = np.zeros(3)
    x = np.array([1.0, 2.0])                             # o = Wx = [1, 2, 1.5], all active
    y = np.array([0.9, 2.1, 1.3])                        # error e = [0.1, −0.1, 0.2]
    params = [(W, b)]
    np.testing.assert_array_equal(sensitivity_M(params, x, 1), np.eye(3))
    eta_max = max_safe_step(params, x, 1)
    assert eta_max == pytest.approx(2.0 / 5.0, rel=1e-15)             # 2/(‖x‖² · 1)
    # the new error is (1 − η‖x‖²) e: factor −0.8 at 0.9η_max, −1 at η_max, −3.4 at 2.2η_max
    before, after, changed = bp_layer_step(params, x, y, 1, 0.9 * eta_max)
    assert before == pytest.approx(0.03, rel=1e-12) and not changed
    assert after == pytest.approx(0.64 * 0.03, rel=1e-10)
    before, after, changed = bp_layer_step(params, x, y, 1, eta_max)
    assert after == pytest.approx(before, rel=1e-10) and not changed
    before, after, changed = bp_layer_step(params, x, y, 1, 2.2 * eta_max)
    assert not changed                                   # same pattern: the linear analysis applies
    assert after > before
    assert after == pytest.approx(3.4**2 * 0.03, rel=1e-10)


def test_variational_validation_names_the_input():
    params = _net(90)
    x = np.ones(DIMS[0])
    with pytest.raises(ValueError, match="x should be a 1-d array"):
        sensitivity_M(params, np.ones((DIMS[0], 1)), 1)
    with pytest.raises(ValueError, match=r"params\[0\]\[0\]\.shape\[1\] == d_0"):
        sensitivity_M(params, np.ones(DIMS[0] + 1), 1)
    with pytest.raises(ValueError, match="l should be <= 3"):
        max_safe_step(params, x, 4)
    with pytest.raises(ValueError, match="l should be >= 1"):
        sensitivity_M(params, x, 0)
    with pytest.raises(ValueError, match="y should have shape"):
        bp_layer_step(params, x, np.ones(DIMS[-1] + 1), 1, 0.1)
    with pytest.raises(ValueError, match="eta should be > 0"):
        bp_layer_step(params, x, np.ones(DIMS[-1]), 1, 0.0)
    with pytest.raises(ValueError, match="delta should be a 1-d array"):
        local_ls_update(np.ones((2, 1)), np.ones(3))
    with pytest.raises(TypeError, match="params"):
        sensitivity_M([], x, 1)
