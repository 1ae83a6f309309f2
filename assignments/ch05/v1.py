# ch05/v1.py: generated from geodl_ref by `geodl build`. Fill in the code marked YOUR CODE HERE.
"""Simple and complex cells of the primary visual cortex (chapter 5) as Gabor filters; numpy only.

An image is a square array ``img[row, column]`` of odd side ``size``, centred at
``c = (size − 1) / 2``. A pixel's coordinates are ``x = column − c`` (rightwards) and
``y = row − c`` (downwards); rotated by θ (radians),

    x′ = x cos θ + y sin θ,      y′ = −x sin θ + y cos θ.

The Gabor filter of orientation θ, wavelength λ (pixels), envelope width σ (pixels), aspect ratio γ
and phase ψ is

    g(x, y) = exp(−(x′² + γ² y′²) / (2σ²)) · cos(2π x′ / λ + ψ).

A **simple cell** answers an image with ``ReLU(⟨g, img⟩)``: it depends on where the stripes fall
(the grating's phase). A **complex cell** (Hubel–Wiesel energy model) pools a quadrature pair,
``⟨g_{ψ=0}, img⟩² + ⟨g_{ψ=π/2}, img⟩²``: it keeps the orientation preference and loses the phase.
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

from ch05._validation import check_array, check_int, check_scalar

__all__ = ["complex_cell", "gabor", "grating", "simple_cell", "tuning_curve"]


def gabor(size: int, theta: float, wavelength: float, sigma: float, gamma: float = 0.5,
          psi: float = 0.0) -> np.ndarray:
    """The Gabor filter ``exp(−(x′² + γ²y′²)/2σ²) cos(2πx′/λ + ψ)`` on a ``size × size`` grid.

    Parameters
    ----------
    size : int
        The side of the grid, odd and >= 1; the centre is pixel ``(c, c)``, ``c = (size − 1)/2``.
    theta : float
        The orientation θ in radians: the direction, from the x axis (columns) towards the y axis
        (rows), along which the filter oscillates.
    wavelength : float
        The wavelength λ of the carrier in pixels, > 0.
    sigma : float
        The width σ of the Gaussian envelope in pixels, > 0.
    gamma : float, default 0.5
        The aspect ratio γ of the envelope, > 0.
    psi : float, default 0.0
        The phase ψ of the carrier in radians.

    Returns
    -------
    ndarray of shape (size, size), float64
        ``g[row, column]``.

    Raises
    ------
    ValueError
        If ``size`` is not odd and positive, or a parameter is out of its range, naming it.

    Examples
    --------
    >>> g = gabor(5, 0.0, 4.0, 2.0)
    >>> g.shape, float(g[2, 2]), round(float(g[2, 3]), 6)
    ((5, 5), 1.0, 0.0)
    >>> bool(np.allclose(gabor(7, np.pi / 2, 4.0, 2.0), gabor(7, 0.0, 4.0, 2.0).T))
    True
    """
    size = _check_size(size)
    theta, psi = check_scalar(theta, name="theta"), check_scalar(psi, name="psi")
    wavelength, sigma, gamma = _check_shape(wavelength, sigma, gamma)
    # YOUR CODE HERE
    raise NotImplementedError()


def grating(size: int, theta: float, wavelength: float, phase: float) -> np.ndarray:
    """A sinusoidal grating ``cos(2π x′ / λ + phase)`` on a ``size × size`` grid.

    Its stripes are perpendicular to the direction θ (the same x′ as :func:`gabor`).

    Parameters
    ----------
    size : int
        The side of the grid, odd and >= 1.
    theta : float
        The orientation θ in radians.
    wavelength : float
        The wavelength λ in pixels, > 0.
    phase : float
        The phase in radians.

    Returns
    -------
    ndarray of shape (size, size), float64
        The grating, values in [−1, 1].

    Raises
    ------
    ValueError
        If ``size`` is not odd and positive or ``wavelength <= 0``, naming it.

    Examples
    --------
    >>> grating(3, np.pi / 2, 4.0, 0.0).round(6) + 0.0  # θ = π/2: x′ = y, stripes along the rows
    array([[0., 0., 0.],
           [1., 1., 1.],
           [0., 0., 0.]])
    """
    size = _check_size(size)
    theta, phase = check_scalar(theta, name="theta"), check_scalar(phase, name="phase")
    wavelength = check_scalar(wavelength, name="wavelength", lo=0, lo_open=True)
    # YOUR CODE HERE
    raise NotImplementedError()


def simple_cell(img: np.ndarray, theta: float, wavelength: float, sigma: float, gamma: float = 0.5,
                psi: float = 0.0) -> float:
    """A simple cell's response ``max(0, ⟨g, img⟩)``, g the Gabor filter of the image's size.

    Parameters
    ----------
    img : ndarray of shape (size, size), float64
        The image, square of odd side.
    theta, wavelength, sigma, gamma, psi : float
        The filter's parameters, as for :func:`gabor`.

    Returns
    -------
    float
        The response, >= 0.

    Raises
    ------
    ValueError
        If ``img`` is not a finite square image of odd side, or a parameter is out of its range.

    Examples
    --------
    >>> img = grating(15, 0.5, 6.0, 0.0)
    >>> round(simple_cell(img, 0.5, 6.0, 3.0), 4), simple_cell(-img, 0.5, 6.0, 3.0)
    (45.387, 0.0)
    """
    img = _check_image(img)
    # YOUR CODE HERE
    raise NotImplementedError()


def complex_cell(img: np.ndarray, theta: float, wavelength: float, sigma: float, gamma: float = 0.5) -> float:
    """A complex cell's energy ``⟨g_{ψ=0}, img⟩² + ⟨g_{ψ=π/2}, img⟩²`` (Hubel–Wiesel pooling).

    Parameters
    ----------
    img : ndarray of shape (size, size), float64
        The image, square of odd side.
    theta, wavelength, sigma, gamma : float
        The filters' parameters, as for :func:`gabor`; the two filters differ only in ψ.

    Returns
    -------
    float
        The energy, >= 0.

    Raises
    ------
    ValueError
        If ``img`` is not a finite square image of odd side, or a parameter is out of its range.

    Examples
    --------
    >>> responses = [complex_cell(grating(15, 0.5, 6.0, phase), 0.5, 6.0, 3.0) for phase in (0.0, 1.0, 2.0)]
    >>> [round(r) for r in responses]
    [2060, 2047, 2045]
    """
    img = _check_image(img)
    # YOUR CODE HERE
    raise NotImplementedError()


def tuning_curve(cell: Callable[[np.ndarray], float], thetas: np.ndarray, *, size: int, wavelength: float,
                 phase: float = 0.0) -> np.ndarray:
    """A cell's orientation tuning: its response to a grating at each orientation of ``thetas``.

    Parameters
    ----------
    cell : callable
        ``cell(img) -> float``, e.g. ``lambda img: complex_cell(img, np.pi / 3, 8.0, 4.0)``.
    thetas : ndarray of shape (k,), float64
        The gratings' orientations in radians.
    size : int
        The gratings' side, odd and >= 1 (keyword only).
    wavelength : float
        The gratings' wavelength in pixels, > 0 (keyword only).
    phase : float, default 0.0
        The gratings' phase in radians (keyword only).

    Returns
    -------
    ndarray of shape (k,), float64
        ``cell(grating(size, θ_j, wavelength, phase))`` for each θ_j.

    Raises
    ------
    TypeError
        If ``cell`` is not callable.
    ValueError
        If ``thetas`` is not a finite vector, or a grating parameter is out of its range.

    Examples
    --------
    >>> thetas = np.arange(36) * np.pi / 36
    >>> curve = tuning_curve(lambda img: complex_cell(img, np.pi / 3, 8.0, 4.0), thetas, size=31, wavelength=8.0)
    >>> curve.shape, float(thetas[np.argmax(curve)] * 3 / np.pi)
    ((36,), 1.0)
    """
    if not callable(cell):
        raise TypeError(f"cell should be a callable img -> float; got cell={cell!r}")
    thetas = check_array(thetas, name="thetas", ndim=1, layout="(k,)")
    size = _check_size(size)
    wavelength = check_scalar(wavelength, name="wavelength", lo=0, lo_open=True)
    phase = check_scalar(phase, name="phase")
    # YOUR CODE HERE
    raise NotImplementedError()



def _check_size(size: int) -> int:
    """``size`` as a positive odd int, or ``ValueError``/``TypeError`` naming it."""
    size = check_int(size, name="size", lo=1)
    if size % 2 == 0:
        raise ValueError(f"size should be odd (the grid has a centre pixel); got size={size}")
    return size


def _check_shape(wavelength: float, sigma: float, gamma: float) -> tuple[float, float, float]:
    """The filter's wavelength, sigma and gamma as positive floats, or ``ValueError`` naming the first that is not."""
    return (check_scalar(wavelength, name="wavelength", lo=0, lo_open=True),
            check_scalar(sigma, name="sigma", lo=0, lo_open=True),
            check_scalar(gamma, name="gamma", lo=0, lo_open=True))


def _check_image(img: np.ndarray) -> np.ndarray:
    """``img`` as a finite float square image of odd side, or ``ValueError`` naming it."""
    img = check_array(img, name="img", ndim=2, layout="(size, size)")
    if img.shape[0] != img.shape[1] or img.shape[0] % 2 == 0:
        raise ValueError(f"img should be square of odd side; got shape {img.shape}")
    return img
