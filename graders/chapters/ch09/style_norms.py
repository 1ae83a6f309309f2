"""ch09.style_norms: AdaIN and the whitening-colouring transform (eqs 9.17, 9.21–9.23)."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, arrays, assert_close

exercise = Exercise(module="ch09.style", functions=("adain", "wct"),
                    forbidden=("torch", "scipy", "sympy"), title="Style normalizations: AdaIN and WCT")

# content has more pixels than channels (a non-singular covariance); the style may have fewer
_ADAIN_CASE = arrays(X=("n", "c"), S=("m", "c"), dims={"n": (2, 12), "m": (2, 12), "c": (1, 6)})
_WCT_CASE = arrays(X=("n", "c"), S=("m", "c"), dims={"n": (8, 14), "m": (7, 14), "c": (1, 5)})


def _spread(case):
    """The drawn content and style, with different scales and offsets per channel."""
    scale = np.exp(case.rng.normal(size=(2, case.X.shape[1])))
    shift = case.rng.normal(scale=3.0, size=(2, case.X.shape[1]))
    return case.X * scale[0] + shift[0], case.S * scale[1] + shift[1]


def _rotation(c: int, seed: int) -> np.ndarray:
    """A random orthogonal C×C matrix (QR of a Gaussian matrix, signs fixed)."""
    q, r = np.linalg.qr(np.random.default_rng(seed).normal(size=(c, c)))
    return q * np.sign(np.diag(r))


def _decorrelated(rng: np.random.Generator, n: int, c: int) -> np.ndarray:
    """n×c features whose channels are exactly uncorrelated (orthogonal centred columns), with
    different scales and means per channel."""
    centred = rng.normal(size=(n, c))
    q, _ = np.linalg.qr(centred - centred.mean(axis=0))
    q = q - q.mean(axis=0)  # already centred up to rounding
    return q * np.exp(rng.normal(size=c)) * np.sqrt(n) + rng.normal(scale=2.0, size=c)


# ---- AdaIN (eq 9.17) -----------------------------------------------------------------------------

@exercise.check(points=3, given={"case": _ADAIN_CASE, "eps": st.sampled_from([0.0, 1e-5, 0.1])}, max_examples=20)
def adain_matches_reference(ctx, case, eps):
    """adain(X, S, eps) normalizes each channel of X with its mean and biased variance (ε inside
    the root) and gives it the style's mean and biased standard deviation (1e-10)."""
    X, S = _spread(case)
    got = ctx.call("adain", X, S, eps=eps, returns=Array(X.shape))
    assert_close(got, ctx.ref.adain(X, S, eps=eps), rtol=1e-10, name=f"adain(X {X.shape}, S {S.shape}, eps={eps})")


@exercise.check(points=2, given={"case": _ADAIN_CASE}, max_examples=15)
def adain_output_has_style_moments(ctx, case):
    """With eps = 0, every channel of adain(X, S) has the style's mean and (biased) standard
    deviation (1e-8)."""
    X, S = _spread(case)
    got = ctx.call("adain", X, S, eps=0.0, returns=Array(X.shape))
    assert_close(got.mean(axis=0), S.mean(axis=0), rtol=1e-8, atol=1e-8, name="channel means of adain(X, S)")
    assert_close(got.std(axis=0), S.std(axis=0), rtol=1e-8, atol=1e-8,
                 name="channel standard deviations (biased) of adain(X, S)")


#: Book ex 9.3: the content is ex 9.2's 4×3 feature matrix (pixels × channels; its rows 1–3 are
#: reconstructed, and row 0 of its instance norm is the book's), the style a 4×3 matrix of −1, 0, 1.
#: AdaIN's row 0 depends on the style only through its channels' means and deviations: the only
#: columns of four integers in [−6, 6] that give the book's row are the multisets {−1, −1, 0, 1},
#: {−1, 0, 1, 1} and {0, 1, 1, 1}, whatever their order (a search over all 13⁴ columns).
EX_9_3_X = np.array([[1.0, 2.0, 3.0], [5.0, 0.0, 1.0], [0.0, -3.0, -5.0], [-1.0, -2.0, 0.0]])
EX_9_3_S = np.array([[-1.0, -1.0, 0.0], [-1.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 1.0, 1.0]])
EX_9_3_ROW0 = np.array([-0.341012, 1.437416, 1.227460])


@exercise.check(points=1)
def book_ex_9_3(ctx):
    """Book ex 9.3: adain(X, S, eps=0) with ex 9.2's content X (4 pixels × 3 channels) and the
    exercise's style S has the book's first row [−.341012, 1.437416, 1.227460] (to its 6 decimals)."""
    got = ctx.call("adain", EX_9_3_X, EX_9_3_S, eps=0.0, returns=Array((4, 3)))
    assert_close(got[0], EX_9_3_ROW0, rtol=0, atol=5e-7, name="row 0 of adain(X, S, eps=0) of book ex 9.3")


# ---- WCT (eqs 9.21–9.23) -------------------------------------------------------------------------

@exercise.check(points=3, given={"case": _WCT_CASE}, max_examples=20)
def wct_matches_reference(ctx, case):
    """wct(X, S) = X_c Σ_x^{−½} Σ_s^{½} + 1μ_sᵀ with centred, biased covariances and symmetric
    (eigendecomposition) square roots (1e-8)."""
    X, S = _spread(case)
    got = ctx.call("wct", X, S, returns=Array(X.shape))
    assert_close(got, ctx.ref.wct(X, S), rtol=1e-8, name=f"wct(X {X.shape}, S {S.shape})")


@exercise.check(points=2, given={"case": _WCT_CASE}, max_examples=15)
def wct_output_has_style_mean_and_covariance(ctx, case):
    """With eps = 1e-12, wct(X, S) has the style's mean and biased covariance Σ_s (1e-8)."""
    X, S = _spread(case)
    got = ctx.call("wct", X, S, eps=1e-12, returns=Array(X.shape))
    assert_close(got.mean(axis=0), S.mean(axis=0), rtol=1e-8, atol=1e-8, name="mean of wct(X, S)")
    assert_close(np.cov(got.T, bias=True), np.cov(S.T, bias=True), rtol=1e-8, atol=1e-10,
                 name="biased covariance of wct(X, S)")


@exercise.check(points=2, given={"case": _WCT_CASE}, max_examples=15,
                depends_on="wct_output_has_style_mean_and_covariance")
def wct_is_rotation_equivariant(ctx, case):
    """wct(XR, SR) = wct(X, S) R for an orthogonal R, which needs symmetric square roots (a
    Cholesky factor fails); counts once wct_output_has_style_mean_and_covariance passes (returning
    X is equivariant too)."""
    X, S = _spread(case)
    R = _rotation(X.shape[1], case.seed)
    plain, rotated = ctx.map("wct", [(X, S), (X @ R, S @ R)], returns=Array(X.shape))
    assert_close(rotated, plain @ R, rtol=1e-8, name="wct(XR, SR) against wct(X, S) R")


@exercise.check(points=2, visibility="hidden", given={"seed": st.integers(0, 2**16), "n": st.integers(6, 12),
                                                      "m": st.integers(4, 12), "c": st.integers(1, 4)},
                max_examples=10)
def wct_equals_adain_for_uncorrelated_channels(ctx, seed, n, m, c):
    """When the channels of X and of S are uncorrelated, wct(X, S) equals adain(X, S) (ex 9.1)."""
    rng = np.random.default_rng(seed)
    X, S = _decorrelated(rng, n, c), _decorrelated(rng, m, c)
    got = ctx.call("wct", X, S, eps=1e-12, returns=Array(X.shape))
    assert_close(got, ctx.ref.adain(X, S, eps=0.0), rtol=1e-8, name="wct(X, S) for uncorrelated channels")


@exercise.check(points=2, visibility="hidden",
                given={"case": arrays(X=("n", "c"), S=("m", "c"), dims={"n": (8, 14), "m": (2, 4), "c": (5, 7)})},
                max_examples=10)
def wct_with_a_low_rank_style(ctx, case):
    """With fewer style pixels than channels (a singular Σ_s), wct still matches eqs 9.21–9.23
    (1e-6: the square root of an eigenvalue that is zero up to rounding, ~1e-16, is ~1e-8)."""
    X, S = _spread(case)
    got = ctx.call("wct", X, S, eps=1e-6, returns=Array(X.shape))
    assert_close(got, ctx.ref.wct(X, S, eps=1e-6), rtol=1e-6, name=f"wct(X {X.shape}, S {S.shape}, eps=1e-6)")
