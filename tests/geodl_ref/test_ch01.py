"""geodl_ref.ch01 against independent oracles: np.kron, torch autograd, scipy.optimize, scipy.linalg."""
from __future__ import annotations

import ast
import inspect

import numpy as np
import pytest
import scipy.linalg
import scipy.optimize
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from geodl_ref.ch01 import calculus, conjugate, duality, linalg
from geodl_ref.ch01.calculus import grad_logdet, grad_quadratic, grad_trace_AXB, num_grad, num_jacobian
from geodl_ref.ch01.conjugate import CONJUGATES, FUNCTIONS, conj_numeric, fenchel_young_gap
from geodl_ref.ch01.duality import min_norm_via_dual, prox_l1, solve_l1_denoise, subdiff_abs
from geodl_ref.ch01.frames import analyze, canonical_dual, frame_bounds, is_tight, synthesize
from geodl_ref.ch01.linalg import kron, unvec, vec

HYPO = settings(derandomize=True, database=None, deadline=None, max_examples=30)


@pytest.fixture(autouse=True, scope="module")
def _float64_by_default():
    """torch tensors of this module's tests default to float64; the default is restored after them
    (a module-level set_default_dtype would leak into every later test of the session)."""
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(before)


def rng(seed=0):
    return np.random.default_rng(seed)


# ---------------------------------------------------------------- ch01.vec_kron ---------------------

@pytest.mark.parametrize("shapes", [((2, 3), (4, 5)), ((1, 4), (3, 1)), ((3, 2), (2, 3)), ((5, 1), (1, 1))])
def test_kron_matches_numpy(shapes):
    A, B = rng(1).normal(size=shapes[0]), rng(2).normal(size=shapes[1])
    np.testing.assert_allclose(kron(A, B), np.kron(A, B), rtol=0, atol=1e-12)


@HYPO
@given(m=st.integers(1, 4), n=st.integers(1, 4), p=st.integers(1, 4), q=st.integers(1, 4), seed=st.integers(0, 10**6))
def test_kron_matches_numpy_property(m, n, p, q, seed):
    r = rng(seed)
    A, B = r.normal(size=(m, n)), r.normal(size=(p, q))
    K = kron(A, B)
    assert K.shape == (m * p, n * q) and K.dtype == np.float64
    np.testing.assert_allclose(K, np.kron(A, B), rtol=0, atol=1e-12)


def test_vec_is_column_stacking():
    A = rng().normal(size=(3, 5))
    np.testing.assert_array_equal(vec(A), A.reshape(-1, order="F"))
    assert not np.array_equal(vec(A), A.reshape(-1))           # row-major would be wrong
    np.testing.assert_array_equal(unvec(vec(A), 3, 5), A)
    v = rng(1).normal(size=15)
    np.testing.assert_array_equal(vec(unvec(v, 3, 5)), v)
    np.testing.assert_array_equal(unvec(v, 3, 5), v.reshape(3, 5, order="F"))


def test_vec_CAB_identity():
    r = rng(3)
    C, A, B = r.normal(size=(3, 4)), r.normal(size=(4, 5)), r.normal(size=(5, 2))
    lhs = vec(C @ A @ B)
    rhs = kron(B.T, C) @ vec(A)
    np.testing.assert_allclose(lhs, rhs, rtol=1e-10, atol=1e-12)


def test_vec_outer_product_identity():
    r = rng(4)
    x, y = r.normal(size=4), r.normal(size=3)
    np.testing.assert_allclose(vec(np.outer(x, y)), kron(y[:, None], np.eye(4)) @ x, rtol=1e-12, atol=1e-14)


def test_mixed_product_transpose_inverse():
    r = rng(5)
    A, B, C, D = r.normal(size=(2, 3)), r.normal(size=(4, 2)), r.normal(size=(3, 5)), r.normal(size=(2, 3))
    np.testing.assert_allclose(kron(A, B) @ kron(C, D), kron(A @ C, B @ D), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(kron(A, B).T, kron(A.T, B.T), rtol=0, atol=0)
    P, S = r.normal(size=(3, 3)) + 3 * np.eye(3), r.normal(size=(2, 2)) + 3 * np.eye(2)
    np.testing.assert_allclose(np.linalg.inv(kron(P, S)), kron(np.linalg.inv(P), np.linalg.inv(S)),
                               rtol=1e-10, atol=1e-12)


def test_kron_does_not_commute():
    # Lemma 1.2's "A⊗B = B⊗A" is a misprint: guard against "fixing" kron to agree with it.
    r = rng(6)
    A, B = r.normal(size=(2, 2)), r.normal(size=(2, 2))
    assert not np.allclose(kron(A, B), kron(B, A))
    A, B = r.normal(size=(2, 3)), r.normal(size=(3, 2))
    assert kron(A, B).shape == kron(B, A).shape and not np.allclose(kron(A, B), kron(B, A))


def test_linalg_never_calls_numpy_kron():
    tree = ast.parse(inspect.getsource(linalg))
    attrs = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert "kron" not in attrs and "kron" not in names


def test_vec_kron_validation():
    with pytest.raises(ValueError, match=r"^A should be a 2-d array"):
        vec(np.ones(3))
    with pytest.raises(ValueError, match=r"^v should have shape"):
        unvec(np.ones(5), 2, 3)
    with pytest.raises(ValueError, match=r"^m should be >= 1"):
        unvec(np.ones(0), 0, 3)
    with pytest.raises(ValueError, match=r"^B should be a 2-d array"):
        kron(np.ones((2, 2)), np.ones(2))
    assert vec([[1, 2], [3, 4]]).dtype == np.float64


# ---------------------------------------------------------------- ch01.matrix_calculus --------------

def test_num_grad_vs_torch_autograd():
    X = rng(7).normal(size=(3, 4))

    def f_np(X):
        return float(np.sum(np.sin(X) * X**2) + np.prod(X[0]))

    Xt = torch.tensor(X, requires_grad=True)
    (torch.sum(torch.sin(Xt) * Xt**2) + torch.prod(Xt[0])).backward()
    G = num_grad(f_np, X)
    assert G.shape == X.shape
    np.testing.assert_allclose(G, Xt.grad.numpy(), rtol=1e-6, atol=1e-8)


def test_num_grad_exact_on_quadratics_and_does_not_mutate():
    r = rng(8)
    B, c, x = r.normal(size=(5, 5)), r.normal(size=5), r.normal(size=5)
    x0 = x.copy()
    G = num_grad(lambda z: z @ B @ z + c @ z, x)
    np.testing.assert_allclose(G, (B + B.T) @ x + c, rtol=1e-8, atol=1e-8)
    np.testing.assert_array_equal(x, x0)
    assert num_grad(lambda z: float(z) ** 2, np.float64(3.0)).shape == ()


def test_central_differences_on_cubics():
    x = np.array([0.7, -1.3, 2.1])
    exact = 3 * x**2
    G = num_grad(lambda z: np.sum(z**3), x)
    assert np.max(np.abs(G - exact) / np.abs(exact)) <= 1e-6
    h = 1e-6                                       # the same step, forward: error O(h) ~ 3x·h fails
    fwd = np.array([(np.sum((x + h * e) ** 3) - np.sum(x**3)) / h for e in np.eye(3)])
    assert np.max(np.abs(fwd - exact) / np.abs(exact)) > 1e-6


def test_num_jacobian_denominator_layout():
    A = rng(9).normal(size=(3, 5))
    J = num_jacobian(lambda x: A @ x, rng(10).normal(size=5), 1e-6)
    assert J.shape == (5, 3)
    np.testing.assert_allclose(J, A.T, rtol=1e-8, atol=1e-9)


def test_num_jacobian_vs_jacrev():
    x = rng(11).normal(size=4)

    def F_t(z):
        return torch.stack([torch.sin(z[0]) * z[1], z.pow(2).sum(), torch.exp(z[2] - z[3])])

    J_torch = torch.func.jacrev(F_t)(torch.tensor(x)).numpy()      # (m, n): numerator layout
    J = num_jacobian(lambda z: F_t(torch.tensor(z)).numpy(), x)
    assert J.shape == (4, 3)
    np.testing.assert_allclose(J, J_torch.T, rtol=1e-6, atol=1e-8)


def test_chain_rule_in_denominator_layout():
    # x ∈ R⁴ → u = g(x) ∈ R³ → v = h(u) ∈ R² → c = ½‖v‖²:  ∂c/∂x = (∂u/∂x)(∂v/∂u)(∂c/∂v)
    r = rng(12)
    W1, W2, x = r.normal(size=(3, 4)), r.normal(size=(2, 3)), r.normal(size=4)

    def g(z):
        return np.tanh(W1 @ z)

    def h(u):
        return W2 @ u + u[:2] ** 2

    def c(v):
        return 0.5 * float(v @ v)

    chain = num_jacobian(g, x) @ num_jacobian(h, g(x)) @ num_grad(c, h(g(x)))
    direct = num_grad(lambda z: c(h(g(z))), x)
    np.testing.assert_allclose(chain, direct, rtol=1e-6, atol=1e-8)


def test_closed_form_gradients_vs_num_grad_and_torch():
    r = rng(13)
    B, x = r.normal(size=(4, 4)), r.normal(size=4)         # B not symmetric
    g = grad_quadratic(B, x)
    np.testing.assert_allclose(g, num_grad(lambda z: z @ B @ z, x), rtol=1e-6)
    assert not np.allclose(g, 2 * B @ x)

    A, Bt, X = r.normal(size=(2, 3)), r.normal(size=(5, 2)), r.normal(size=(3, 5))   # p=2, m=3, n=5
    G = grad_trace_AXB(A, Bt)
    assert G.shape == (3, 5)
    Xt = torch.tensor(X, requires_grad=True)
    torch.trace(torch.tensor(A) @ Xt @ torch.tensor(Bt)).backward()
    np.testing.assert_allclose(G, Xt.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(G, num_grad(lambda Z: np.trace(A @ Z @ Bt), X), rtol=1e-6)

    for sign in (1.0, -1.0):                               # det > 0 and det < 0
        M = r.normal(size=(4, 4)) + 4 * np.eye(4)
        M[0] *= sign * np.sign(np.linalg.det(M))
        Mt = torch.tensor(M, requires_grad=True)
        torch.linalg.slogdet(Mt)[1].backward()
        np.testing.assert_allclose(grad_logdet(M), Mt.grad.numpy(), rtol=1e-10)
        np.testing.assert_allclose(grad_logdet(M), num_grad(lambda Z: np.log(abs(np.linalg.det(Z))), M), rtol=1e-6)


def test_calculus_validation():
    with pytest.raises(TypeError, match=r"^f should be a callable"):
        num_grad(3.0, np.ones(2))
    with pytest.raises(ValueError, match=r"^h should be > 0"):
        num_grad(np.sum, np.ones(2), 0.0)
    with pytest.raises(ValueError, match=r"f should return a scalar"):
        num_grad(lambda z: z, np.ones(2))
    with pytest.raises(ValueError, match=r"^x should be a 1-d array"):
        num_jacobian(lambda z: z, np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"B.shape\[0\] == B.shape\[1\]"):
        grad_quadratic(np.ones((2, 3)), np.ones(3))
    with pytest.raises(ValueError, match=r"^x should have shape"):
        grad_quadratic(np.eye(3), np.ones(2))
    with pytest.raises(ValueError, match=r"B.shape\[1\] == A.shape\[0\]"):
        grad_trace_AXB(np.ones((2, 3)), np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"^X should be nonsingular"):
        grad_logdet(np.ones((3, 3)))
    assert calculus.num_grad.__defaults__ == (1e-6,)


# ---------------------------------------------------------------- ch01.frames -----------------------

def _mercedes():
    t = 2 * np.pi * np.arange(3) / 3 + np.pi / 2
    return np.stack([np.cos(t), np.sin(t)])


def test_perfect_reconstruction_random_redundant_frames():
    for seed in range(5):
        Phi = rng(seed).normal(size=(4, 7))
        Phi_d = canonical_dual(Phi)
        assert Phi_d.shape == (4, 7)
        np.testing.assert_allclose(Phi_d @ Phi.T, np.eye(4), atol=1e-10)
        np.testing.assert_allclose(Phi_d, np.linalg.pinv(Phi.T), atol=1e-10)   # (Φᵀ)⁺ = (ΦΦᵀ)⁻¹Φ
        F = rng(seed + 100).normal(size=(4, 6))
        np.testing.assert_allclose(synthesize(Phi_d, analyze(Phi, F)), F, atol=1e-10)
        f = F[:, 0]
        np.testing.assert_allclose(synthesize(Phi_d, analyze(Phi, f)), f, atol=1e-10)


def test_frame_bounds_and_inequality():
    Phi = rng(20).normal(size=(4, 7))
    alpha, beta = frame_bounds(Phi)
    s = scipy.linalg.svdvals(Phi)                          # oracle: squared singular values
    assert isinstance(alpha, float) and isinstance(beta, float)
    np.testing.assert_allclose([alpha, beta], [s.min() ** 2, s.max() ** 2], rtol=1e-10)
    F = rng(21).normal(size=(4, 1000))
    energy = np.sum(analyze(Phi, F) ** 2, axis=0)          # ‖Φᵀf‖²
    norm2 = np.sum(F**2, axis=0)
    assert np.all(alpha * norm2 <= energy * (1 + 1e-12)) and np.all(energy <= beta * norm2 * (1 + 1e-12))
    assert alpha > 1e-3                                     # not the zero eigenvalues of ΦᵀΦ (7×7)


def test_tight_frames_and_book_example():
    M = _mercedes()
    np.testing.assert_allclose(frame_bounds(M), (1.5, 1.5), rtol=1e-12)
    assert is_tight(M, 1e-10)
    np.testing.assert_allclose(canonical_dual(M), M / 1.5, atol=1e-12)

    Phi = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])    # {[1,0], [0,1], [1,1]}
    x = np.array([2.0, 3.0])
    np.testing.assert_allclose(synthesize(canonical_dual(Phi), analyze(Phi, x)), x, atol=1e-12)
    np.testing.assert_allclose(frame_bounds(Phi), (1.0, 3.0), rtol=1e-12)
    assert not is_tight(Phi)

    Qm, _ = np.linalg.qr(rng(22).normal(size=(5, 5)))      # orthonormal basis
    np.testing.assert_allclose(frame_bounds(Qm), (1.0, 1.0), rtol=1e-12)
    np.testing.assert_allclose(canonical_dual(Qm), Qm, atol=1e-12)
    assert is_tight(Qm)


def test_rank_deficient_frames():
    Phi = rng(23).normal(size=(4, 2)) @ rng(24).normal(size=(2, 7))   # rank 2 < n = 4
    alpha, beta = frame_bounds(Phi)
    assert alpha <= 1e-10 * beta and alpha >= 0.0
    with pytest.raises(ValueError, match=r"^Phi should have rank n = 4"):
        canonical_dual(Phi)
    assert not is_tight(Phi)
    assert not is_tight(np.zeros((2, 3)))


def test_frames_validation():
    Phi = rng(25).normal(size=(3, 5))
    with pytest.raises(ValueError, match=r"f.shape\[0\] == Phi.shape\[0\]"):
        analyze(Phi, np.ones(5))
    with pytest.raises(ValueError, match=r"c.shape\[0\] == Phi_d.shape\[1\]"):
        synthesize(Phi, np.ones(3))
    with pytest.raises(ValueError, match=r"^Phi should be a 2-d array"):
        frame_bounds(np.ones(3))
    with pytest.raises(ValueError, match=r"^tol should be >= 0"):
        is_tight(Phi, -1.0)


# ---------------------------------------------------------------- ch01.convex_conjugate -------------

GRID = np.linspace(-20.0, 20.0, 400001)                     # spacing 1e-4

# key -> (u values whose maximizer lies well inside GRID, u values outside dom f*)
SCALAR_CASES = {
    "exp": (np.linspace(0.0, 20.0, 41), np.array([-1e-3, -1.0, -50.0])),
    "xlogx": (np.linspace(-5.0, 3.0, 33), np.array([])),
    "neglog": (np.linspace(-10.0, -0.1, 34), np.array([0.0, 1e-3, 2.0])),
    "inv": (np.linspace(-10.0, -0.01, 34), np.array([1e-3, 2.0])),
    "softplus": (np.r_[0.0, np.linspace(0.01, 0.99, 33), 1.0], np.array([-1e-3, 1.001, 5.0])),
    "sqrt1px2": (np.linspace(-0.99, 0.99, 34), np.array([-1.001, 1.001, 3.0])),
}


@pytest.mark.parametrize("key", sorted(SCALAR_CASES))
def test_scalar_conjugates_vs_numeric_sup(key):
    inside, outside = SCALAR_CASES[key]
    f, fstar = FUNCTIONS[key], CONJUGATES[key]
    np.testing.assert_allclose(fstar(inside), conj_numeric(f, inside, GRID), rtol=0, atol=1e-4)
    out = fstar(outside)
    assert np.all(np.isposinf(out))


@pytest.mark.parametrize("p", [1.5, 2.0, 3.0, 4.0])
def test_abs_p_conjugate(p):
    u = np.linspace(-3.0, 3.0, 31)
    np.testing.assert_allclose(CONJUGATES["abs_p"](p)(u), conj_numeric(FUNCTIONS["abs_p"](p), u, GRID), atol=1e-4)


def test_vector_conjugates_in_one_dimension():
    u = np.linspace(-0.99, 0.99, 21)
    numeric = conj_numeric(lambda x: FUNCTIONS["l1"](x[:, None]), u, GRID)
    np.testing.assert_allclose(CONJUGATES["l1"](u[:, None]), numeric, atol=1e-4)
    assert np.all(np.isposinf(CONJUGATES["l1"](np.array([[1.01], [-3.0]]))))
    q = 2.5
    u = np.linspace(-5, 5, 21)
    numeric = conj_numeric(lambda x: 0.5 * q * x**2, u, GRID)
    np.testing.assert_allclose(CONJUGATES["quad"]([[q]])(u[:, None]), numeric, atol=1e-4)


def test_out_of_domain_numeric_sup_is_unbounded():
    # where the closed form is +inf the grid sup keeps growing with the grid
    small, large = np.linspace(-20, 20, 4001), np.linspace(-40, 40, 8001)
    for key, (_, outside) in SCALAR_CASES.items():
        for u0 in outside:
            if abs(u0) < 0.5 and key != "exp":
                continue                                      # slow growth near the boundary
            a = conj_numeric(FUNCTIONS[key], np.array([u0]), small)
            b = conj_numeric(FUNCTIONS[key], np.array([u0]), large)
            assert b[0] > a[0] + 1e-3, (key, u0)


def test_no_nan_anywhere():
    x = np.r_[np.linspace(-50, 50, 1001), 0.0, -0.0, 1.0, -1.0, 1e-300, -1e-300]
    with np.errstate(invalid="raise", divide="raise", over="ignore", under="ignore"):
        for key in SCALAR_CASES:
            assert not np.any(np.isnan(FUNCTIONS[key](x))) and not np.any(np.isnan(CONJUGATES[key](x)))
        for p in (1.5, 3.0):
            assert not np.any(np.isnan(CONJUGATES["abs_p"](p)(x)))
        X = x[:1005].reshape(-1, 3)
        for key in ("l1", "logsumexp"):
            assert not np.any(np.isnan(FUNCTIONS[key](X))) and not np.any(np.isnan(CONJUGATES[key](X)))


def _torch_functions():
    return {
        "exp": (torch.exp, (-5, 3)),
        "xlogx": (lambda t: t * torch.log(t), (0.01, 10)),
        "neglog": (lambda t: -torch.log(t), (0.05, 10)),
        "inv": (lambda t: 1 / t, (0.2, 10)),
        "softplus": (torch.nn.functional.softplus, (-10, 10)),
        "sqrt1px2": (lambda t: torch.sqrt(1 + t**2), (-10, 10)),
    }


@pytest.mark.parametrize("key", sorted(SCALAR_CASES))
def test_fenchel_young_inequality_and_equality(key):
    f, fstar = FUNCTIONS[key], CONJUGATES[key]
    r = rng(30)
    fn_t, (lo, hi) = _torch_functions()[key]
    x = r.uniform(lo, hi, size=10_000)
    xt = torch.tensor(x, requires_grad=True)
    fn_t(xt).sum().backward()
    fprime = xt.grad.numpy()                                  # oracle: u = f′(x) from autograd
    gap = fenchel_young_gap(f, fstar, x, fprime)
    assert gap.shape == x.shape
    np.testing.assert_allclose(gap, 0.0, atol=1e-10 * max(1.0, float(np.abs(f(x)).max())))
    u = fprime[r.permutation(x.size)] + r.normal(scale=0.1, size=x.size)   # random pairs, some outside dom f*
    gap = fenchel_young_gap(f, fstar, x, u)
    assert np.all(gap >= -1e-12) and not np.any(np.isnan(gap))


def test_fenchel_young_vector_functions():
    r = rng(31)
    Q = r.normal(size=(3, 3))
    Q = Q @ Q.T + np.eye(3)
    X = r.normal(size=(200, 3))
    cases = [("quad", FUNCTIONS["quad"](Q), CONJUGATES["quad"](Q), X @ Q),              # ∇f = Qx (rows)
             ("logsumexp", FUNCTIONS["logsumexp"], CONJUGATES["logsumexp"], torch.softmax(torch.tensor(X), 1).numpy()),
             ("l1", FUNCTIONS["l1"], CONJUGATES["l1"], np.sign(X))]
    for key, f, fstar, U in cases:
        gap = fenchel_young_gap(f, fstar, X, U)
        assert gap.shape == (200,), key
        np.testing.assert_allclose(gap, 0.0, atol=1e-10, err_msg=key)
        V = U[r.permutation(200)] * r.uniform(0.5, 1.5, size=(200, 1))
        gap = fenchel_young_gap(f, fstar, X, V)
        assert np.all(gap >= -1e-12), key
    assert isinstance(fenchel_young_gap(FUNCTIONS["l1"], CONJUGATES["l1"], X[0], U[0]), np.floating)


def test_quad_and_logsumexp_vs_scipy_sup():
    r = rng(32)
    Q = r.normal(size=(3, 3))
    Q = Q @ Q.T + 0.5 * np.eye(3)
    f, fstar = FUNCTIONS["quad"](Q), CONJUGATES["quad"](Q)
    for _ in range(5):
        u = r.normal(size=3)
        res = scipy.optimize.minimize(lambda x: f(x) - u @ x, np.zeros(3), jac=lambda x: Q @ x - u,  # noqa: B023 - called within this iteration
                                      method="BFGS", options={"gtol": 1e-12})
        np.testing.assert_allclose(fstar(u), -res.fun, rtol=1e-8)
        assert not np.isclose(fstar(u), 0.5 * u @ Q @ u)      # Q⁻¹, not Q
    f, fstar = FUNCTIONS["logsumexp"], CONJUGATES["logsumexp"]
    for _ in range(5):
        u = r.dirichlet(np.ones(4))
        res = scipy.optimize.minimize(lambda x: f(x) - u @ x, np.zeros(4), method="BFGS", options={"gtol": 1e-10})  # noqa: B023 - called within this iteration
        np.testing.assert_allclose(fstar(u), -res.fun, rtol=1e-7, atol=1e-9)
    assert np.isposinf(fstar(np.array([0.5, 0.6]))) and np.isposinf(fstar(np.array([1.5, -0.5])))
    np.testing.assert_allclose(fstar(np.array([[0.5, 0.5], [1.0, 0.0]])), [np.log(0.5), 0.0])


BICONJ = {   # key -> (x where f** = f is checked, u grid containing f′(x))
    "exp": (np.linspace(-2, 2, 9), np.linspace(-1, 10, 110001)),
    "xlogx": (np.linspace(0.1, 3, 9), np.linspace(-2, 3, 50001)),
    "neglog": (np.linspace(0.5, 3, 9), np.linspace(-3, 1, 40001)),
    "softplus": (np.linspace(-3, 3, 9), np.linspace(-0.5, 1.5, 20001)),
    "sqrt1px2": (np.linspace(-3, 3, 9), np.linspace(-1.5, 1.5, 30001)),
}


@pytest.mark.parametrize("key", sorted(BICONJ))
def test_biconjugate(key):
    x, ugrid = BICONJ[key]
    np.testing.assert_allclose(conj_numeric(CONJUGATES[key], x, ugrid), FUNCTIONS[key](x), atol=1e-3)


@pytest.mark.parametrize("a", [0.5, 3.0])
def test_scaling_rule(a):
    for key in ("exp", "softplus", "sqrt1px2"):
        inside, _ = SCALAR_CASES[key]
        u = a * inside[1:-1]
        got = conj_numeric(lambda x: a * FUNCTIONS[key](x), u, GRID)  # noqa: B023 - called within this iteration
        np.testing.assert_allclose(a * CONJUGATES[key](u / a), got, atol=1e-4)


def test_conj_numeric_treats_nan_as_outside_domain():
    u = np.array([-2.0, -0.5])
    with np.errstate(invalid="ignore", divide="ignore"):
        got = conj_numeric(lambda x: -np.log(x), u, np.linspace(-5, 5, 100001))
    np.testing.assert_allclose(got, CONJUGATES["neglog"](u), atol=1e-4)


def test_conjugate_validation():
    with pytest.raises(ValueError, match=r"^u should be a 1-d array"):
        conj_numeric(np.exp, np.ones((2, 2)), GRID)
    with pytest.raises(TypeError, match=r"^f should be a callable"):
        conj_numeric("exp", np.ones(2), GRID)
    with pytest.raises(ValueError, match=r"^xgrid should hold"):
        conj_numeric(np.exp, np.ones(2), np.array([]))
    with pytest.raises(ValueError, match=r"^p should be > 1"):
        CONJUGATES["abs_p"](1.0)
    with pytest.raises(ValueError, match=r"^Q should be positive definite"):
        CONJUGATES["quad"](np.diag([1.0, -1.0]))
    with pytest.raises(ValueError, match=r"^Q should be symmetric"):
        FUNCTIONS["quad"](np.array([[1.0, 1.0], [0.0, 1.0]]))
    with pytest.raises(ValueError, match=r"^u should have last axis"):
        CONJUGATES["quad"](np.eye(2))(np.ones(3))
    with pytest.raises(ValueError, match=r"^u should have shape like x"):
        fenchel_young_gap(FUNCTIONS["exp"], CONJUGATES["exp"], np.ones(3), np.ones(2))
    assert set(FUNCTIONS) == set(CONJUGATES) == {
        "exp", "xlogx", "neglog", "inv", "softplus", "sqrt1px2", "abs_p", "l1", "quad", "logsumexp"}
    assert isinstance(CONJUGATES["exp"](2.0), np.floating)
    assert CONJUGATES["exp"](np.ones((2, 3))).shape == (2, 3)
    assert conjugate.conj_numeric(np.exp, np.ones(3), GRID[::100]).shape == (3,)


# ---------------------------------------------------------------- ch01.prox_duality -----------------

def test_subdiff_abs():
    lo, hi = subdiff_abs(np.array([[-2.0, 0.0], [-0.0, 3.0]]))
    np.testing.assert_array_equal(lo, [[-1, -1], [-1, 1]])
    np.testing.assert_array_equal(hi, [[-1, 1], [1, 1]])


def test_prox_l1_vs_oracles():
    r = rng(40)
    v = r.normal(scale=2.0, size=500)
    for lam in (0.0, 0.3, 1.0, 5.0):
        p = prox_l1(v, lam)
        np.testing.assert_array_equal(p, torch.nn.functional.softshrink(torch.tensor(v), lam).numpy())
        np.testing.assert_allclose(p + np.clip(v, -lam, lam), v, rtol=0, atol=1e-15)   # Moreau
        if lam > 0:
            lo, hi = subdiff_abs(p)                            # 0 ∈ (p − v) + λ∂|p|
            s = (v - p) / lam
            assert np.all(s >= lo - 1e-12) and np.all(s <= hi + 1e-12)
        assert not np.any(np.signbit(p) & (p == 0))            # no −0.
    for vi in v[:20]:
        res = scipy.optimize.minimize_scalar(lambda q: 0.5 * (q - vi) ** 2 + 0.7 * abs(q), bounds=(-10, 10),  # noqa: B023 - called within this iteration
                                             method="bounded", options={"xatol": 1e-10})
        np.testing.assert_allclose(prox_l1(vi, 0.7), res.x, atol=1e-6)
    p = prox_l1(np.array([3.0, -3.0, 0.5]), 1.0)
    np.testing.assert_array_equal(p, [2.0, -2.0, 0.0])       # shrinks (not a hard threshold)


def _P(x, y, A):
    return float(np.sum((y - x) ** 2) + np.abs(A @ x).sum())


def _D(u, y, A):
    return float(u @ A @ y - 0.25 * np.sum((A.T @ u) ** 2))


def _slsqp_l1(y, A):
    """Independent primal solve: min ‖y−x‖² + Σt s.t. −t ≤ Ax ≤ t (SLSQP)."""
    m, n = A.shape
    I = np.eye(m)
    G = np.vstack([np.hstack([-A, I]), np.hstack([A, I])])
    z0 = np.concatenate([y, np.abs(A @ y)])
    res = scipy.optimize.minimize(
        lambda z: np.sum((y - z[:n]) ** 2) + z[n:].sum(), z0,
        jac=lambda z: np.concatenate([2 * (z[:n] - y), np.ones(m)]),
        constraints=[{"type": "ineq", "fun": lambda z: G @ z, "jac": lambda z: G}],
        method="SLSQP", options={"ftol": 1e-15, "maxiter": 1000})
    return res.x[:n]


L1_CASES = [("tv", 20, 19), ("tall", 10, 15), ("wide", 12, 5), ("square", 25, 25), ("tv-small", 6, 5)]


@pytest.mark.parametrize("kind,n,m", L1_CASES)
def test_l1_denoise_duality_gap(kind, n, m):
    r = rng(n * 100 + m)
    if kind.startswith("tv"):
        A = np.diff(np.eye(n), axis=0)
        y = np.repeat(r.normal(scale=2.0, size=n // 5 + 1), 5)[:n] + 0.2 * r.normal(size=n)
    else:
        A, y = r.normal(size=(m, n)), r.normal(scale=2.0, size=n)
    x, u = solve_l1_denoise(y, A)
    assert x.shape == (n,) and u.shape == (m,)
    assert np.max(np.abs(u)) <= 1.0                           # exactly feasible
    np.testing.assert_allclose(x, y - A.T @ u / 2, rtol=0, atol=1e-12)
    P, D = _P(x, y, A), _D(u, y, A)
    assert -1e-12 * abs(P) <= P - D <= 1e-8 * abs(P)          # a certificate: ‖x − x*‖² ≤ P − D
    np.testing.assert_allclose(x, _slsqp_l1(y, A), atol=1e-5)
    x2, u2 = solve_l1_denoise(y, A)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(u, u2)


def test_l1_denoise_edge_cases_and_validation():
    y = np.array([1.0, -2.0, 3.0])
    x, u = solve_l1_denoise(y, np.zeros((2, 3)))
    np.testing.assert_array_equal(x, y)
    assert np.all(u == 0)
    x, u = solve_l1_denoise(y, np.diff(np.eye(3), axis=0), iters=1)
    assert np.max(np.abs(u)) <= 1.0 and x.shape == (3,)
    with pytest.raises(ValueError, match=r"A.shape\[1\] == y.shape\[0\]"):
        solve_l1_denoise(y, np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"^iters should be >= 1"):
        solve_l1_denoise(y, np.ones((2, 3)), iters=0)
    assert duality.solve_l1_denoise.__defaults__ == (20000,)


def test_min_norm_via_dual():
    r = rng(41)
    A, b = r.normal(size=(3, 7)), r.normal(size=3)
    x, u = min_norm_via_dual(A, b)
    np.testing.assert_allclose(A @ x, b, atol=1e-10)
    np.testing.assert_allclose(x, scipy.linalg.pinv(A) @ b, atol=1e-10)
    np.testing.assert_allclose(x, -A.T @ u, atol=1e-12)
    g = -0.5 * np.sum((A.T @ u) ** 2) - b @ u
    np.testing.assert_allclose(0.5 * x @ x, g, rtol=1e-10)
    assert np.max(np.abs(scipy.linalg.null_space(A).T @ x)) <= 1e-10     # x ⟂ null(A)
    res = scipy.optimize.minimize(lambda z: 0.5 * z @ z, np.zeros(7), jac=lambda z: z,
                                  constraints=[{"type": "eq", "fun": lambda z: A @ z - b, "jac": lambda z: A}],
                                  method="SLSQP", options={"ftol": 1e-14})
    np.testing.assert_allclose(x, res.x, atol=1e-6)
    with pytest.raises(ValueError, match=r"^A should have full row rank"):
        min_norm_via_dual(np.ones((2, 4)), np.ones(2))
    with pytest.raises(ValueError, match=r"^A should have full row rank"):
        min_norm_via_dual(r.normal(size=(5, 3)), np.ones(5))
    with pytest.raises(ValueError, match=r"^b should have shape"):
        min_norm_via_dual(A, np.ones(4))


# ---------------------------------------------------------------- ch01.sym_conjugates --------------
# The symbolic answers (geodl_ref.ch01.derivations) against a numeric sup computed by scipy, the
# sympy derivation x* = (f′)⁻¹(u), f*(u) = u x* − f(x*), and the numeric closed forms of CONJUGATES.

from geodl_ref.ch01 import derivations  # noqa: E402


def _sym_cases():
    """name -> (primal f in x, its maximizer x*(u), u inside the graded domain, CONJUGATES key)."""
    import sympy as sp
    x = sp.Symbol("x", real=True)
    u, a = derivations.u, derivations.a
    return {
        "conj_exp": (sp.exp(x), sp.log(u), np.linspace(0.05, 10, 15), "exp"),
        "conj_xlogx": (x * sp.log(x), sp.exp(u - 1), np.linspace(-4, 3, 15), "xlogx"),
        "conj_neglog": (-sp.log(x), -1 / u, np.linspace(-8, -0.1, 15), "neglog"),
        "conj_inv": (1 / x, 1 / sp.sqrt(-u), np.linspace(-8, -0.05, 15), "inv"),
        "conj_softplus": (sp.log(1 + sp.exp(x)), sp.log(u / (1 - u)), np.linspace(0.02, 0.98, 15), "softplus"),
        "conj_sqrt1px2": (sp.sqrt(1 + x**2), u / sp.sqrt(1 - u**2), np.linspace(-0.95, 0.95, 15), "sqrt1px2"),
        "conj_abs_cubed": (sp.Abs(x) ** 3 / 3, sp.sign(u) * sp.sqrt(sp.Abs(u)), np.linspace(-4, 4, 15), None),
        "conj_quad": (a * x**2 / 2, u / a, np.linspace(-4, 4, 15), None),
    }, x


@pytest.mark.parametrize("name", ["conj_exp", "conj_xlogx", "conj_neglog", "conj_inv", "conj_softplus",
                                  "conj_sqrt1px2", "conj_abs_cubed", "conj_quad"])
def test_symbolic_conjugates(name):
    import sympy as sp
    cases, x = _sym_cases()
    f, xstar, us, key = cases[name]
    u, a = derivations.u, derivations.a
    expr = getattr(derivations, name)()
    assert expr.free_symbols <= {u, a}
    for av in (0.5, 2.0) if a in expr.free_symbols else (None,):
        for uv in us:
            env = {u: uv} if av is None else {u: uv, a: av}
            got = float(expr.subs(env))
            xs = float(xstar.subs(env))
            fx = float(f.subs(x, xs).subs({} if av is None else {a: av}))
            np.testing.assert_allclose(got, uv * xs - fx, rtol=1e-10, atol=1e-12)       # value at x*
            fnum = sp.lambdify(x, f.subs({} if av is None else {a: av}), "numpy")
            near = xs + np.linspace(-0.5, 0.5, 2001) * min(1.0, abs(xs) if xs > 0 else 1.0)   # stays in dom f
            assert np.max(uv * near - fnum(near)) <= got + 1e-12                        # x* is the sup nearby
            if key is not None:
                np.testing.assert_allclose(got, float(CONJUGATES[key](np.array(uv))), rtol=1e-12, atol=1e-14)
    if name == "conj_abs_cubed":
        np.testing.assert_allclose([float(expr.subs(u, t)) for t in us], CONJUGATES["abs_p"](3.0)(us), rtol=1e-12)


# ---------------------------------------------------------------- ch01.sym_matrix_gradients --------

def _subs_matrices(expr, values):
    import sympy as sp
    return np.array(expr.subs({s: sp.Matrix(v) for s, v in values.items()}).doit().evalf(), dtype=float)


def test_symbolic_matrix_gradients_vs_torch_autograd():
    r = rng(50)
    B, x = r.normal(size=(4, 4)), r.normal(size=(4, 1))
    A, Xt = r.normal(size=(4, 3)), r.normal(size=(3, 4))
    X = r.normal(size=(3, 3))
    w, b = r.normal(size=(3, 1)), r.normal(size=(4, 1))
    D = derivations

    def autograd(fun, at):
        t = torch.tensor(at, requires_grad=True)
        fun(t).backward()
        return t.grad.numpy()

    tB, tA, tb = torch.tensor(B), torch.tensor(A), torch.tensor(b)
    cases = [
        (D.grad_quadratic_form(), {D.B: B, D.x: x}, autograd(lambda t: (t.T @ tB @ t).sum(), x)),
        (D.grad_trace_AXB(), {D.A: A, D.B: B}, autograd(lambda t: torch.trace(tA @ t @ tB), Xt)),
        (D.grad_logdet(), {D.X: X}, autograd(lambda t: torch.linalg.slogdet(t)[1], X)),
        (D.grad_least_squares(), {D.A: A, D.w: w, D.b: b}, autograd(lambda t: 0.5 * ((tA @ t - tb) ** 2).sum(), w)),
    ]
    for expr, values, want in cases:
        assert expr.shape == want.shape
        np.testing.assert_allclose(_subs_matrices(expr, values), want, rtol=1e-10, atol=1e-12)
    assert not np.allclose(_subs_matrices(D.grad_logdet(), {D.X: X}), np.linalg.inv(X))   # X⁻ᵀ ≠ X⁻¹ here


def test_symbolic_quad_minimizer():
    r = rng(51)
    M = r.normal(size=(3, 3))
    S, c = M @ M.T + 3 * np.eye(3), r.normal(size=(3, 1))
    xs = _subs_matrices(derivations.quad_minimizer(), {derivations.S: S, derivations.c: c})
    res = scipy.optimize.minimize(lambda z: 0.5 * z @ S @ z - c[:, 0] @ z, np.zeros(3), jac=lambda z: S @ z - c[:, 0],
                                  method="BFGS", options={"gtol": 1e-12})
    np.testing.assert_allclose(xs[:, 0], res.x, atol=1e-8)
    np.testing.assert_allclose(S @ xs, c, atol=1e-12)
