"""ch01.frames — frame bounds (eq 1.14), the canonical dual frame, analysis and synthesis."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Bool, Exercise, Float, Tuple, arrays, assert_close, expect, rng, seeds
from graders.authoring.checks.edges import SCALES, as_columns

exercise = Exercise(module="ch01.frames", title="Frames, frame bounds and the canonical dual",
                    functions=("frame_bounds", "canonical_dual", "analyze", "synthesize", "is_tight"))

#: A redundant frame of Rⁿ: n in [2, 5] and K = n + extra columns (n = 4, K = 7 is the CURRICULUM's case).
_frames = st.tuples(st.integers(2, 5), st.integers(1, 4), seeds())
#: What frame_bounds returns.
_BOUNDS = Tuple(Float(label="alpha"), Float(label="beta"))

_MERCEDES = np.stack([np.cos(2 * np.pi * np.arange(3) / 3 + np.pi / 2),
                      np.sin(2 * np.pi * np.arange(3) / 3 + np.pi / 2)])     # (2, 3) unit vectors at 120°
_BOOK = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])                        # {[1,0], [0,1], [1,1]}


def _dual(ctx, Phi) -> np.ndarray:
    return ctx.call("canonical_dual", Phi, returns=Array(Phi.shape))


def _tight(ctx, Phi, *tol) -> bool:
    return ctx.call("is_tight", Phi, *tol, returns=Bool())


@exercise.check(points=2, given={"case": _frames}, max_examples=15)
def perfect_reconstruction(ctx, case):
    """For a random redundant frame Φ (n × K, K > n; n = 4, K = 7 first): c = analyze(Φ, f) = Φᵀf,
    Φ̃ = canonical_dual(Φ) satisfies Φ̃Φᵀ = I, and synthesize(Φ̃, c) = f (relative 1e-10)."""
    n, extra, seed = case
    g = rng(seed)
    for Phi in (rng(47).normal(size=(4, 7)), g.normal(size=(n, n + extra))):
        f = g.normal(size=Phi.shape[0])
        c = ctx.call("analyze", Phi, f, returns=Array((Phi.shape[1],)))
        assert_close(c, ctx.ref.analyze(Phi, f), rtol=1e-12, name="analyze(Phi, f) = Φᵀf")
        dual = _dual(ctx, Phi)
        assert_close(dual @ Phi.T, np.eye(Phi.shape[0]), rtol=1e-10,
                     name="canonical_dual(Phi) @ Phi.T (should be the identity)")
        rec = ctx.call("synthesize", dual, c, returns=Array(f.shape))
        assert_close(rec, f, rtol=1e-10, name=f"synthesize(canonical_dual(Phi), analyze(Phi, f)) for Phi {Phi.shape}")


@exercise.check(points=2, given={"case": _frames}, max_examples=15)
def frame_bounds_are_extreme_eigenvalues(ctx, case):
    """(α, β) are the smallest and largest eigenvalues of the n × n frame operator ΦΦᵀ (relative
    1e-10), so α‖f‖² ≤ ‖Φᵀf‖² ≤ β‖f‖² holds for 1000 random f."""
    n, extra, seed = case
    g = rng(seed)
    Phi = g.normal(size=(n, n + extra))
    alpha, beta = ctx.call("frame_bounds", Phi, returns=_BOUNDS)
    assert_close(np.array([alpha, beta]), np.array(ctx.ref.frame_bounds(Phi)), rtol=1e-10,
                 name=f"(alpha, beta) for Phi of shape {Phi.shape} (eigenvalues of ΦΦᵀ)")
    F = g.normal(size=(n, 1000))
    energy, norms = np.sum((Phi.T @ F) ** 2, axis=0), np.sum(F**2, axis=0)
    slack = 1e-10 * beta * norms
    bad = np.flatnonzero((energy < alpha * norms - slack) | (energy > beta * norms + slack))
    expect(bad.size == 0, f"the frame inequality α‖f‖² ≤ ‖Φᵀf‖² ≤ β‖f‖² fails for {bad.size} of 1000 random f "
                          f"with your α = {alpha:.6g}, β = {beta:.6g}")


@exercise.check(points=1)
def mercedes_benz_frame_is_tight(ctx):
    """The Mercedes-Benz frame (three unit vectors at 120°) is tight: α = β = 3/2, is_tight is True,
    and its canonical dual is Φ/α = 2Φ/3."""
    alpha, beta = ctx.call("frame_bounds", _MERCEDES, returns=_BOUNDS)
    assert_close(np.array([alpha, beta]), np.array([1.5, 1.5]), rtol=1e-12,
                 name="(alpha, beta) of the Mercedes-Benz frame")
    expect(_tight(ctx, _MERCEDES), "is_tight(Phi) should be True for the Mercedes-Benz frame (α = β = 3/2)")
    assert_close(_dual(ctx, _MERCEDES), 2 * _MERCEDES / 3, rtol=1e-12, name="canonical_dual of the Mercedes-Benz frame")


@exercise.check(points=1)
def book_example_reconstructs(ctx):
    """The book's frame {[1,0], [0,1], [1,1]}: coefficients Φᵀx = [2, 3, 5] of x = [2, 3], dual
    frame [[2, −1, 1], [−1, 2, 1]]/3 that reconstructs x, bounds α = 1, β = 3, not tight."""
    x = np.array([2.0, 3.0])
    c = ctx.call("analyze", _BOOK, x, returns=Array((3,)))
    assert_close(c, np.array([2.0, 3.0, 5.0]), rtol=1e-12, name="analyze(Phi, [2, 3])")
    dual = _dual(ctx, _BOOK)
    assert_close(dual, np.array([[2.0, -1.0, 1.0], [-1.0, 2.0, 1.0]]) / 3, rtol=1e-12, name="canonical_dual(Phi)")
    rec = ctx.call("synthesize", dual, c, returns=Array((2,)))
    assert_close(rec, x, rtol=1e-12, name="synthesize(canonical_dual(Phi), c), the reconstruction of x = [2, 3]")
    alpha, beta = ctx.call("frame_bounds", _BOOK, returns=_BOUNDS)
    assert_close(np.array([alpha, beta]), np.array([1.0, 3.0]), rtol=1e-12, name="(alpha, beta)")
    expect(not _tight(ctx, _BOOK), "is_tight(Phi) should be False for {[1,0], [0,1], [1,1]} (α = 1 ≠ β = 3)")


@exercise.check(points=1, given={"case": _frames, "N": st.integers(2, 4)}, max_examples=8)
def batched_signals_as_columns(ctx, case, N):
    """analyze(Φ, F) takes N signals as the columns of F (n, N) and gives C (K, N); synthesize(Φ_d, C)
    takes coefficients as the columns of C (K, N) and gives (n, N) (relative 1e-12)."""
    n, extra, seed = case
    g = rng(seed)
    Phi = g.normal(size=(n, n + extra))                                 # (n, K)
    N = n + extra + N                                                   # N > K > n: a transpose cannot pass
    F = as_columns(*(g.normal(size=n) for _ in range(N)))               # (n, N): columns are signals
    C = ctx.call("analyze", Phi, F, returns=Array((Phi.shape[1], F.shape[1]),
                                                 label=f"analyze(Phi, F) for F of shape {F.shape} (n, N)"))
    assert_close(C, ctx.ref.analyze(Phi, F), rtol=1e-12, name=f"analyze(Phi, F) for a batch F of shape {F.shape}")
    Phi_d, coefficients = g.normal(size=Phi.shape), g.normal(size=(Phi.shape[1], N))          # (n, K), (K, N)
    got = ctx.call("synthesize", Phi_d, coefficients,
                   returns=Array((n, N), label=f"synthesize(Phi_d, C) for C of shape {coefficients.shape} (K, N)"))
    assert_close(got, ctx.ref.synthesize(Phi_d, coefficients), rtol=1e-12,
                 name=f"synthesize(Phi_d, C) for a batch C of shape {coefficients.shape}")


@exercise.check(points=1, max_examples=8,
                given={"case": arrays(M1=("n", "n"), M2=("n", "n"), R=("n", "K"), dims={"n": (2, 5), "K": (5, 8)})})
def is_tight_tolerance_is_relative(ctx, case):
    """is_tight's tol is relative (tight means β − α ≤ tol·β), so scaling Φ changes nothing: with Φ
    multiplied by 1e-6, 1 and 1e6, a random frame is not tight at the default tol = 1e-10, and two
    stacked orthonormal bases perturbed by 1e-9 are tight at tol = 1e-6."""
    tight = np.hstack([np.linalg.qr(case.M1)[0], np.linalg.qr(case.M2)[0]])   # (n, 2n), ΦΦᵀ = 2I
    tight = tight + 1e-9 * case.rng.normal(size=tight.shape)
    for scale in SCALES:
        for what, Phi, tol in (("a random frame", scale * case.R, 1e-10), ("a near-tight frame", scale * tight, 1e-6)):
            want = ctx.ref.is_tight(Phi, tol)
            expect(_tight(ctx, Phi, tol) == want,
                   f"is_tight(Phi, {tol:g}) should be {want} for {what} of shape {Phi.shape} scaled by {scale:g} "
                   f"(tight means β − α ≤ tol·β)")


@exercise.check(points=1, visibility="hidden", given={"case": arrays(M=("n", "n"), dims={"n": (2, 6)})}, max_examples=8)
def orthonormal_basis(ctx, case):
    """An orthonormal basis is a tight frame with α = β = 1, and it is its own canonical dual."""
    Q, _ = np.linalg.qr(case.M)
    alpha, beta = ctx.call("frame_bounds", Q, returns=_BOUNDS)
    assert_close(np.array([alpha, beta]), np.ones(2), rtol=1e-10, name="(alpha, beta) of an orthonormal basis")
    assert_close(_dual(ctx, Q), Q, rtol=1e-10, name="canonical_dual of an orthonormal basis")
    expect(_tight(ctx, Q), "is_tight(Q) should be True for an orthonormal basis Q")


@exercise.check(points=1, given={"case": _frames}, max_examples=8)
def rank_deficient_is_not_a_frame(ctx, case):
    """Columns that span only a subspace: α ≈ 0 (≤ 1e-10·β) with β the largest eigenvalue of ΦΦᵀ
    (relative 1e-10), canonical_dual raises ValueError, and is_tight is False."""
    n, extra, seed = case
    g = rng(seed)
    Phi = g.normal(size=(n, n - 1)) @ g.normal(size=(n - 1, n + extra))     # rank n − 1
    alpha, beta = ctx.call("frame_bounds", Phi, returns=_BOUNDS)
    assert_close(beta, ctx.ref.frame_bounds(Phi)[1], rtol=1e-10,
                 name=f"beta of frame_bounds for a rank-deficient Phi ({Phi.shape}, rank {n - 1})")
    expect(abs(alpha) <= 1e-10 * beta, f"frame_bounds of a rank-deficient Phi ({Phi.shape}, rank {n - 1}) should "
                                       f"give α ≈ 0; got α = {alpha:.6g} (β = {beta:.6g})")
    outcome = ctx.outcome("canonical_dual", Phi)
    expect(outcome.status == "student_error" and outcome.error.type == "ValueError",
           f"canonical_dual(Phi) should raise ValueError for a rank-deficient Phi ({Phi.shape}, rank {n - 1}); "
           + ("it returned a value" if outcome.status == "ok" else f"it raised {outcome.error.one_line()}"))
    expect(not _tight(ctx, Phi), "is_tight(Phi) should be False when the columns do not span Rⁿ")


@exercise.check(points=1, visibility="hidden", given={"case": arrays(M1=("n", "n"), M2=("n", "n"), dims={"n": (2, 5)})},
                max_examples=8)
def tightness_and_tolerance(ctx, case):
    """Two stacked orthonormal bases form a tight frame (α = β = 2); a random frame is not tight;
    a tight frame perturbed by 1e-6 is tight at tol = 1e-3 and not at tol = 1e-10."""
    n, g = case.n, case.rng
    Phi = np.hstack([np.linalg.qr(case.M1)[0], np.linalg.qr(case.M2)[0]])  # (n, 2n), ΦΦᵀ = 2I
    expect(_tight(ctx, Phi), f"is_tight should be True for two stacked orthonormal bases of R^{n} (ΦΦᵀ = 2I)")
    assert_close(_dual(ctx, Phi), Phi / 2, rtol=1e-10, name="canonical_dual of a tight frame with α = 2 (Φ/2)")
    expect(not _tight(ctx, g.normal(size=(n, 2 * n))), "is_tight should be False for a random frame")
    near = Phi + 1e-6 * g.normal(size=Phi.shape)
    expect(_tight(ctx, near, 1e-3), "is_tight(Phi, 1e-3) should be True for a tight frame perturbed by 1e-6")
    expect(not _tight(ctx, near, 1e-10), "is_tight(Phi, 1e-10) should be False for a tight frame perturbed by 1e-6")
