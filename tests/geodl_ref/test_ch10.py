"""geodl_ref.ch10 against independent oracles: torch's softshrink for soft thresholding, scipy's
L-BFGS-B on the split (c = p − q, p, q ≥ 0) form of the ℓ1 problem for frame_denoise, the
Kronecker recursion and a hand-written N = 4 matrix for the Haar basis; torch autograd for the
local affine map of a ReLU net, scipy linprog (one feasibility LP per pattern) for its regions;
scipy.special.comb and brute-force counts for the region counts."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from geodl_ref.ch10 import partition, regions, shrink


def _random_orthonormal(n: int, seed: int) -> np.ndarray:
    Q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(n, n)))
    return Q


def test_haar_4_is_the_books_matrix():
    s = np.sqrt(2) / 2
    want = np.array([[0.5, 0.5, 0.5, 0.5],
                     [0.5, 0.5, -0.5, -0.5],
                     [s, -s, 0.0, 0.0],
                     [0.0, 0.0, s, -s]])
    np.testing.assert_allclose(shrink.haar_matrix(4), want, rtol=0, atol=1e-15)


@pytest.mark.parametrize("N", [1, 2, 4, 8, 16, 64])
def test_haar_matches_the_kronecker_recursion_and_is_orthonormal(N):
    H = np.ones((1, 1))
    while H.shape[0] < N:
        n = H.shape[0]
        H = np.vstack([np.kron(H, [1.0, 1.0]), np.kron(np.eye(n), [1.0, -1.0])]) / np.sqrt(2)
    np.testing.assert_allclose(shrink.haar_matrix(N), H, rtol=0, atol=1e-14)
    np.testing.assert_allclose(shrink.haar_matrix(N) @ shrink.haar_matrix(N).T, np.eye(N), atol=1e-12)


@pytest.mark.parametrize("lam", [0.0, 0.3, 1.0, 5.0])
def test_soft_matches_torch_softshrink(lam):
    torch = pytest.importorskip("torch")
    v = np.random.default_rng(3).normal(size=50) * 2
    want = torch.nn.functional.softshrink(torch.from_numpy(v), lambd=lam).numpy() if lam > 0 else v
    np.testing.assert_allclose(shrink.soft(v, lam), want, rtol=1e-15, atol=0)


@pytest.mark.parametrize("n, lam", [(3, 0.2), (8, 0.5), (16, 1.0)])
def test_frame_denoise_matches_scipy_lbfgsb(n, lam):
    from scipy.optimize import minimize

    rng = np.random.default_rng(n)
    y, Phi = rng.normal(size=n), _random_orthonormal(n, n + 1)
    b = Phi.T @ y  # ‖y − Φc‖² = ‖Φᵀy − c‖² for orthonormal Φ

    def objective(pq):
        c = pq[:n] - pq[n:]
        grad_c = c - b
        return 0.5 * grad_c @ grad_c + lam * pq.sum(), np.concatenate([grad_c + lam, -grad_c + lam])

    res = minimize(objective, np.zeros(2 * n), jac=True, method="L-BFGS-B", bounds=[(0, None)] * (2 * n),
                   options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000})
    want = Phi @ (res.x[:n] - res.x[n:])
    np.testing.assert_allclose(shrink.frame_denoise(y, Phi, lam), want, atol=1e-6)


def test_frame_denoise_extremes():
    rng = np.random.default_rng(5)
    y, Phi = rng.normal(size=8), _random_orthonormal(8, 6)
    np.testing.assert_allclose(shrink.frame_denoise(y, Phi, 0.0), y, atol=1e-12)
    assert np.all(shrink.frame_denoise(y, Phi, np.max(np.abs(Phi.T @ y))) == 0)


def test_haar_shrinkage_halves_the_mse_of_a_piecewise_constant_signal():
    N, sigma = 256, 0.3
    rng = np.random.default_rng(0)
    signal = np.repeat(rng.normal(scale=2.0, size=8), N // 8)
    y = signal + sigma * rng.normal(size=N)
    f = shrink.frame_denoise(y, shrink.haar_matrix(N).T, sigma * np.sqrt(2 * np.log(N)))
    assert np.mean((f - signal) ** 2) <= 0.5 * np.mean((y - signal) ** 2)


def test_validation_names_the_input():
    with pytest.raises(ValueError, match="N"):
        shrink.haar_matrix(6)
    with pytest.raises(ValueError, match="lam"):
        shrink.soft(np.ones(3), -1.0)
    with pytest.raises(ValueError, match="Phi"):
        shrink.frame_denoise(np.ones(3), np.eye(4), 0.1)


# ---- ch10.partition --------------------------------------------------------------------------------

_BOOK_W0, _BOOK_B0 = np.array([[2.0, -1.0], [1.0, 1.0]]), np.array([1.0, -1.0])


def _random_net(seed: int, widths: tuple[int, ...]) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    return [(rng.normal(size=(m, n)), rng.normal(size=m)) for n, m in zip(widths, widths[1:])]


@pytest.mark.parametrize("seed, widths", [(0, (3, 4, 2)), (1, (2, 5, 3, 1)), (2, (4, 4, 4, 4))])
def test_local_affine_is_the_torch_jacobian(seed, widths):
    torch = pytest.importorskip("torch")
    params = _random_net(seed, widths)
    x = np.random.default_rng(seed + 10).normal(size=widths[0])

    def f(t):
        for W, b in params:
            t = torch.relu(torch.from_numpy(W) @ t + torch.from_numpy(b))
        return t

    J = torch.autograd.functional.jacobian(f, torch.from_numpy(x)).numpy()
    A, c = partition.local_affine(params, x)
    np.testing.assert_allclose(A, J, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(A @ x + c, f(torch.from_numpy(x)).numpy(), rtol=1e-12, atol=1e-14)


def test_pattern_counts_the_last_layer_and_uses_strict_inequality():
    params = [(np.eye(2), np.zeros(2)), (np.array([[1.0, 1.0]]), np.array([-1.0]))]
    assert partition.activation_pattern(params, np.array([2.0, -3.0])) == (1, 0, 1)
    assert partition.activation_pattern(params, np.array([1.0, -3.0])) == (1, 0, 0)  # z = 0: inactive


def _linprog_regions(params, lo, hi):
    """The patterns whose region meets the box's interior (max t: ±zᵢ(x) ≥ t), by scipy's linprog."""
    from scipy.optimize import linprog

    n = sum(W.shape[0] for W, _ in params)
    found = set()
    for pattern in itertools.product((0, 1), repeat=n):
        rows, rhs, A, c, flags = [], [], np.eye(2), np.zeros(2), iter(pattern)
        for W, b in params:
            Z, z0 = W @ A, W @ c + b
            D = np.array([next(flags) for _ in range(W.shape[0])], dtype=float)
            rows += [[*(-s * Zi), 1.0] for s, Zi in zip(2 * D - 1, Z)]
            rhs += list((2 * D - 1) * z0)
            A, c = D[:, None] * Z, D * z0
        res = linprog([0, 0, -1], A_ub=np.array(rows), b_ub=np.array(rhs), bounds=[(lo, hi), (lo, hi), (None, 1)])
        if res.status == 0 and -res.fun > 1e-6:
            found.add(pattern)
    return found


def test_book_problem_10_1a_has_ten_regions():
    params = [(_BOOK_W0, _BOOK_B0), (np.array([[1.0, 2.0], [-1.0, 1.0]]), np.array([-9.0, -2.0]))]
    regions = partition.enumerate_patterns(params, -20.0, 20.0, 801)
    assert sorted(regions.values()) == [0] * 4 + [1] * 5 + [2]
    assert set(regions) == _linprog_regions(params, -20.0, 20.0)


def test_book_problem_10_1c_has_four_regions():
    params = [(_BOOK_W0, _BOOK_B0), (np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([0.0, 1.0]))]
    assert sorted(partition.enumerate_patterns(params, -20.0, 20.0, 801).values()) == [0, 1, 1, 2]


def test_zero_biases_give_the_same_patterns_at_every_scale():
    params = [(W, np.zeros_like(b)) for W, b in _random_net(4, (2, 4, 3))]
    assert partition.enumerate_patterns(params, -1, 1, 41) == partition.enumerate_patterns(params, -50, 50, 41)


def test_partition_validation_names_the_input():
    params = _random_net(0, (2, 3))
    with pytest.raises(ValueError, match=r"params\[0\]\[0\]"):
        partition.activation_pattern(params, np.ones(4))
    with pytest.raises(ValueError, match="lo"):
        partition.enumerate_patterns(params, 1.0, -1.0, 10)


# ---- ch10.regions ----------------------------------------------------------------------------------

@pytest.mark.parametrize("m", range(0, 15))
@pytest.mark.parametrize("d", range(0, 5))
def test_max_regions_matches_scipy_comb(m, d):
    from scipy.special import comb

    assert regions.max_regions_single_layer(m, d) == sum(int(comb(m, i, exact=True)) for i in range(d + 1))


@pytest.mark.parametrize("m", range(1, 8))
def test_max_regions_matches_brute_force_on_a_line(m):
    cuts = np.random.default_rng(m).uniform(-1, 1, size=m)  # m neurons relu(x − cut) on ℝ
    x = np.linspace(-2, 2, 100_001)
    patterns = {row.tobytes() for row in (x[:, None] - cuts[None, :] > 0)}
    assert regions.max_regions_single_layer(m, 1) == len(patterns)


def _tangent_lines(m: int) -> list:
    theta = np.arange(m) * np.pi / 6 + 0.1
    return [(np.column_stack([np.cos(theta), np.sin(theta)]), -np.ones(m))]


@pytest.mark.parametrize("m", range(1, 7))
def test_generic_lines_reach_zaslavskys_count(m):
    assert regions.count_regions_2d(_tangent_lines(m), -5.0, 5.0, 801) == regions.max_regions_single_layer(m, 2)


def test_six_generic_lines_make_22_regions_and_match_the_pattern_enumeration():
    params = _tangent_lines(6)
    assert regions.count_regions_2d(params, -5.0, 5.0, 801) == 22 == 1 + 6 + 15
    assert regions.count_regions_2d(params, -5.0, 5.0, 301) == len(partition.enumerate_patterns(params, -5, 5, 301))


def test_a_deep_sawtooth_beats_the_shallow_maximum():
    deep = [(np.array([[1.0, 0.0], [1.0, 0.0]]), np.array([0.0, -0.5]))]
    deep += [(np.array([[2.0, -4.0], [2.0, -4.0]]), np.array([0.0, -0.5]))] * 7
    assert regions.count_regions_2d(deep, -0.1, 1.1, 801) > regions.max_regions_single_layer(16, 2)


def test_regions_validation_names_the_input():
    with pytest.raises(ValueError, match="grid"):
        regions.count_regions_2d(_tangent_lines(2), -1.0, 1.0, 1)
    with pytest.raises(ValueError, match="m"):
        regions.max_regions_single_layer(-1, 2)
