"""ch12.vc_shattering: the labelings a class realizes, shattering, witnesses of the VC dimension
(§12.2) and the sine class of infinite VC dimension (ex 12.2). Pinned: one-sided thresholds
χ(x ≤ θ) have VC dimension 1 (the book's §12.2.1 says 2, erratum 10)."""
from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Bool, Exercise, Float, expect, row, seeds

exercise = Exercise(module="ch12.vc", functions=("dichotomies", "shatters", "witness", "sine_theta"),
                    forbidden=("torch",), title="Shattering and the VC dimension")

_CLASSES = ("threshold", "interval", "halfspace", "axis_rectangle", "disk")
#: VC dimension and the dimension of the witness, per class (witnesses on the line or in the plane).
_VC = {"threshold": 1, "interval": 2, "halfspace": 3, "axis_rectangle": 4, "disk": 3}
_DIM = {"threshold": 1, "interval": 1, "halfspace": 2, "axis_rectangle": 2, "disk": 2}


def _pts(rows) -> np.ndarray:
    return np.array(rows, dtype=np.float64)


def _labelings(ctx, points: np.ndarray, hclass: str) -> set[tuple[int, ...]]:
    """The student's dichotomies(points, hclass) as a set of ±1 tuples, after checking its form."""
    n = points.shape[0]
    what = f"dichotomies(points of shape {points.shape}, {hclass!r})"
    got = ctx.call("dichotomies", points, hclass, returns=Array(ndim=2))
    expect(got.shape[1] == n and 1 <= got.shape[0] <= 2**n,
           f"{what} should have shape (k, {n}) with 1 ≤ k ≤ 2**{n}; got shape {got.shape}")
    expect(bool(np.all((got == 1) | (got == -1))), f"{what} should hold labels ±1 only; got the values "
                                                    f"{sorted({float(v) for v in np.unique(got)})[:6]}")
    found = {tuple(int(v) for v in labels) for labels in got}
    expect(len(found) == got.shape[0], f"{what} lists {got.shape[0] - len(found)} labeling(s) more than once")
    return found


def _show(labels: set[tuple[int, ...]], limit: int = 6) -> str:
    shown = sorted(labels)[:limit]
    return ", ".join(str(list(y)) for y in shown) + (f", … ({len(labels)} in all)" if len(labels) > limit else "")


def _random_points(seed: int, n: int, d: int) -> np.ndarray:
    """n generic points in ℝᵈ (no ties, no three collinear in practice), rounded to 1e-3 so that they
    print exactly."""
    return np.round(np.random.default_rng(seed).uniform(-3.0, 3.0, size=(n, d)), 3)


# ---- shattering: the book's examples ---------------------------------------------------------------

@exercise.table(points=2, rows=[
    row("threshold_shatters_one_point_not_two",
        "One-sided thresholds χ(x ≤ θ) shatter any one point and no two points: VC dimension 1 (the book's "
        "§12.2.1 says a half-line shatters two points, an erratum: for x₁ < x₂ the labeling (−1, +1) needs "
        "x₂ ≤ θ < x₁). Two copies of one point are never shattered.",
        hclass="threshold", yes=([[0.3]], [[-2.0]]),
        no=([[0.3], [1.2]], [[1.2], [0.3]], [[-1.0], [-0.5]], [[0.5], [0.5]])),
    row("interval_shatters_two_points_not_three",
        "Intervals [a, b] shatter two distinct points and no three: (+1, −1, +1) on x₁ < x₂ < x₃ is never realized; "
        "two copies of one point are not shattered either.",
        hclass="interval", yes=([[0.0], [1.0]], [[2.5], [-1.0]]),
        no=([[0.0], [1.0], [2.0]], [[1.0], [0.0], [2.0]], [[1.0], [1.0]])),
    row("halfspace_shatters_a_triangle_not_xor_nor_a_line",
        "Halfplanes wᵀx + b > 0 shatter three non-collinear points, not the XOR square nor three collinear points "
        "(an LP with margin: y_i(wᵀx_i + b) ≥ 1).",
        hclass="halfspace", yes=([[0.0, 0.0], [2.0, 0.0], [0.0, 1.0]], [[1.0, 1.0], [-1.0, 2.0], [0.5, -3.0]]),
        no=([[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]], [[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])),
    row("rectangle_shatters_the_diamond_not_the_square",
        "Axis-parallel rectangles shatter the diamond (±1, 0), (0, ±1), not the square's corners nor the diamond "
        "with its centre (a negative point inside the positives' bounding box), nor two copies of a point.",
        hclass="axis_rectangle", yes=([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]],
                                      [[3.0, 1.0], [2.0, 2.5], [1.0, 1.0], [2.0, -0.5]]),
        no=([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]],
            [[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 1.0]])),
    row("disk_shatters_three_points_not_the_square",
        "Closed disks shatter three non-collinear points (an obtuse triangle too), not the square's corners "
        "(cocircular: the diagonal labeling fails), three collinear points or four points in convex position.",
        hclass="disk", yes=([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]], [[0.0, 0.0], [3.0, 0.0], [1.0, 0.2]],
                            [[1.0, 2.0], [-3.0, 0.0], [0.5, -1.0]]),
        no=([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]], [[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]],
            [[0.0, 0.0], [2.0, 0.3], [0.4, 1.7], [1.9, 2.2]], [[0.0, 0.0], [1.0, 0.0], [0.5, 0.1], [0.5, 2.0]])),
])
def book_shattering(ctx, hclass, yes, no):
    cases = [(_pts(p), True) for p in yes] + [(_pts(p), False) for p in no]
    got = ctx.map("shatters", [(points, hclass) for points, _ in cases], returns=Bool())
    for (points, want), value in zip(cases, got):
        ctx.report_call("shatters", points, hclass)
        expect(value == want, f"shatters({points.tolist()}, {hclass!r}) should be {want}; got {value}")


@exercise.check(points=2, given={"hclass": st.sampled_from(_CLASSES), "d": st.integers(1, 3),
                                 "extra": st.integers(-2, 1), "seed": seeds()}, max_examples=20)
def shatters_matches_reference(ctx, hclass, d, extra, seed):
    """shatters(points, hclass) on random point sets of about the VC dimension's size (VC − 2 to VC + 1
    points, in ℝ¹ to ℝ³; rectangles and disks up to ℝ²) agrees with the reference."""
    d = 1 if hclass in ("threshold", "interval") else min(d, 2) if hclass in ("axis_rectangle", "disk") else d
    vc = {"threshold": 1, "interval": 2, "halfspace": d + 1, "axis_rectangle": 2 * d, "disk": d + 1}[hclass]
    points = _random_points(seed, max(1, vc + extra), d)
    got = ctx.call("shatters", points, hclass, returns=Bool())
    want = ctx.ref.shatters(points, hclass)
    expect(got == want, f"shatters({points.tolist()}, {hclass!r}) should be {want}; got {got}")


# ---- dichotomies: the growth function on a set ------------------------------------------------------

@exercise.check(points=1)
def dichotomies_include_the_constant_labelings(ctx):
    """dichotomies lists the all −1 and the all +1 labelings too (an empty interval, a threshold left of
    every point, a far-away disk...): every class here realizes both on any point set."""
    fixtures = {"threshold": [[0.5], [-1.0], [2.0]], "interval": [[0.5], [-1.0], [2.0]],
                "halfspace": [[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]],
                "axis_rectangle": [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]], "disk": [[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]]}
    for hclass, rows in fixtures.items():
        points = _pts(rows)
        n = len(rows)
        found = _labelings(ctx, points, hclass)
        for sign, word in ((-1, "−1"), (1, "+1")):
            expect((sign,) * n in found,
                   f"dichotomies({rows}, {hclass!r}) should contain the all {word} labeling {[sign] * n}; "
                   f"got {_show(found)}")


@exercise.check(points=2, given={"n": st.integers(1, 7), "seed": seeds()}, max_examples=10)
def threshold_dichotomies_are_the_n_plus_1_prefixes(ctx, n, seed):
    """For thresholds χ(x ≤ θ) the labelings of n distinct points (given unsorted) are the n + 1 ways to
    label the k leftmost points +1 and the others −1: +1 is on the left."""
    points = _random_points(seed, n, 1)
    found = _labelings(ctx, points, "threshold")
    order = np.argsort(points[:, 0])
    want = set()
    for k in range(n + 1):
        labels = -np.ones(n, dtype=int)
        labels[order[:k]] = 1
        want.add(tuple(int(v) for v in labels))
    expect(found == want, f"dichotomies({points.tolist()}, 'threshold') should be the {n + 1} labelings "
                          f"{_show(want)}; got {_show(found)}"
                          + (" (the labels of x ≥ θ: +1 should be on the left)" if found == {
                              tuple(-v for v in y) for y in want} else ""))


@exercise.check(points=1, given={"n": st.integers(1, 7), "seed": seeds()}, max_examples=8)
def interval_count_attains_sauer(ctx, n, seed):
    """Intervals realize exactly 1 + n + C(n, 2) labelings of n distinct points: Sauer's bound for VC
    dimension 2, attained, and the set agrees with the reference."""
    points = _random_points(seed, n, 1)
    found = _labelings(ctx, points, "interval")
    count = 1 + n + math.comb(n, 2)
    expect(len(found) == count, f"intervals realize 1 + n + C(n, 2) = {count} labelings of {n} distinct points; "
                                f"dichotomies({points.tolist()}, 'interval') has {len(found)}: {_show(found)}")
    want = {tuple(int(v) for v in y) for y in ctx.ref.dichotomies(points, "interval")}
    expect(found == want, f"dichotomies({points.tolist()}, 'interval') should be {_show(want)}; got {_show(found)}")


@exercise.check(points=2, given={"n": st.integers(3, 5), "seed": seeds()}, max_examples=5)
def halfspace_count_is_covers(ctx, n, seed):
    """Halfplanes realize exactly 2·Σ_{k=0}^{2} C(n − 1, k) labelings of n points in general position
    (Cover's function counting theorem): 8, 14 and 22 for n = 3, 4 and 5."""
    points = _random_points(seed, n, 2)
    found = _labelings(ctx, points, "halfspace")
    count = 2 * sum(math.comb(n - 1, k) for k in range(3))
    expect(len(found) == count, f"halfplanes realize 2·Σ_(k≤2) C(n − 1, k) = {count} labelings of {n} points in "
                                f"general position; dichotomies({points.tolist()}, 'halfspace') has {len(found)}: "
                                f"{_show(found)}")


@exercise.check(points=2, given={"hclass": st.sampled_from(("halfspace", "axis_rectangle", "disk")),
                                 "n": st.integers(2, 5), "seed": seeds()}, max_examples=12)
def dichotomies_match_reference(ctx, hclass, n, seed):
    """dichotomies(points, hclass) for halfplanes, rectangles and disks on 2 to 5 random points of the plane
    is the reference's set of labelings (in any order)."""
    points = _random_points(seed, n, 2)
    found = _labelings(ctx, points, hclass)
    want = {tuple(int(v) for v in y) for y in ctx.ref.dichotomies(points, hclass)}
    missing, extra = want - found, found - want
    expect(not missing and not extra,
           f"dichotomies({points.tolist()}, {hclass!r}) should have {len(want)} labelings; "
           + (f"missing {_show(missing)}" if missing else "") + ("; " if missing and extra else "")
           + (f"not realizable: {_show(extra)}" if extra else ""))


# ---- witnesses of the VC dimension -----------------------------------------------------------------

def _witnesses(ctx) -> dict[str, np.ndarray]:
    got = {}
    for hclass in _CLASSES:
        shape = (_VC[hclass], _DIM[hclass])
        got[hclass] = ctx.call("witness", hclass, returns=Array(shape, label=f"witness({hclass!r})"))
    return got


@exercise.check(points=2, depends_on="shatters_matches_reference")
def witness_sizes_are_vc_dims(ctx):
    """witness(hclass) gives VC-dimension many points, (1, 1), (2, 1), (3, 2), (4, 2) and (3, 2) for threshold,
    interval, halfspace, axis_rectangle and disk, that your shatters (checked above) says the class shatters."""
    for hclass, points in _witnesses(ctx).items():
        ctx.report_call("shatters", points, hclass)
        expect(ctx.call("shatters", points, hclass, returns=Bool()),
               f"witness({hclass!r}) = {points.tolist()} is not shattered by {hclass!r} (your shatters says False)")


@exercise.check(points=1, visibility="hidden", depends_on="witness_sizes_are_vc_dims")
def witness_shattered_by_reference(ctx):
    """Every witness is shattered according to the reference."""
    for hclass, points in _witnesses(ctx).items():
        expect(ctx.ref.shatters(points, hclass), f"witness({hclass!r}) = {points.tolist()} is not shattered")


# ---- the sine class (ex 12.2) ----------------------------------------------------------------------

def _sine_labels(theta: float, m: int) -> list[int]:
    """sign(sin(θ 2⁻ⁱ)) for i = 1..m, as ints (0 where the sine vanishes)."""
    return [int(v) for v in np.sign(np.sin(theta * 2.0 ** -np.arange(1, m + 1)))]


@exercise.check(points=2, given={"m": st.integers(1, 20), "seed": seeds()}, max_examples=25)
def sine_theta_realizes_the_labels(ctx, m, seed):
    """θ = sine_theta(labels) gives sign(sin(θ·2⁻ⁱ)) = labels[i − 1] for i = 1, …, m (labels ±1, m ≤ 20)."""
    labels = 2 * np.random.default_rng(seed).integers(0, 2, size=m) - 1
    theta = ctx.call("sine_theta", labels, returns=Float())
    expect(math.isfinite(theta), f"sine_theta({labels.tolist()}) should be finite; got {theta!r}")
    got = _sine_labels(theta, m)
    expect(got == labels.tolist(), f"θ = sine_theta({labels.tolist()}) = {theta!r} gives sign(sin(θ·2⁻ⁱ)) = {got}")


@exercise.check(points=1)
def sine_class_shatters_four_points(ctx):
    """sin(θx) shatters {½, ¼, ⅛, 1/16}: sine_theta realizes all 16 labelings."""
    every = [np.array(y) for y in np.array(np.meshgrid(*[[-1, 1]] * 4, indexing="ij")).reshape(4, -1).T]
    thetas = ctx.map("sine_theta", [(y,) for y in every], returns=Float())
    for labels, theta in zip(every, thetas):
        ctx.report_call("sine_theta", labels)
        got = _sine_labels(theta, 4) if math.isfinite(theta) else None
        expect(got == labels.tolist(), f"θ = sine_theta({labels.tolist()}) = {theta!r} gives labels {got}")
