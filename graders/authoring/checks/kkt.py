"""Optimality certificates that grade non-unique answers by their invariants: KKT residuals
(stationarity, primal and dual feasibility, complementary slackness), the SVM trichotomy,
duality gaps, and positive semi-definiteness with a scale-aware tolerance.

Every function returns numbers (so a check can report them) and has an ``assert_`` twin that
raises :class:`~graders.grading.outcomes.CheckFailed` with the worst violation and where it is.

>>> import numpy as np
>>> r = kkt_residuals(grad_lagrangian=np.zeros(2), inequalities=np.array([-1.0, 0.0]),
...                   multipliers=np.array([0.0, 2.0]))
>>> (r.stationarity, r.primal, r.dual, r.complementarity)
(0.0, 0.0, 0.0, 0.0)
>>> assert_psd(np.array([[2.0, 0.0], [0.0, -1e-3]]), name="K")
Traceback (most recent call last):
    ...
graders.grading.outcomes.CheckFailed: K should be positive semi-definite: its smallest eigenvalue is -0.001 < -2e-10
(= -1e-10 × ‖K‖₂ 2)
"""
from __future__ import annotations

import dataclasses

import numpy as np

from graders.grading.outcomes import CheckFailed


@dataclasses.dataclass(frozen=True)
class KKTResiduals:
    """Worst violations of the KKT conditions of ``min f s.t. g(x) ≤ 0, h(x) = 0``."""

    stationarity: float      #: ‖∇f + Σλ∇g + Σν∇h‖∞
    primal: float            #: max(max g, max|h|, 0)
    dual: float              #: max(−min λ, 0)
    complementarity: float   #: max |λ_i g_i|

    def worst(self) -> tuple[str, float]:
        fields = dataclasses.asdict(self)
        name = max(fields, key=lambda field: fields[field])
        return name, fields[name]


def kkt_residuals(*, grad_lagrangian, inequalities=(), multipliers=(), equalities=()) -> KKTResiduals:
    """KKT residuals from the gradient of the Lagrangian at the point, the inequality values
    ``g(x)`` (feasible when ≤ 0), their multipliers ``λ``, and the equality values ``h(x)``."""
    g = np.asarray(inequalities, dtype=float).ravel()
    lam = np.asarray(multipliers, dtype=float).ravel()
    h = np.asarray(equalities, dtype=float).ravel()
    stationarity = float(np.max(np.abs(grad_lagrangian))) if np.size(grad_lagrangian) else 0.0
    primal = max(0.0, float(np.max(g)) if g.size else 0.0, float(np.max(np.abs(h))) if h.size else 0.0)
    dual = max(0.0, float(-np.min(lam))) if lam.size else 0.0
    complementarity = float(np.max(np.abs(lam * g))) if lam.size else 0.0
    return KKTResiduals(stationarity, primal, dual, complementarity)


def assert_kkt(residuals: KKTResiduals, *, tol: float, name: str) -> None:
    """Fail if any residual exceeds ``tol`` (NaN fails too)."""
    for field, value in dataclasses.asdict(residuals).items():
        if not value <= tol:
            raise CheckFailed(f"{name} violates the KKT conditions: {field} residual {value:.3g} > {tol:g}")


@dataclasses.dataclass(frozen=True)
class SVMConditions:
    """How far a dual SVM solution ``α`` (with decision values ``f``) is from optimal.

    ``margin_i = y_i f_i``. Box: ``0 ≤ α ≤ C``; equality (with bias): ``Σ α_i y_i = 0``;
    trichotomy: α_i = 0 ⇒ margin ≥ 1, 0 < α_i < C ⇒ margin = 1, α_i = C ⇒ margin ≤ 1.
    """

    box: float
    equality: float
    trichotomy: float
    worst_index: int

    def describe(self) -> str:
        return (f"box violation {self.box:.3g}, |Σαy| {self.equality:.3g}, "
                f"worst trichotomy violation {self.trichotomy:.3g} (at sample {self.worst_index})")


def svm_conditions(alpha, y, decision, C: float = np.inf, *, zero_tol: float = 1e-6,
                   with_equality: bool = True) -> SVMConditions:
    """The SVM optimality conditions of ``alpha`` given the decision values on the training set.

    ``zero_tol`` decides which α are at a bound: ``α ≤ zero_tol·scale`` counts as 0 and
    ``α ≥ C − zero_tol·scale`` as C, with ``scale = C`` (or ``max α`` for the hard margin).
    """
    alpha, y, decision = (np.asarray(a, dtype=float).ravel() for a in (alpha, y, decision))
    scale = C if np.isfinite(C) else max(float(np.max(np.abs(alpha))), 1.0)
    box = max(0.0, float(-np.min(alpha)), float(np.max(alpha) - C) if np.isfinite(C) else 0.0)
    equality = abs(float(alpha @ y)) if with_equality else 0.0
    margin = y * decision
    at_zero = alpha <= zero_tol * scale
    at_c = alpha >= C - zero_tol * scale if np.isfinite(C) else np.zeros_like(at_zero)
    free = ~at_zero & ~at_c
    violation = np.zeros_like(margin)
    violation[at_zero] = np.maximum(0.0, 1.0 - margin[at_zero])
    violation[free] = np.abs(margin[free] - 1.0)
    violation[at_c] = np.maximum(0.0, margin[at_c] - 1.0)
    worst = int(np.argmax(violation)) if violation.size else 0
    return SVMConditions(box, equality, float(violation[worst]) if violation.size else 0.0, worst)


def assert_svm_conditions(conditions: SVMConditions, *, box_tol: float, equality_tol: float, trichotomy_tol: float,
                          name: str) -> None:
    if not conditions.box <= box_tol:
        raise CheckFailed(f"{name}: α leaves the box [0, C] by {conditions.box:.3g} (tolerance {box_tol:g})")
    if not conditions.equality <= equality_tol:
        raise CheckFailed(f"{name}: Σ α_i y_i = {conditions.equality:.3g}, should be 0 (tolerance {equality_tol:g})")
    if not conditions.trichotomy <= trichotomy_tol:
        raise CheckFailed(f"{name}: complementary slackness fails: {conditions.describe()} > {trichotomy_tol:g}")


def relative_gap(primal: float, dual: float) -> float:
    """``(P − D) / max(1, |P|)``: a duality gap relative to the objective's size."""
    return (float(primal) - float(dual)) / max(1.0, abs(float(primal)))


def assert_gap(primal: float, dual: float, *, tol: float, name: str) -> None:
    gap = relative_gap(primal, dual)
    if not abs(gap) <= tol:
        raise CheckFailed(f"{name}: duality gap (P − D)/max(1, |P|) = {gap:.3g} with P = {primal:.10g}, "
                          f"D = {dual:.10g}; should be within {tol:g}")


def min_eigenvalue(K) -> tuple[float, float]:
    """``(λ_min, ‖K‖₂)`` of the symmetric part of ``K``."""
    S = (np.asarray(K, dtype=float) + np.asarray(K, dtype=float).T) / 2
    eigenvalues = np.linalg.eigvalsh(S)
    return float(eigenvalues[0]), float(np.max(np.abs(eigenvalues))) if eigenvalues.size else 0.0


def assert_psd(K, *, rtol: float = 1e-10, name: str) -> None:
    """Fail unless ``λ_min(K) ≥ −rtol·‖K‖₂`` (a tolerance that scales with K; NaN fails)."""
    K = np.asarray(K, dtype=float)
    if not np.all(np.isfinite(K)):
        raise CheckFailed(f"{name} contains NaN or infinite entries")
    lam, norm = min_eigenvalue(K)
    if lam < -rtol * norm:
        raise CheckFailed(f"{name} should be positive semi-definite: its smallest eigenvalue is {lam:.3g} < "
                          f"{-rtol * norm:.3g} (= -{rtol:g} × ‖{name}‖₂ {norm:.3g})")
