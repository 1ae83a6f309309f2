"""ch05.v1_gabor — Gabor filters as V1 simple and complex cells, and their orientation tuning."""
from __future__ import annotations

import math

import numpy as np

from graders.authoring import Array, Exercise, Float, assert_close, expect

exercise = Exercise(module="ch05.v1",
                    functions=("gabor", "grating", "simple_cell", "complex_cell", "tuning_curve"),
                    forbidden=("torch", "scipy", "sympy"), title="V1 simple and complex cells as Gabor filters")

#: gabor's positional arguments (size, theta, wavelength, sigma, gamma, psi): orientations that tell
#: θ from −θ and from π/2 − θ (a row/column swap), sizes and shapes changed in turn.
_GABORS = [
    (15, math.pi / 3, 6.0, 3.0, 0.5, 0.0), (21, 1.0, 8.0, 4.0, 0.5, 0.0), (11, 2.5, 5.0, 2.0, 1.0, 0.7),
    (9, 0.2, 4.0, 1.5, 0.3, math.pi / 2), (1, 0.4, 3.0, 1.0, 0.5, 0.3),
]
#: grating's arguments (size, theta, wavelength, phase).
_GRATINGS = [(15, math.pi / 3, 6.0, 0.0), (21, 1.0, 8.0, 1.2), (9, 2.5, 3.5, -0.4)]

#: The cell of CURRICULUM §5: preferred orientation π/3, λ = 8 px, σ = 4 px, on 31 × 31 gratings.
_SIZE, _PREFERRED, _WAVELENGTH, _SIGMA = 31, math.pi / 3, 8.0, 4.0
_THETAS = np.arange(36) * math.pi / 36  # 36 orientations, 5° apart; π/3 is the 12th


# ---- the filters and the stimuli -------------------------------------------------------------------

@exercise.check(points=3)
def gabor_matches_reference(ctx):
    """gabor(size, theta, wavelength, sigma, gamma, psi) is exp(−(x′² + γ²y′²)/2σ²) cos(2πx′/λ + ψ)
    with x′ = x cos θ + y sin θ, y′ = −x sin θ + y cos θ, x = column − c and y = row − c: five
    filters with every parameter changed (relative 1e-12 of the filter's largest value)."""
    got = ctx.map("gabor", _GABORS, returns=Array(ndim=2))
    for args, g in zip(_GABORS, got):
        assert_close(g, ctx.ref.gabor(*args), rtol=1e-12, name=f"gabor{args}")


@exercise.check(points=1)
def grating_matches_reference(ctx):
    """grating(size, theta, wavelength, phase) is cos(2πx′/λ + phase), with gabor's x′
    (relative 1e-12)."""
    got = ctx.map("grating", _GRATINGS, returns=Array(ndim=2))
    for args, img in zip(_GRATINGS, got):
        assert_close(img, ctx.ref.grating(*args), rtol=1e-12, name=f"grating{args}")


@exercise.check(points=1, visibility="hidden", depends_on="gabor_matches_reference")
def gabor_has_period_pi_at_zero_phase(ctx):
    """At ψ = 0, gabor(θ + π) = gabor(θ) (relative 1e-12)."""
    pairs = [(21, theta, 7.0, 3.0, 0.5, 0.0) for theta in (0.3, 0.3 + math.pi)]
    first, second = ctx.map("gabor", pairs, returns=Array((21, 21)))
    assert_close(second, first, rtol=1e-12, name="gabor(21, 0.3 + π, 7, 3) vs gabor(21, 0.3, 7, 3)")


@exercise.check(points=1, visibility="hidden", depends_on="gabor_matches_reference")
def quadrature_pair_is_orthogonal(ctx):
    """The filters at ψ = 0 and ψ = π/2 are orthogonal: ⟨g₀, g_{π/2}⟩ ≈ 0 (1e-6 of ‖g₀‖‖g_{π/2}‖)."""
    even, odd = ctx.map("gabor", [(25, 1.1, 7.0, 3.5, 0.5, psi) for psi in (0.0, math.pi / 2)], returns=Array((25, 25)))
    scale = float(np.linalg.norm(even) * np.linalg.norm(odd))
    expect(scale > 0, "gabor at ψ = 0 and π/2 should not be zero")
    cosine = abs(float(np.sum(even * odd))) / scale
    expect(cosine <= 1e-6, f"⟨g₀, g_π/2⟩ / (‖g₀‖‖g_π/2‖) = {cosine:.3g}; should be ≤ 1e-6")


# ---- the cells ---------------------------------------------------------------------------------------

def _images(seed: int) -> list[np.ndarray]:
    """Test images: two gratings (the preferred and a rotated one) and two of N(0, 1) noise, 15 × 15."""
    rng = np.random.default_rng(seed)
    return [np.cos(np.arange(15)[None, :] * 0.9 + np.arange(15)[:, None] * 0.5), rng.normal(size=(15, 15)),
            rng.normal(size=(15, 15)), np.cos(np.arange(15)[:, None] * 1.1 - np.arange(15)[None, :] * 0.3)]


_FILTER = {"wavelength": 6.0, "sigma": 3.0, "gamma": 0.5}


@exercise.check(points=2)
def simple_cell_matches_reference(ctx):
    """simple_cell(img, theta, wavelength, sigma, gamma, psi) is ReLU(⟨g, img⟩) with g the Gabor
    filter of the image's size (four 15 × 15 images, orientations π/3 and 2.2, ψ = 0 and 0.4;
    relative 1e-10)."""
    cases = [(img, theta, *_FILTER.values(), psi) for img in _images(5) for theta in (math.pi / 3, 2.2)
             for psi in (0.0, 0.4)]
    got = ctx.map("simple_cell", cases, returns=Float())
    want = np.array([ctx.ref.simple_cell(*case) for case in cases])
    assert_close(np.array(got), want, rtol=1e-10, name="simple_cell on the test images")


@exercise.check(points=2)
def complex_cell_matches_reference(ctx):
    """complex_cell(img, theta, wavelength, sigma, gamma) is the energy ⟨g₀, img⟩² + ⟨g_{π/2}, img⟩²
    of a quadrature pair (the sum of squares, not of the responses; relative 1e-10)."""
    cases = [(img, theta, *_FILTER.values()) for img in _images(6) for theta in (math.pi / 3, 2.2)]
    got = ctx.map("complex_cell", cases, returns=Float())
    assert_close(np.array(got), np.array([ctx.ref.complex_cell(*case) for case in cases]), rtol=1e-10,
                 name="complex_cell on the test images")


@exercise.check(points=2)
def complex_cell_prefers_pi_over_3(ctx):
    """Over 36 orientations (5° apart) of a 31 × 31 grating (λ = 8), complex_cell(img, π/3, 8, 4)
    responds most at θ = π/3 exactly, and at least 100 times less at the orthogonal θ = 5π/6
    (a rotation of the wrong sign prefers −π/3 ≡ 2π/3; a row/column swap prefers π/6)."""
    images = [ctx.ref.grating(_SIZE, theta, _WAVELENGTH, 0.0) for theta in _THETAS]
    cases = [(img, _PREFERRED, _WAVELENGTH, _SIGMA) for img in images]
    curve = np.array(ctx.map("complex_cell", cases, returns=Float()))
    expect(bool(np.all(np.isfinite(curve))), "complex_cell's responses should be finite")
    best = int(np.argmax(curve))
    expect(best == 12, f"complex_cell(grating(θ), π/3, 8, 4) peaks at θ = {best * 5}°; should be at 60° (π/3)")
    expect(curve[12] > 100 * abs(curve[30]), f"the response at π/3 ({curve[12]:.4g}) should be over 100 times "
                                             f"the response at 5π/6 ({curve[30]:.4g})")


@exercise.check(points=2, depends_on="complex_cell_prefers_pi_over_3")
def complex_cell_ignores_phase_simple_cell_does_not(ctx):
    """Shifting the phase of the preferred grating (8 phases over 2π) changes complex_cell's
    response by less than 2 %, while simple_cell's response goes from its maximum to 0 (the linear
    response changes sign); counts once complex_cell_prefers_pi_over_3 passes."""
    phases = np.arange(8) * math.pi / 4
    images = [ctx.ref.grating(_SIZE, _PREFERRED, _WAVELENGTH, phase) for phase in phases]
    energy = np.array(ctx.map("complex_cell", [(img, _PREFERRED, _WAVELENGTH, _SIGMA) for img in images],
                              returns=Float()))
    simple = np.array(ctx.map("simple_cell", [(img, _PREFERRED, _WAVELENGTH, _SIGMA) for img in images],
                              returns=Float()))
    spread = float(np.ptp(energy) / np.max(np.abs(energy))) if np.any(energy) else math.inf
    expect(spread < 0.02, f"complex_cell's response varies by {100 * spread:.3g} % over the grating's phase; "
                          f"should be < 2 %")
    expect(bool(simple.max() > 0 and simple.min() <= 1e-9 * simple.max()),
           f"simple_cell should respond at some phases and be 0 at others; got {np.round(simple, 4)}")


@exercise.check(points=1, visibility="hidden", depends_on="complex_cell_prefers_pi_over_3")
def bandwidth_narrows_as_sigma_grows(ctx):
    """The orientation tuning narrows as σ grows: the response 10° off the preferred orientation,
    relative to the preferred one, decreases over σ ∈ {2, 4, 8}."""
    images = [ctx.ref.grating(_SIZE, theta, _WAVELENGTH, 0.0) for theta in (_PREFERRED, _PREFERRED + math.pi / 18)]
    ratios = []
    for sigma in (2.0, 4.0, 8.0):
        on, off = ctx.map("complex_cell", [(img, _PREFERRED, _WAVELENGTH, sigma) for img in images], returns=Float())
        ratios.append(off / on if on > 0 else math.inf)
    expect(ratios[0] > ratios[1] > ratios[2], f"the relative response 10° off the preference is {np.round(ratios, 4)} "
                                              f"for σ = 2, 4, 8; it should decrease")


# ---- the tuning curve ----------------------------------------------------------------------------

_PROBE = "lambda img: float(img[3, 6] - 0.5 * img[5, 1] + np.sum(img[:, 0]) / 7)"


@exercise.check(points=2)
def tuning_curve_applies_cell_to_gratings(ctx):
    """tuning_curve(cell, thetas, size=, wavelength=, phase=) returns cell(grating(size, θ, λ, phase))
    for each θ of thetas (a probe cell reading a few pixels; 9 orientations, with and without a
    phase; relative 1e-10)."""
    thetas = np.linspace(0.0, math.pi, 9)
    for size, wavelength, phase in ((7, 5.0, 0.0), (9, 3.0, 0.8)):
        got = ctx.call("tuning_curve", ctx.function(_PROBE), thetas, size=size, wavelength=wavelength, phase=phase,
                       returns=Array(thetas.shape))
        images = [ctx.ref.grating(size, theta, wavelength, phase) for theta in thetas]
        want = np.array([img[3, 6] - 0.5 * img[5, 1] + np.sum(img[:, 0]) / 7 for img in images])
        assert_close(got, want, rtol=1e-10, name=f"tuning_curve(probe, thetas, size={size}, "
                                                 f"wavelength={wavelength:g}, phase={phase:g})")
