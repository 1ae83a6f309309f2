"""ch10.frame_shrinkage: the Haar basis, soft thresholding and denoising by frame shrinkage (eqs 10.12–10.13)."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, arrays, assert_close, expect

exercise = Exercise(module="ch10.shrink", functions=("haar_matrix", "soft", "frame_denoise"),
                    forbidden=("sympy",), title="Frame shrinkage")

_SIZES = (1, 2, 4, 8, 16, 32)


def _orthonormal(M: np.ndarray) -> np.ndarray:
    """An orthonormal basis (one vector per column) from a square Gaussian matrix."""
    Q, _ = np.linalg.qr(M)
    return Q


def _objective(y: np.ndarray, Phi: np.ndarray, lam: float, f: np.ndarray) -> np.ndarray:
    """½‖y − f‖² + λ‖Φᵀf‖₁ for one candidate f of shape (N,) or a batch of shape (K, N)."""
    f = np.atleast_2d(f)
    return 0.5 * np.sum((y - f) ** 2, axis=1) + lam * np.sum(np.abs(f @ Phi), axis=1)


# ---- the Haar basis ------------------------------------------------------------------------------

@exercise.check(points=2)
def haar_rows_pinned(ctx):
    """haar_matrix(N) has the pinned rows: the constant 1/√N first, then coarse to fine, each row
    + on the first half of its block and − on the second, scaled to unit norm (N = 1 ... 32)."""
    for N in _SIZES:
        H = ctx.call("haar_matrix", N, returns=Array((N, N)))
        assert_close(H, ctx.ref.haar_matrix(N), rtol=1e-12, name=f"haar_matrix({N})")


@exercise.check(points=1)
def haar_is_orthonormal(ctx):
    """haar_matrix(N) @ haar_matrix(N).T is the identity (1e-12) for N = 1 ... 32."""
    for N in _SIZES:
        H = ctx.call("haar_matrix", N, returns=Array((N, N)))
        assert_close(H @ H.T, np.eye(N), rtol=1e-12, atol=1e-12, name=f"haar_matrix({N}) @ haar_matrix({N}).T")


# ---- soft thresholding ---------------------------------------------------------------------------

@exercise.check(points=2, given={"case": arrays(v="n", dims=(1, 12)), "lam": st.floats(0.0, 2.0)},
                max_examples=30)
def soft_shrinks_towards_zero(ctx, case, lam):
    """soft(v, λ) is sign(v)·max(|v| − λ, 0): small entries become 0, the others move by λ (not
    kept as they are, as a hard threshold would, nor moved by λ/2)."""
    got = ctx.call("soft", case.v, lam, returns=Array(case.v.shape))
    assert_close(got, ctx.ref.soft(case.v, lam), rtol=1e-12, atol=1e-15, name=f"soft(v, {lam!r})")


# ---- denoising -----------------------------------------------------------------------------------

@exercise.check(points=2, given={"case": arrays(y="n", M=("n", "n"), dims=(1, 12)), "lam": st.floats(0.0, 1.5)},
                max_examples=25)
def frame_denoise_matches(ctx, case, lam):
    """frame_denoise(y, Φ, λ) is Φ·soft(Φᵀy, λ) for a random orthonormal Φ (columns are the basis)."""
    Phi = _orthonormal(case.M)
    got = ctx.call("frame_denoise", case.y, Phi, lam, returns=Array(case.y.shape))
    assert_close(got, ctx.ref.frame_denoise(case.y, Phi, lam), rtol=1e-10, atol=1e-12,
                 name=f"frame_denoise(y, Phi, {lam!r})")


@exercise.check(points=2, given={"case": arrays(y="n", M=("n", "n"), dims=(2, 12)), "lam": st.floats(0.05, 1.0)},
                max_examples=25)
def frame_denoise_is_optimal(ctx, case, lam):
    """frame_denoise's answer f̂ satisfies the subgradient optimality of ½‖y − f‖² + λ‖Φᵀf‖₁:
    Φᵀ(y − f̂) = λ·sign(Φᵀf̂) on the non-zero coefficients and |Φᵀ(y − f̂)| ≤ λ on the zero ones (1e-10)."""
    Phi = _orthonormal(case.M)
    f = ctx.call("frame_denoise", case.y, Phi, lam, returns=Array(case.y.shape))
    expect(np.isfinite(f).all(), "frame_denoise returned non-finite values")
    coefficients, residual = Phi.T @ f, Phi.T @ (case.y - f)
    active = np.abs(coefficients) > 1e-10
    expect(np.all(np.abs(residual[active] - lam * np.sign(coefficients[active])) <= 1e-10),
           f"on the non-zero coefficients of Φᵀf̂, Φᵀ(y − f̂) should equal λ·sign(Φᵀf̂) (λ = {lam!r}); "
           f"got {residual[active]} for coefficients {coefficients[active]}")
    expect(np.all(np.abs(residual[~active]) <= lam + 1e-10),
           f"on the zero coefficients of Φᵀf̂, |Φᵀ(y − f̂)| should be at most λ = {lam!r}; got {residual[~active]}")


@exercise.check(points=1, given={"case": arrays(y="n", M=("n", "n"), dims=(2, 12))}, max_examples=20)
def frame_denoise_extremes(ctx, case):
    """frame_denoise with λ = 0 gives y back; with λ ≥ ‖Φᵀy‖∞ it gives 0."""
    Phi = _orthonormal(case.M)
    big = float(np.max(np.abs(Phi.T @ case.y))) * 1.01
    kept, killed = ctx.map("frame_denoise", [(case.y, Phi, 0.0), (case.y, Phi, big)], returns=Array(case.y.shape))
    assert_close(kept, case.y, rtol=1e-12, atol=1e-12, name="frame_denoise(y, Phi, 0)")
    assert_close(killed, np.zeros_like(case.y), rtol=0, atol=1e-12, name="frame_denoise(y, Phi, λ ≥ ‖Φᵀy‖∞)")


@exercise.check(points=2, visibility="hidden", given={"case": arrays(y="n", M=("n", "n"), dims=(2, 10)),
                                                      "lam": st.floats(0.05, 1.0)}, max_examples=10)
def frame_denoise_beats_perturbations(ctx, case, lam):
    """frame_denoise's answer has an objective no larger than 1000 random perturbations of it."""
    Phi = _orthonormal(case.M)
    f = ctx.call("frame_denoise", case.y, Phi, lam, returns=Array(case.y.shape))
    expect(np.isfinite(f).all(), "frame_denoise returned non-finite values")
    g = np.random.default_rng(10)
    others = f + g.normal(size=(1000, f.size)) * g.choice([1e-4, 1e-2, 1.0], size=(1000, 1))
    best = _objective(case.y, Phi, lam, f)[0]
    worst_gap = float(np.min(_objective(case.y, Phi, lam, others)) - best)
    expect(worst_gap >= -1e-12, f"a perturbation of frame_denoise's answer lowers the objective by {-worst_gap:.3g}")


@exercise.check(points=2, visibility="hidden")
def haar_shrinkage_denoises(ctx):
    """On a piecewise-constant signal plus noise, Haar shrinkage at λ = σ√(2 ln N) cuts the MSE by at least half."""
    N, sigma = 256, 0.3
    g = np.random.default_rng(1010)
    signal = np.repeat(g.normal(scale=2.0, size=8), N // 8)
    noisy = [signal + sigma * g.normal(size=N) for _ in range(5)]
    Phi = ctx.ref.haar_matrix(N).T
    lam = sigma * np.sqrt(2 * np.log(N))
    got = ctx.map("frame_denoise", [(y, Phi, lam) for y in noisy], returns=Array((N,)))
    for y, f in zip(noisy, got):
        before, after = np.mean((y - signal) ** 2), np.mean((f - signal) ** 2)
        expect(after <= 0.5 * before,
               f"Haar shrinkage should halve the MSE at least: {before:.4g} before, {after:.4g} after")
