"""ch10.expressivity: counting the regions of a ReLU network and Zaslavsky's bound for one layer."""
from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Exercise, Int, assert_close, expect, seeds
from graders.errors import WorkerLost

exercise = Exercise(module="ch10.regions", functions=("count_regions_2d", "max_regions_single_layer"),
                    forbidden=("sympy",), title="Expressivity: counting regions")


def _tangent_lines(m: int) -> list:
    """m neurons whose boundaries are tangents of the unit circle at distinct angles (a generic arrangement,
    all intersections inside [−5, 5]² for m ≤ 6)."""
    theta = np.arange(m) * np.pi / 6 + 0.1
    return [(np.column_stack([np.cos(theta), np.sin(theta)]), -np.ones(m))]


#: The most a count on an 801² grid may take (the per-call limit of grading): the reference takes
#: about 0.15 s on one core, a Python loop over the 641,601 points 10 to 25 s.
_GRID_SECONDS = 5.0


def _deep_net() -> list:
    """A seeded net of 12 layers of 2 neurons (24 neurons) with 26 regions in [−3, 3]² (801² grid):
    cheap for a vectorized count (12 tiny matrix products over all the points at once), 12 forward
    steps per point for a loop."""
    g = np.random.default_rng(2)
    net = [(g.normal(size=(2, 2)), g.normal(size=2))]
    return net + [(1.2 * g.normal(size=(2, 2)), 0.3 + 0.3 * g.normal(size=2)) for _ in range(11)]


def _sawtooth(layers: int) -> list:
    """A deep net of 2 neurons per layer that folds [0, 1] in two at every layer (the tent map)."""
    first = (np.array([[1.0, 0.0], [1.0, 0.0]]), np.array([0.0, -0.5]))
    fold = (np.array([[2.0, -4.0], [2.0, -4.0]]), np.array([0.0, -0.5]))
    return [first] + [fold] * (layers - 1)


@exercise.check(points=2, given={"m": st.integers(0, 40), "d": st.integers(0, 12)}, max_examples=30)
def zaslavsky_counts_to_d(ctx, m, d):
    """max_regions_single_layer(m, d) is Σ_{i=0}^{d} C(m, i), the sum up to d included."""
    got = ctx.call("max_regions_single_layer", m, d, returns=Int())
    assert_close(got, ctx.ref.max_regions_single_layer(m, d), rtol=0, name=f"max_regions_single_layer({m}, {d})")


@exercise.check(points=2)
def six_generic_lines_make_22_regions(ctx):
    """Six generic lines (tangents of the unit circle) cut [−5, 5]² into 22 = 1 + 6 + 15 regions (801² grid)."""
    got = ctx.call("count_regions_2d", _tangent_lines(6), -5.0, 5.0, 801, returns=Int())
    want = ctx.ref.count_regions_2d(_tangent_lines(6), -5.0, 5.0, 801)
    expect(got == want, f"count_regions_2d(6 tangent lines) should be {want}; got {got}")


@exercise.check(points=1, depends_on="zaslavsky_counts_to_d")
def brute_force_meets_the_formula(ctx):
    """For m = 1 ... 6 generic lines, count_regions_2d equals max_regions_single_layer(m, 2)."""
    counts = ctx.map("count_regions_2d", [(_tangent_lines(m), -5.0, 5.0, 601) for m in range(1, 7)], returns=Int())
    bounds = ctx.map("max_regions_single_layer", [(m, 2) for m in range(1, 7)], returns=Int())
    for m, (count, bound) in enumerate(zip(counts, bounds), start=1):
        expect(count == bound == 1 + m + math.comb(m, 2),
               f"{m} generic lines: count_regions_2d gives {count}, max_regions_single_layer({m}, 2) {bound}")


@exercise.check(points=1, visibility="hidden", given={"seed": seeds()}, max_examples=8,
                depends_on="six_generic_lines_make_22_regions")
def adding_a_neuron_never_lowers_the_count(ctx, seed):
    """Adding a neuron to a one-layer network never lowers its count of regions."""
    g = np.random.default_rng(seed)
    W, b = g.normal(size=(6, 2)), g.normal(size=6)
    nets = [[(W[:k], b[:k])] for k in range(1, 7)]
    counts = ctx.map("count_regions_2d", [(net, -4.0, 4.0, 201) for net in nets], returns=Int())
    expect(all(a <= c for a, c in zip(counts, counts[1:])),
           f"counts for 1 ... 6 neurons should not decrease; got {counts}")


@exercise.check(points=2, visibility="hidden", depends_on="zaslavsky_counts_to_d")
def depth_beats_the_shallow_maximum(ctx):
    """An 8-layer sawtooth net of 16 neurons has more regions than any one layer of 16 neurons can make."""
    got = ctx.call("count_regions_2d", _sawtooth(8), -0.1, 1.1, 801, returns=Int())
    shallow = ctx.call("max_regions_single_layer", 16, 2, returns=Int())
    expect(got > shallow and got == ctx.ref.count_regions_2d(_sawtooth(8), -0.1, 1.1, 801),
           f"the sawtooth net should have {ctx.ref.count_regions_2d(_sawtooth(8), -0.1, 1.1, 801)} regions, more "
           f"than the shallow maximum {shallow}; got {got}")


@exercise.check(points=1)
def counts_an_801_grid_in_time(ctx):
    """count_regions_2d counts the regions of a 12-layer net of 24 neurons on an 801² grid over
    [−3, 3]² within 5 s: all 641,601 points go through each layer at once (vectorized over the
    grid), not one by one in a Python loop."""
    net = _deep_net()
    call = "count_regions_2d(12-layer net, -3.0, 3.0, 801)"
    advice = ("vectorize over the grid: push all the points through each layer at once (one matrix product "
              "per layer), no Python loop over the points")
    try:
        outcome = ctx.outcome("count_regions_2d", net, -3.0, 3.0, 801)
    except WorkerLost as lost:
        if lost.status != "timeout":
            raise
        ctx.fail(f"your count took too long ({lost.message.split(' calling ')[0]}) on {call}; {advice}")
    got = Int().convert(outcome.value_or_raise(), "count_regions_2d")
    expect(outcome.duration_s <= _GRID_SECONDS,
           f"your count took too long: {call} took {outcome.duration_s:.1f} s, more than {_GRID_SECONDS:g} s; {advice}")
    want = ctx.ref.count_regions_2d(net, -3.0, 3.0, 801)
    expect(got == want, f"{call} should be {want}; got {got}")
