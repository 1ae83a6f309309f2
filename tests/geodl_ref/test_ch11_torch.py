"""geodl_ref.ch11.ntk and ntk_inf (the torch exercises of chapter 11) against independent oracles:
the PyTorch NTK tutorial's jacrev + vmap + functional_call, a torch.optim.SGD step on a copy of the
model, Monte-Carlo Gaussian expectations for the ReLU kernel maps, a hand-written numpy forward
pass for the NTK-parameterized network, and, where CUDA is, the width-16384 convergence."""
from __future__ import annotations

import copy
import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from torch import nn  # noqa: E402
from torch.func import functional_call, jacrev, vmap  # noqa: E402

from geodl_ref.ch11 import ntk, ntk_inf  # noqa: E402

X_FIX = torch.tensor([[0.35, 0.82, 0.33], [-1.3, 0.91, 0.45], [-0.54, 0.58, 0.36], [0.29, 0.03, 0.55],
                      [-0.74, -0.16, -0.48]], dtype=torch.float64)


def _mlp(dims, act=nn.Tanh, seed=0, dtype=torch.float64, bias=True):
    g = torch.Generator().manual_seed(seed)
    layers = []
    for l, (d_in, d_out) in enumerate(zip(dims[:-1], dims[1:])):
        layers.append(nn.utils.skip_init(nn.Linear, d_in, d_out, bias=bias, dtype=dtype))
        if l < len(dims) - 2:
            layers.append(act())
    net = nn.Sequential(*layers)
    for p in net.parameters():
        nn.init.normal_(p, 0.0, 0.7, generator=g)
    return net


def _tutorial_ntk(model, X):
    """The PyTorch NTK tutorial: per-sample jacrev under vmap, then an einsum; sample-major."""
    params = {name: p.detach() for name, p in model.named_parameters()}
    jac = vmap(jacrev(lambda p, x: functional_call(model, p, (x[None],))[0]), (None, 0))(params, X)
    N, k = X.shape[0], next(iter(jac.values())).shape[1]
    K = sum(torch.einsum("aip,bjp->aibj", J.flatten(2), J.flatten(2)) for J in jac.values())
    return K.reshape(N * k, N * k)


# ----------------------------------------------------------------------------- ch11.ntk
@pytest.mark.parametrize("dims, act, n", [((3, 7, 2), nn.Tanh, 5), ((4, 6, 5, 3), nn.Softplus, 6),
                                          ((2, 9, 2), nn.ReLU, 1), ((5, 4, 3), nn.Sigmoid, 7)])
def test_empirical_ntk_matches_the_torch_func_tutorial(dims, act, n):
    net = _mlp(dims, act, seed=n)
    X = torch.randn(n, dims[0], generator=torch.Generator().manual_seed(n), dtype=torch.float64)
    K = ntk.empirical_ntk(net, X)
    assert K.shape == (n * dims[-1],) * 2 and K.dtype == torch.float64
    assert torch.allclose(K, _tutorial_ntk(net, X), rtol=1e-12, atol=1e-13)
    assert torch.allclose(K, K.T, rtol=0, atol=1e-13)
    assert torch.linalg.eigvalsh(K).min() >= -1e-10 * torch.linalg.eigvalsh(K).abs().max()


def test_a_linear_model_gives_x_xt_kron_identity():
    net = _mlp((4, 3), bias=False, seed=2)
    X = torch.randn(5, 4, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    assert torch.allclose(ntk.empirical_ntk(net, X), torch.kron(X @ X.T, torch.eye(3, dtype=torch.float64)),
                          rtol=1e-14, atol=1e-14)
    with_bias = _mlp((4, 3), seed=2)
    assert torch.allclose(ntk.empirical_ntk(with_bias, X), torch.kron(X @ X.T + 1, torch.eye(3, dtype=torch.float64)),
                          rtol=1e-14, atol=1e-14)


def test_empirical_ntk_keeps_a_float32_model_in_float32_and_leaves_the_model_alone():
    net = _mlp((5, 8, 2), seed=3, dtype=torch.float32)
    X = torch.randn(4, 5, generator=torch.Generator().manual_seed(3))
    before = copy.deepcopy(net.state_dict())
    K = ntk.empirical_ntk(net, X)
    assert K.dtype == torch.float32
    assert torch.allclose(K.double(), _tutorial_ntk(copy.deepcopy(net).double(), X.double()), rtol=1e-5, atol=1e-5)
    assert all(torch.equal(before[k], v) for k, v in net.state_dict().items())
    assert all(p.grad is None for p in net.parameters())


def test_gd_output_change_is_a_torch_optim_sgd_step_and_the_ntk_prediction():
    net = _mlp((3, 8, 2), seed=4)
    g = torch.Generator().manual_seed(4)
    X, y = torch.randn(5, 3, generator=g, dtype=torch.float64), torch.randn(5, 2, generator=g, dtype=torch.float64)
    before = copy.deepcopy(net.state_dict())
    actual, pred = ntk.gd_output_change(net, X, y, 0.01)
    assert all(torch.equal(before[k], v) for k, v in net.state_dict().items())
    stepped = copy.deepcopy(net)
    out = stepped(X)
    optimizer = torch.optim.SGD(stepped.parameters(), lr=0.01)
    (0.5 * ((out - y) ** 2).sum()).backward()
    optimizer.step()
    with torch.no_grad():
        assert torch.allclose(actual, stepped(X) - out, rtol=1e-12, atol=1e-15)
    K = _tutorial_ntk(net, X)
    assert torch.allclose(pred, (-0.01 * K @ (out - y).detach().reshape(-1)).reshape(5, 2), rtol=1e-12, atol=1e-15)


def test_the_ntk_prediction_error_is_second_order_in_the_step():
    net = _mlp((3, 8, 2), seed=1108)
    g = torch.Generator().manual_seed(5)
    X, y = torch.randn(5, 3, generator=g, dtype=torch.float64), torch.randn(5, 2, generator=g, dtype=torch.float64)
    errors = [torch.linalg.norm(torch.sub(*ntk.gd_output_change(net, X, y, lr))).item() for lr in (1e-2, 1e-3, 1e-4)]
    assert 50 <= errors[0] / errors[1] <= 200 and 50 <= errors[1] / errors[2] <= 200


@pytest.mark.parametrize("call, error", [
    (lambda: ntk.empirical_ntk(lambda X: X, torch.zeros(2, 2)), TypeError),
    (lambda: ntk.empirical_ntk(nn.ReLU(), torch.zeros(2, 2)), ValueError),
    (lambda: ntk.empirical_ntk(_mlp((2, 3)), np.zeros((2, 2))), TypeError),
    (lambda: ntk.empirical_ntk(_mlp((2, 3)), torch.zeros(2, dtype=torch.float64)), ValueError),
    (lambda: ntk.empirical_ntk(_mlp((2, 3)), torch.zeros(4, 2, dtype=torch.float32)), TypeError),
    (lambda: ntk.empirical_ntk(nn.Sequential(_mlp((2, 3)), nn.Flatten(0)), torch.zeros(4, 2, dtype=torch.float64)),
     ValueError),
    (lambda: ntk.gd_output_change(_mlp((2, 3)), torch.zeros(4, 2, dtype=torch.float64),
                                  torch.zeros(3, 4, dtype=torch.float64), 0.1), ValueError),
    (lambda: ntk.gd_output_change(_mlp((2, 3)), torch.zeros(4, 2, dtype=torch.float64),
                                  torch.zeros(4, 3, dtype=torch.float64), 0.0), ValueError),
])
def test_ntk_validation_names_the_input(call, error):
    with pytest.raises(error):
        call()


# ----------------------------------------------------------------------------- ch11.ntk_inf
def _mc_relu_maps(s11, s22, s12, n=2_000_000, seed=0):
    """E[ReLU(u) ReLU(v)] and E[ReLU′(u) ReLU′(v)] for (u, v) ~ N(0, [[s11, s12], [s12, s22]]), by Monte Carlo."""
    L = np.linalg.cholesky(np.array([[s11, s12], [s12, s22]]))
    u, v = L @ np.random.default_rng(seed).normal(size=(2, n))
    return np.mean(np.maximum(u, 0) * np.maximum(v, 0)), np.mean((u > 0) & (v > 0))


def test_one_layer_of_the_recursion_is_the_gaussian_expectation_of_relu():
    """Σ² − β² and Σ̇² equal the Monte-Carlo expectations over the Gaussian of covariance Σ¹ (5σ)."""
    beta = 0.1
    X = X_FIX[:3]
    sigma1 = (X @ X.T / 3 + beta**2).numpy()
    theta0, theta1 = ntk_inf.relu_ntk_analytic(X, 0, beta).numpy(), ntk_inf.relu_ntk_analytic(X, 1, beta).numpy()
    assert np.allclose(theta0, sigma1, rtol=1e-15)
    for i, j in [(0, 1), (0, 2), (1, 2), (1, 1)]:
        e_relu, e_step = _mc_relu_maps(sigma1[i, i], sigma1[j, j], sigma1[i, j], seed=10 * i + j)
        sigma2 = e_relu + beta**2
        # Θ² = Θ¹ Σ̇² + Σ² with Θ¹ = Σ¹; 5 standard errors of 2·10⁶ samples stay below 1e-2 of the scale Σ_ii
        assert theta1[i, j] == pytest.approx(sigma1[i, j] * e_step + sigma2, abs=5 * 2e-3 * sigma1[i, i])


def test_the_kernel_of_collinear_inputs_is_finite_and_symmetric_positive_definite():
    X = torch.tensor([[0.13, -0.13, 0.64], [0.26, -0.26, 1.28], [0.1, -0.54, 0.36], [1.3, 0.95, -0.7]],
                     dtype=torch.float64)
    for depth in (1, 2, 3, 6):
        theta = ntk_inf.relu_ntk_analytic(X, depth, 0.0)
        assert torch.isfinite(theta).all()
    theta = ntk_inf.relu_ntk_analytic(X_FIX, 2, 0.1)
    eigenvalues = torch.linalg.eigvalsh(theta)
    assert torch.equal(theta, theta.T) and 0.03 < eigenvalues.min() and eigenvalues.max() < 1.01


def test_the_diagonal_follows_its_closed_form():
    """On the diagonal ρ = 1, θ = 0: Σ ← Σ/2 + β², Σ̇ = 1/2, Θ ← Θ/2 + Σ."""
    beta, X = 0.3, X_FIX
    sigma = (X * X).sum(1) / 3 + beta**2
    theta = sigma.clone()
    for depth in range(1, 5):
        sigma = sigma / 2 + beta**2
        theta = theta / 2 + sigma
        assert torch.allclose(torch.diagonal(ntk_inf.relu_ntk_analytic(X, depth, beta)), theta, rtol=1e-15)


def test_the_network_is_the_pinned_draw_with_fan_in_normalization():
    net = ntk_inf.ntk_param_mlp(3, 16, 2, 0.2, 7)
    g = torch.Generator().manual_seed(7)
    draws = [torch.randn(*shape, generator=g, dtype=torch.float64)
             for shape in [(16, 3), (16,), (16, 16), (16,), (1, 16), (1,)]]
    assert all(torch.equal(p, d) for p, d in zip(net.parameters(), draws, strict=True))
    h = X_FIX.numpy()
    Ws = [d.numpy() for d in draws]
    for l in range(3):
        W, b = Ws[2 * l], Ws[2 * l + 1]
        h = h @ W.T / math.sqrt(W.shape[1]) + 0.2 * b
        h = np.maximum(h, 0) if l < 2 else h
    with torch.no_grad():
        assert np.allclose(net(X_FIX).numpy(), h, rtol=1e-13, atol=1e-15)


def test_the_network_keeps_its_dtype_and_leaves_the_global_generator_alone():
    state = torch.random.get_rng_state()
    net32 = ntk_inf.ntk_param_mlp(3, 8, 1, seed=1, dtype="float32")
    assert torch.equal(state, torch.random.get_rng_state())
    assert all(p.dtype == torch.float32 for p in net32.parameters())
    assert net32(X_FIX.float()).dtype == torch.float32
    same = ntk_inf.ntk_param_mlp(3, 8, 1, seed=1, dtype=torch.float32)
    assert all(torch.equal(p, q) for p, q in zip(net32.parameters(), same.parameters()))


def test_the_empirical_ntk_of_ntk_error_is_the_tutorials():
    net = ntk_inf.ntk_param_mlp(3, 32, 2, 0.1, 3)
    want = _tutorial_ntk(net, X_FIX)
    assert torch.allclose(ntk_inf._empirical_ntk(net, X_FIX), want, rtol=1e-12, atol=1e-14)
    theta = ntk_inf.relu_ntk_analytic(X_FIX, 2, 0.1)
    err = (torch.linalg.norm(want - theta) / torch.linalg.norm(theta)).item()
    per_seed = ntk_inf.ntk_error(X_FIX, 2, [32], [3])
    assert per_seed == [pytest.approx(err, rel=1e-12)]
    two = ntk_inf.ntk_error(X_FIX, 2, [32], [3, 4])[0]
    assert two == pytest.approx((err + ntk_inf.ntk_error(X_FIX, 2, [32], [4])[0]) / 2, rel=1e-14)


def test_the_cpu_errors_shrink_with_the_width():
    """CURRICULUM: widths (128, 512, 2048) × 2 seeds, err(2048) < 0.1 and < err(128)/2."""
    e128, e512, e2048 = ntk_inf.ntk_error(X_FIX, 2, [128, 512, 2048], [0, 1])
    assert e2048 < 0.1 and e2048 < e128 / 2 and e512 < e128
    assert (e128, e512, e2048) == pytest.approx((0.2056, 0.1218, 0.0226), abs=1e-4)


@pytest.mark.parametrize("call, error", [
    (lambda: ntk_inf.relu_ntk_analytic(np.ones((2, 2)), 1), TypeError),
    (lambda: ntk_inf.relu_ntk_analytic(torch.ones(3), 1), ValueError),
    (lambda: ntk_inf.relu_ntk_analytic(torch.ones(2, 2), -1), ValueError),
    (lambda: ntk_inf.relu_ntk_analytic(torch.ones(2, 2), 1, beta=-0.1), ValueError),
    (lambda: ntk_inf.ntk_param_mlp(3, 0, 1), ValueError),
    (lambda: ntk_inf.ntk_param_mlp(3, 4, 1, dtype="int64"), TypeError),
    (lambda: ntk_inf.ntk_error(X_FIX, 1, [], [0]), TypeError),
    (lambda: ntk_inf.ntk_error(X_FIX, 1, [8], [-1]), ValueError),
    (lambda: ntk_inf.ntk_error(X_FIX, 1, 8, [0]), TypeError),
])
def test_ntk_inf_validation_names_the_input(call, error):
    with pytest.raises(error):
        call()


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_on_cuda_the_network_is_the_cpu_network_and_the_error_falls_like_one_over_root_width():
    with torch.no_grad():
        cpu = ntk_inf.ntk_param_mlp(3, 64, 2, 0.1, 5)(X_FIX)
        cuda = ntk_inf.ntk_param_mlp(3, 64, 2, 0.1, 5, "cuda")(X_FIX.cuda())
    assert cuda.device.type == "cuda" and torch.allclose(cuda.cpu(), cpu, rtol=1e-9, atol=0)
    assert abs(ntk_inf.ntk_error(X_FIX, 2, [1024], [0], "cpu")[0]
               - ntk_inf.ntk_error(X_FIX, 2, [1024], [0], "cuda")[0]) <= 1e-9
    widths = (1024, 4096, 16384)
    errors = ntk_inf.ntk_error(X_FIX, 2, widths, [0, 1], "cuda")
    slope = np.polyfit(np.log(widths), np.log(errors), 1)[0]
    assert errors[-1] < 0.03 and -0.75 <= slope <= -0.3
