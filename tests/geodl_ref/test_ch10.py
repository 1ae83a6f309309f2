"""geodl_ref.ch10 against independent oracles: torch's softshrink for soft thresholding, scipy's
L-BFGS-B on the split (c = p − q, p, q ≥ 0) form of the ℓ1 problem for frame_denoise, the
Kronecker recursion and a hand-written N = 4 matrix for the Haar basis; torch autograd for the
local affine map of a ReLU net, scipy linprog (one feasibility LP per pattern) for its regions;
scipy.special.comb and brute-force counts for the region counts; scipy.linalg's hankel and
circulant, the DFT, torch's circular conv1d and dual frames for the framelets; sympy's binomials,
central differences and a scalar minimiser for the symbolic answers."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from geodl_ref.ch10 import derivations, framelet, partition, regions, shrink


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


# ---- ch10.framelet: against scipy.linalg's hankel and circulant, the DFT and dual frames ------------


def _padded(v: np.ndarray, N: int) -> np.ndarray:
    return np.concatenate([v, np.zeros(N - v.shape[0])])


@pytest.mark.parametrize("N, r", [(7, 3), (8, 1), (12, 5), (5, 5)])
def test_hankel_is_scipys_hankel_with_the_wrapped_last_row(N, r):
    from scipy.linalg import hankel
    x = np.random.default_rng(N + r).normal(size=N)
    want = hankel(x, np.concatenate([x[-1:], x[:r - 1]]))          # first column x, last row wraps to x[0]
    np.testing.assert_array_equal(framelet.hankel(x, r), want)


@pytest.mark.parametrize("N, L", [(9, 1), (9, 4), (9, 9), (16, 7)])
def test_circ_conv_is_the_circulant_product_and_the_dft_product(N, L):
    from scipy.linalg import circulant
    rng = np.random.default_rng(N * L)
    u, v = rng.normal(size=N), rng.normal(size=L)
    got = framelet.circ_conv(u, v)
    np.testing.assert_allclose(got, circulant(u) @ _padded(v, N), rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(got, np.fft.ifft(np.fft.fft(u) * np.fft.fft(v, N)).real, rtol=1e-12, atol=1e-13)
    linear = np.convolve(u, v)                                      # the wrap-around folds the tail back
    np.testing.assert_allclose(got, linear[:N] + np.concatenate([linear[N:], np.zeros(2 * N - linear.size)]),
                               rtol=1e-13, atol=1e-14)


@pytest.mark.parametrize("N, L", [(1, 1), (6, 1), (6, 3), (6, 6)])
def test_flip_keeps_v0_and_reverses_the_rest(N, L):
    v = np.arange(1.0, L + 1)
    np.testing.assert_array_equal(framelet.flip(v, N), np.roll(_padded(v, N)[::-1], 1))
    assert framelet.flip(v, N)[0] == v[0]


@pytest.mark.parametrize("N, r", [(10, 3), (16, 6), (7, 7)])
def test_hankel_product_is_convolution_with_the_flip_and_lemma_10_1(N, r):
    from scipy.linalg import circulant
    rng = np.random.default_rng(N + 2 * r)
    x, psi, u = rng.normal(size=N), rng.normal(size=r), rng.normal(size=N)
    H = framelet.hankel(x, r)
    np.testing.assert_allclose(H @ psi, framelet.circ_conv(x, framelet.flip(psi, N)), rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(H @ psi, circulant(_padded(psi, N)).T @ x, rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(u @ H @ psi, x @ (circulant(u) @ _padded(psi, N)), rtol=1e-12)   # Lemma 10.1


def test_encode_entries_are_inner_products_with_convolved_basis_vectors():
    from scipy.linalg import circulant
    rng = np.random.default_rng(3)
    N, r = 9, 4
    f, Phi, Psi = rng.normal(size=N), rng.normal(size=(N, N)), rng.normal(size=(r, r))
    want = np.array([[f @ (circulant(Phi[:, i]) @ _padded(Psi[:, j], N)) for j in range(r)] for i in range(N)])
    np.testing.assert_allclose(framelet.framelet_encode(f, Phi, Psi), want, rtol=1e-12, atol=1e-13)  # (10.22)


@pytest.mark.parametrize("N, r", [(8, 3), (16, 5), (32, 7), (8, 8)])
def test_decode_inverts_encode_for_orthonormal_and_dual_frames(N, r):
    rng = np.random.default_rng(N + r)
    f = rng.normal(size=N)
    Psi = _random_orthonormal(r, N)
    for Phi in (np.eye(N), shrink.haar_matrix(N).T):
        back = framelet.framelet_decode(framelet.framelet_encode(f, Phi, Psi), Phi, Psi)
        np.testing.assert_allclose(back, f, rtol=0, atol=1e-13)
    Phi, Psi = rng.normal(size=(N, N)) + 3 * np.eye(N), rng.normal(size=(r, r)) + 3 * np.eye(r)
    Phi_t, Psi_t = np.linalg.inv(Phi).T, np.linalg.inv(Psi).T        # Φ̃Φᵀ = I, ΨΨ̃ᵀ = I: dual frames
    back = framelet.framelet_decode(framelet.framelet_encode(f, Phi, Psi), Phi_t, Psi_t)
    np.testing.assert_allclose(back, f, rtol=0, atol=1e-11)


def test_decode_is_torch_circular_conv1d():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(11)
    N, r = 12, 4
    C, Phi_t, Psi_t = rng.normal(size=(N, r)), rng.normal(size=(N, N)), rng.normal(size=(r, r))
    B = torch.from_numpy(Phi_t @ C).T[None]                           # (1, r, N): channel j is Φ̃c_j
    padded = torch.nn.functional.pad(B, (r - 1, 0), mode="circular")  # x[n − k] for k < r, wrapped
    kernel = torch.from_numpy(Psi_t.T[:, ::-1].copy())[None]          # conv1d correlates: flip the filters
    want = torch.nn.functional.conv1d(padded, kernel)[0, 0].numpy() / r
    np.testing.assert_allclose(framelet.framelet_decode(C, Phi_t, Psi_t), want, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("r", [2, 4, 7])
def test_rank_deficient_psi_does_not_reconstruct(r):
    rng = np.random.default_rng(r)
    f, Psi = rng.normal(size=16), _random_orthonormal(r, r + 40)
    Psi[:, 0] = 0.0
    back = framelet.framelet_decode(framelet.framelet_encode(f, np.eye(16), Psi), np.eye(16), Psi)
    assert np.linalg.norm(back - f) / np.linalg.norm(f) > 1e-2


@pytest.mark.parametrize("k", [1, 2, 3, 6])
def test_hankel_of_k_exponentials_has_rank_k(k):
    N, r = 30, 9
    n = np.arange(N)
    f = np.full(N, 1.5 * (k % 2)) + sum(np.cos(2 * np.pi * m * n / N + m) for m in range(1, k // 2 + 1))
    assert np.linalg.matrix_rank(framelet.hankel(f, r)) == k


def test_framelet_validation_names_the_input():
    with pytest.raises(ValueError, match="r"):
        framelet.hankel(np.ones(4), 5)
    with pytest.raises(ValueError, match="v"):
        framelet.circ_conv(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="v"):
        framelet.flip(np.ones(4), 3)
    with pytest.raises(ValueError, match="Psi"):
        framelet.framelet_encode(np.ones(4), np.eye(4), np.ones((2, 3)))
    with pytest.raises(ValueError, match="Phi"):
        framelet.framelet_encode(np.ones(4), np.eye(3), np.eye(2))
    with pytest.raises(ValueError, match="C"):
        framelet.framelet_decode(np.ones((2, 3)), np.eye(2), np.eye(3))
    with pytest.raises(ValueError, match="Psi_t"):
        framelet.framelet_decode(np.ones((4, 2)), np.eye(4), np.eye(3))


# ---- ch10.derivations (symbolic answers): against sympy's binomials, the numeric references ----------

def test_max_regions_plane_is_zaslavskys_sum():
    import sympy as sp
    for k in range(0, 25):
        assert derivations.max_regions_plane().subs(derivations.m, k) == sum(sp.binomial(k, i) for i in range(3))
        assert derivations.max_regions_plane().subs(derivations.m, k) == regions.max_regions_single_layer(k, 2)


@pytest.mark.parametrize("seed", range(4))
def test_local_slope_is_the_central_difference_jacobian(seed):
    import sympy as sp
    rng = np.random.default_rng(seed)
    W0, b0, W1, b1 = rng.normal(size=(4, 2)), rng.normal(size=4), rng.normal(size=(3, 4)), rng.normal(size=3)
    x = rng.normal(size=2)

    def f(t):
        return np.maximum(W1 @ np.maximum(W0 @ t + b0, 0) + b1, 0)

    D0 = np.diag((W0 @ x + b0 > 0).astype(float))
    D1 = np.diag((W1 @ np.maximum(W0 @ x + b0, 0) + b1 > 0).astype(float))
    values = {derivations.W0: sp.Matrix(W0), derivations.W1: sp.Matrix(W1),
              derivations.D0: sp.Matrix(D0), derivations.D1: sp.Matrix(D1)}
    A = np.array(derivations.local_slope().subs(values).doit(), dtype=float)
    h = 1e-6
    J = np.column_stack([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(2)])
    np.testing.assert_allclose(A, J, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(A, partition.local_affine([(W0, b0), (W1, b1)], x)[0], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("value", [-2.0, -0.7001, -0.3, 0.0, 0.5, 1.4, 3.0])
def test_soft_threshold_is_the_prox_of_lambda_abs(value):
    from scipy.optimize import minimize_scalar
    lam_value = 0.7
    got = float(derivations.soft_threshold().subs({derivations.v: value, derivations.lam: lam_value}))
    prox = minimize_scalar(lambda u: 0.5 * (u - value) ** 2 + lam_value * abs(u),
                           bounds=(-5, 5), method="bounded", options={"xatol": 1e-10}).x
    assert got == pytest.approx(prox, abs=1e-7)
    assert got == pytest.approx(shrink.soft(np.array([value]), lam_value)[0], abs=1e-15)
