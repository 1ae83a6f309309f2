"""ch06.variational_bp — backpropagation as local least squares and its safe step (6.50–6.55)."""
from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from graders.authoring import (
    Array,
    Bool,
    Exercise,
    Float,
    Tuple,
    arrays,
    assert_close,
    distinct_dims,
    expect,
    rng,
    seeds,
)
from graders.authoring.checks.edges import with_exact_zeros

exercise = Exercise(module="ch06.variational", title="Backpropagation as local least squares",
                    functions=("local_ls_update", "sensitivity_M", "max_safe_step", "bp_layer_step", "relu_forward",
                               "relu_prime"))

#: What bp_layer_step returns: (loss_before, loss_after, pattern_changed).
_STEP = Tuple(Float(label="loss_before"), Float(label="loss_after"), Bool(label="pattern_changed"))


def _relu_net(seed: int, dims: tuple[int, ...]):
    """A ReLU network with positive-leaning biases (so that most units are active), x and y."""
    g = rng(seed)
    params = [(g.normal(0, 1 / math.sqrt(a), (b, a)), g.normal(0.3, 0.3, b)) for a, b in zip(dims[:-1], dims[1:])]
    return params, g.normal(size=dims[0]), g.normal(size=dims[-1])


@st.composite
def _nets(draw):
    depth = draw(st.integers(1, 3))
    dims = draw(distinct_dims(depth + 1, 1, 7))
    params, x, y = _relu_net(draw(seeds()), dims)
    return params, x, y, draw(st.integers(1, depth))


#: δ of layer l (length m) and o^(l−1) (length n ≠ m).
_errors = arrays(delta="m", o="n", dims=(1, 7))


@exercise.check(points=1, given={"case": _errors}, max_examples=15)
def local_update_cancels_error(ctx, case):
    """The local update ΔW makes −δ − ΔW o = 0 (relative 1e-12 of ‖δ‖)."""
    delta, o = case.delta, case.o
    dW = ctx.call("local_ls_update", delta, o, returns=Array((case.m, case.n)))
    assert_close(-delta - dW @ o, np.zeros(case.m), rtol=0, atol=1e-12 * np.max(np.abs(delta)), name="−δ − ΔW o")


@exercise.check(points=1, given={"case": _errors}, max_examples=15)
def local_update_is_minimum_norm(ctx, case):
    """ΔW has its rows in span(oᵀ): ΔW (I − ooᵀ/‖o‖²) = 0, the least-norm solution (6.55)."""
    delta, o = case.delta, case.o
    dW = ctx.call("local_ls_update", delta, o, returns=Array((case.m, case.n)))
    projector = np.eye(case.n) - np.outer(o, o) / (o @ o)
    assert_close(dW @ projector, np.zeros((case.m, case.n)), rtol=0, atol=1e-12 * max(1.0, np.max(np.abs(dW))),
                 name="the part of ΔW orthogonal to oᵀ")
    assert_close(dW, ctx.ref.local_ls_update(delta, o), rtol=1e-12, name="ΔW")


@exercise.check(points=2, given={"net": _nets()}, max_examples=20)
def sensitivity_matrix(ctx, net):
    """M^(l) = SSᵀ is (d_L, d_L), symmetric, PSD, and equals the reference (relative 1e-10)."""
    params, x, _, l = net
    d_L = params[-1][0].shape[0]
    M = ctx.call("sensitivity_M", params, x, l, returns=Array((d_L, d_L)))
    assert_close(M, M.T, rtol=1e-12, name="M − Mᵀ (M should be symmetric)")
    scale = max(1.0, float(np.max(np.abs(M))))
    expect(np.linalg.eigvalsh((M + M.T) / 2)[0] >= -1e-10 * scale, "M should be positive semi-definite")
    assert_close(M, ctx.ref.sensitivity_M(params, x, l), rtol=1e-10, name="M")


@exercise.check(points=1)
def relu_kink_derivative_is_zero(ctx):
    """ReLU′(0) := 0, as the module pins: relu_prime is 0 where g is exactly 0, and sensitivity_M
    and bp_layer_step equal the reference (relative 1e-10; the same pattern flag) on a
    4 → 5 → 3 network in which a first-layer unit has the pre-activation exactly 0 (a zero row of
    W and a zero bias) while the error reaching it is not 0."""
    g0 = with_exact_zeros(rng(73).normal(size=7), rng(74), count=2)           # (7,)
    assert_close(ctx.call("relu_prime", g0, returns=Array(g0.shape)), ctx.ref.relu_prime(g0), rtol=0,
                 name="relu_prime(g) where g has exact zeros (ReLU′(0) = 0)")
    params, x, y = _relu_net(75, (4, 5, 3))
    W, b = params[0]
    b = with_exact_zeros(b, rng(76))                                          # (5,)
    params[0] = (np.where((b == 0.0)[:, None], 0.0, W), b)                    # g^(1) = 0 at that unit
    M = ctx.call("sensitivity_M", params, x, 1, returns=Array((3, 3)))
    assert_close(M, ctx.ref.sensitivity_M(params, x, 1), rtol=1e-10, name="M^(1) with a unit at the kink")
    step = (params, x, y, 1, 0.05)
    got = ctx.call("bp_layer_step", *step, returns=_STEP)
    want = ctx.ref.bp_layer_step(*step)
    assert_close(got[1], want[1], rtol=1e-10, name="loss_after of a step on W^(1) with a unit at the kink (η = 0.05)")
    expect(got[2] == want[2], f"pattern_changed should be {want[2]} for a step on W^(1) with a unit at the kink "
                              f"(η = 0.05); got {got[2]}")


@exercise.check(points=1, visibility="hidden", given={"net": _nets()}, max_examples=15)
def safe_step_formula(ctx, net):
    """η_max = 2/(‖o^(l−1)‖² λ_max(M^(l))), inf when that is 0 (relative 1e-10)."""
    params, x, _, l = net
    got = ctx.call("max_safe_step", params, x, l, returns=Float())
    want = ctx.ref.max_safe_step(params, x, l)
    if math.isinf(want):
        expect(math.isinf(got) and got > 0, f"max_safe_step should be inf when M or o^(l−1) vanishes; got {got!r}")
    else:
        assert_close(got, want, rtol=1e-10, name="max_safe_step")


@exercise.check(points=2)
def safe_steps_never_increase_loss(ctx):
    """Over 200 random ReLU networks, a step η < η_max on W^(l) that leaves the activation pattern
    unchanged never increases the cost; losses and patterns agree with the reference at steps
    below the bound, and η_max is no smaller than half the bound 2/(‖o‖²λ_max(M)) (a tiny η_max
    would make the claim empty)."""
    g = rng(655)
    cases = []
    for _ in range(200):
        depth = int(g.integers(1, 4))
        dims = tuple(int(v) for v in g.choice(np.arange(1, 8), size=depth + 1, replace=False))
        params, x, y = _relu_net(int(g.integers(2**32)), dims)
        cases.append((params, x, y, int(g.integers(1, depth + 1)), float(g.uniform(0.05, 0.95))))
    eta_maxes = ctx.map("max_safe_step", [(params, x, l) for params, x, _, l, _ in cases], returns=Float())
    bounds = [ctx.ref.max_safe_step(params, x, l) for params, x, _, l, _ in cases]
    for trial, ((params, x, _, l, _), eta_max, bound) in enumerate(zip(cases, eta_maxes, bounds)):
        if math.isfinite(bound):
            ctx.report_call("max_safe_step", params, x, l)
            expect(0.5 * bound <= eta_max < math.inf,
                   f"network {trial}: max_safe_step is {eta_max:.4g}, where the bound 2/(‖o‖²λ_max(M)) is "
                   f"{bound:.4g}: it should be finite and at least half of it (steps that small prove nothing)")
    # Steps below the bound itself, the same for every submission: losses and patterns as the reference's.
    fixed = [(params, x, y, l, fraction * bound) for (params, x, y, l, fraction), bound in zip(cases, bounds)
             if math.isfinite(bound) and bound > 0]
    for trial, (step, got) in enumerate(zip(fixed, ctx.map("bp_layer_step", fixed, returns=_STEP))):
        ctx.report_call("bp_layer_step", *step)
        want = ctx.ref.bp_layer_step(*step)
        assert_close(got[0], want[0], rtol=1e-10, name=f"loss_before (network {trial})")
        assert_close(got[1], want[1], rtol=1e-10, name=f"loss_after (network {trial}, η = {step[4]:.4g})")
        expect(got[2] == want[2], f"network {trial}: pattern_changed should be {want[2]} for η = {step[4]:.4g} on "
                                  f"layer {step[3]}; got {got[2]}")
    # Steps below your η_max: your own losses and pattern flags (checked above) must keep the claim.
    steps = [(params, x, y, l, fraction * eta_max) for (params, x, y, l, fraction), eta_max in zip(cases, eta_maxes)
             if math.isfinite(eta_max) and eta_max > 0]
    results = ctx.map("bp_layer_step", steps, returns=_STEP)
    for trial, (step, (before, after, changed)) in enumerate(zip(steps, results)):
        params, x, y, l, eta = step
        if not changed:
            ctx.report_call("bp_layer_step", *step)
            expect(after <= before * (1 + 1e-12) + 1e-15,
                   f"network {trial}: a step η = {eta:.4g} < η_max on layer {l} raised the cost "
                   f"from {before:.6g} to {after:.6g} without changing the activation pattern")


@exercise.check(points=1)
def bound_is_tight(ctx):
    """A designed one-layer case: at η = 2.2·η_max the cost increases (the bound 6.53 is tight)."""
    params = [(np.eye(2), np.zeros(2))]
    x, y = np.array([5.0, 5.0]), np.array([4.9, 5.1])
    eta_max = ctx.call("max_safe_step", params, x, 1, returns=Float())
    assert_close(eta_max, 2 / 50, rtol=1e-12, name="η_max of the designed case (W = I, x = [5, 5])")
    before, after, changed = ctx.call("bp_layer_step", params, x, y, 1, 2.2 * eta_max, returns=_STEP)
    expect(not changed, "the designed step should not change the activation pattern")
    expect(after > before, f"at η = 2.2·η_max the cost should increase; it went from {before:.6g} to {after:.6g}")


@exercise.check(points=1, visibility="hidden",
                given={"net": _nets(), "fraction": st.sampled_from([0.1, 0.5, 1.5, 3.0])}, max_examples=15)
def layer_step_matches_reference(ctx, net, fraction):
    """bp_layer_step's losses and pattern flag equal the reference for steps below and above η_max."""
    params, x, y, l = net
    eta_max = ctx.ref.max_safe_step(params, x, l)
    eta = fraction * (eta_max if math.isfinite(eta_max) else 0.1)
    got = ctx.call("bp_layer_step", params, x, y, l, eta, returns=_STEP)
    want = ctx.ref.bp_layer_step(params, x, y, l, eta)
    assert_close(got[0], want[0], rtol=1e-10, name="loss_before")
    assert_close(got[1], want[1], rtol=1e-10, name="loss_after")
    expect(got[2] == want[2], f"pattern_changed should be {want[2]}; got {got[2]}")
