"""ch04.kernel_psd — Gram matrices, PSD tests with a relative tolerance, the normalized kernel,
closure of PSD kernels under sums, products and polynomials (Def 4.2, ex 4.1–4.6), and a
counterexample showing the sigmoid kernel is not PSD."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Bool, Exercise, Function, arrays, assert_close, distinct_dims, expect, rng, seeds
from graders.authoring.checks.kkt import assert_psd, min_eigenvalue
from graders.chapters.ch04._kernels import KERNELS

exercise = Exercise(module="ch04.kernels", title="PSD kernels and their closure properties",
                    forbidden=("torch", "scipy", "sympy"), functions=(
    "gram", "is_psd", "normalize_kernel", "k_sum", "k_prod", "k_poly", "sigmoid_counterexample"))

_kernel_names = st.sampled_from(["linear", "rbf", "poly2", "cos"])


def _combinator(ctx, name: str, *args):
    """The kernel that the student's ``name(*args)`` returns (kept in the worker), as a function (X, Z) -> its block."""
    kernel = ctx.call(name, *args, returns=Function(label=f"the kernel {name} returns"))
    return lambda X, Z: ctx.call_handle(kernel, X, Z, returns=Array(
        (len(X), len(Z)), label=f"the kernel returned by {name}, called on X (n={len(X)}) and Z (m={len(Z)})"))


def _planted(scale: float, smallest: float, seed: int = 4) -> np.ndarray:
    """A symmetric 6×6 matrix of spectral norm 5·scale whose smallest eigenvalue is smallest·5·scale."""
    U, _ = np.linalg.qr(rng(seed).normal(size=(6, 6)))
    return scale * U @ np.diag([5.0, 3.0, 1.0, 0.2, 0.0, smallest * 5.0]) @ U.T


@exercise.check(points=1, given={"kernel": _kernel_names, "dims": distinct_dims(3, 1, 9), "seed": seeds()},
                max_examples=15)
def gram_blocks(ctx, kernel, dims, seed):
    """gram(k, X, Z) is the (n, m) block k(x_i, z_j) and gram(k, X) the square (n, n) one (1e-12);
    a kernel that returns a block of the wrong shape (Z Xᵀ, (m, n) with m ≠ n) makes gram raise
    ValueError."""
    n, m, d = dims
    k = KERNELS[kernel]
    X, Z = rng(seed).normal(size=(n, d)), rng(seed + 1).normal(size=(m, d))
    assert_close(ctx.call("gram", k.function(ctx), X, Z), k(X, Z), rtol=1e-12, name=f"gram({kernel}, X, Z)")
    assert_close(ctx.call("gram", k.function(ctx), X), k(X, X), rtol=1e-12, name=f"gram({kernel}, X)")
    outcome = ctx.outcome("gram", ctx.function("lambda X, Z: Z @ X.T"), X, Z)
    expect(outcome.status == "student_error" and outcome.error is not None and outcome.error.type == "ValueError",
           f"gram(k, X, Z) should raise ValueError when k returns a block of the wrong shape (k = Z Xᵀ gives "
           f"({m}, {n}) for X ({n}, {d}) and Z ({m}, {d})); "
           + ("it returned a value" if outcome.status == "ok" else
              f"it raised {outcome.error.one_line() if outcome.error else outcome.status}"))


@exercise.check(points=2, given={"pair": st.tuples(_kernel_names, _kernel_names), "a": st.floats(0, 5),
                                 "b": st.floats(0, 5), "dims": distinct_dims(2, 2, 12), "seed": seeds()},
                max_examples=15)
def sum_and_product(ctx, pair, a, b, dims, seed):
    """k_sum(k1, k2, a, b) is a·k1 + b·k2 and k_prod(k1, k2) the elementwise k1·k2 (1e-12 on
    (n, m) blocks); their Gram matrices are PSD (λ_min ≥ −1e-10‖K‖, ex 4.2–4.3)."""
    k1, k2 = KERNELS[pair[0]], KERNELS[pair[1]]
    n, m = dims
    X, Z = rng(seed).normal(size=(n, 2)), rng(seed + 1).normal(size=(m, 2))
    k_sum = _combinator(ctx, "k_sum", k1.function(ctx), k2.function(ctx), a, b)
    assert_close(k_sum(X, Z), ctx.ref.k_sum(k1, k2, a, b)(X, Z), rtol=1e-12,
                 name=f"k_sum({k1}, {k2}, a={a:g}, b={b:g})(X, Z)")
    assert_psd(k_sum(X, X), name="the Gram matrix of k_sum")
    k_prod = _combinator(ctx, "k_prod", k1.function(ctx), k2.function(ctx))
    assert_close(k_prod(X, Z), ctx.ref.k_prod(k1, k2)(X, Z), rtol=1e-12, name=f"k_prod({k1}, {k2})(X, Z)")
    assert_psd(k_prod(X, X), name="the Gram matrix of k_prod")


@exercise.check(points=1, given={"kernel": _kernel_names, "coefs": st.lists(st.floats(0, 3), min_size=1, max_size=4),
                                 "dims": distinct_dims(2, 2, 12), "seed": seeds()}, max_examples=15)
def polynomial_of_kernel(ctx, kernel, coefs, dims, seed):
    """k_poly(k, coefs) is Σ_j coefs[j]·k^j, coefs in increasing degree and powers elementwise
    (1e-12), and stays PSD (ex 4.4)."""
    k = KERNELS[kernel]
    n, m = dims
    X, Z = rng(seed).normal(size=(n, 2)), rng(seed + 1).normal(size=(m, 2))
    k_poly = _combinator(ctx, "k_poly", k.function(ctx), list(coefs))
    want = ctx.ref.k_poly(k, list(coefs))(X, Z)
    assert_close(k_poly(X, Z), want, rtol=1e-12, atol=1e-12,
                 name=f"k_poly({kernel}, coefs={list(coefs)})(X, Z) (coefs[j] multiplies k^j)")
    assert_psd(k_poly(X, X), name="the Gram matrix of k_poly")


@exercise.check(points=1)
def cosine_kernel_is_psd(ctx):
    """Ex 4.1a: k(x, y) = cos(x − y) is PSD: your gram on 25 points of R¹ is PSD and your is_psd
    says so."""
    X = np.linspace(-4.0, 5.0, 25)[:, None]  # (25, 1)
    K = ctx.call("gram", KERNELS["cos"].function(ctx), X, returns=Array((25, 25)))
    assert_close(K, KERNELS["cos"](X, X), rtol=1e-12, name="gram(cos, X)")
    expect(ctx.call("is_psd", K, returns=Bool()), "is_psd should say True for the Gram matrix of cos(x − y)")


@exercise.check(points=2, given={"kernel": st.sampled_from(["linear", "rbf", "poly2"]),
                                 "case": arrays(X=("n", 3), dims={"n": (3, 12)})}, max_examples=15)
def normalized_kernel(ctx, kernel, case):
    """normalize_kernel(K) = K_ij/√(K_ii K_jj) (ex 4.6): unit diagonal, PSD, equal to the
    reference (1e-12); a point with K_ii = 0 (x = 0, linear kernel) gets a zero row, not NaN."""
    X, n = case.X, case.n
    X[n // 2] = 0.0  # the linear kernel has k(0, 0) = 0
    K = KERNELS[kernel](X, X)
    got = ctx.call("normalize_kernel", K, returns=Array((n, n)))
    assert_close(got, ctx.ref.normalize_kernel(K), rtol=1e-12, name=f"normalize_kernel(K) of the {kernel} kernel")
    assert_close(np.diag(got), (np.diag(K) > 0).astype(float), rtol=1e-12, name="the diagonal of normalize_kernel(K)")
    assert_psd(got, name="normalize_kernel(K)")


@exercise.check(points=2)
def is_psd_on_planted_matrices(ctx):
    """is_psd(K) decides λ_min(½(K + Kᵀ)) ≥ −1e-10·‖K‖₂, the same answer at every scale:
    λ_min = −1e-6‖K‖ is not PSD and −1e-13‖K‖ is (at scales 1e-20, 1, 1e8); the non-symmetric
    [[1, 10], [0, 1]] (eigenvalues 1, 1) is not PSD; the zero matrix is."""
    for scale in (1e-20, 1.0, 1e8):
        for smallest, want in ((-1e-6, False), (-1e-13, True)):
            got = ctx.call("is_psd", _planted(scale, smallest), returns=Bool())
            expect(got is want, f"is_psd(K) should be {want} for a symmetric K with ‖K‖₂ = {5 * scale:g} and "
                                f"λ_min = {smallest:g}·‖K‖₂; got {got} (the tolerance is relative to ‖K‖)")
    got = ctx.call("is_psd", np.array([[1.0, 10.0], [0.0, 1.0]]), returns=Bool())
    expect(got is False, "is_psd([[1, 10], [0, 1]]) should be False: vᵀKv < 0 for v = (1, −1) although both "
                         "eigenvalues of K are 1 (test the symmetric part ½(K + Kᵀ))")
    expect(ctx.call("is_psd", np.zeros((3, 3)), returns=Bool()) is True, "is_psd of the 3×3 zero matrix should be True")


@exercise.check(points=1, depends_on="gram_blocks")
def sigmoid_counterexample(ctx):
    """sigmoid_counterexample(η, ν) returns points X (n, d) whose Gram matrix tanh(ηXXᵀ + ν) has
    λ_min < −1e-6, for (η, ν) ∈ {(1, −1), (1, 0), (0.5, −0.2)} (random points often are one: it
    counts once gram_blocks passes)."""
    for eta, nu in ((1.0, -1.0), (1.0, 0.0), (0.5, -0.2)):
        X = ctx.call("sigmoid_counterexample", eta, nu, returns=Array(ndim=2))
        expect(X.shape[0] >= 2 and X.shape[1] >= 1 and X.shape[0] * X.shape[1] <= 10**4 and np.all(np.isfinite(X)),
               f"sigmoid_counterexample({eta:g}, {nu:g}) should return finite points, one per row (n ≥ 2); "
               f"got shape {X.shape}")
        lam_min, _ = min_eigenvalue(np.tanh(eta * X @ X.T + nu))
        expect(lam_min < -1e-6, f"the Gram matrix tanh(ηXXᵀ + ν) of your points for (η, ν) = ({eta:g}, {nu:g}) has "
                                f"λ_min = {lam_min:.3g}, not below −1e-6: it is not a counterexample")


@exercise.check(points=1, visibility="hidden", given={"seed": seeds(), "n": st.integers(2, 9)}, max_examples=20)
def is_psd_random_spectra(ctx, seed, n):
    """is_psd agrees with the truth on symmetric matrices whose smallest eigenvalue is clearly
    ≥ 0 or clearly < 0 (relative to ‖K‖), and honours tol (1e-3 accepts −1e-4·‖K‖)."""
    g = rng(seed)
    U, _ = np.linalg.qr(g.normal(size=(n, n)))
    spectrum = g.uniform(0.1, 10.0, size=n) * 10.0 ** g.integers(-8, 8)
    top = spectrum.max()
    for smallest, tol, want in ((0.0, 1e-10, True), (-1e-5, 1e-10, False), (-0.3, 1e-10, False),
                                (-1e-4, 1e-3, True), (-1e-2, 1e-3, False)):
        s = spectrum.copy()
        s[0] = smallest * top
        K = U @ np.diag(s) @ U.T
        K = 0.5 * (K + K.T)
        got = ctx.call("is_psd", K, tol=tol, returns=Bool())
        expect(got is want, f"is_psd(K, tol={tol:g}) should be {want} for an {n}×{n} symmetric K with "
                            f"λ_min = {smallest:g}·‖K‖₂ (‖K‖₂ = {top:.3g}); got {got}")
