"""ch06.optimizers — momentum (6.20–6.21), Adam, and the minibatch gradient (6.19)."""
from __future__ import annotations

import itertools

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, Tuple, arrays, assert_close, rng, uniform
from graders.authoring.oracles import oracle

exercise = Exercise(module="ch06.optim", title="Momentum, Adam and minibatch gradients",
                    functions=("momentum_step", "momentum_unrolled", "adam_step", "minibatch_grad"))

# The quadratic ½θᵀHθ of the trajectory checks, and its start.
_H = np.array([[3.0, 1.0], [1.0, 2.0]])
_THETA0 = np.array([1.0, -2.0])
_STEPS = 50


def _state(p: int, *names: str) -> Tuple:
    """An optimizer's new state: one array of shape (p,) per name (θ, V...)."""
    return Tuple(*[Array((p,), label=f"the new {name}") for name in names])


def _torch_states(update, state_of) -> list[tuple[np.ndarray, ...]]:
    """The states of a torch optimizer on ½θᵀHθ in float64, before the first step and after each
    of the ``_STEPS`` steps: ``(θ, *state_of(state))``, where ``state`` is the optimizer's state
    for θ (empty before the first step).

    ``update(θ, grad, state)`` is the optimizer's own update: the functional form that
    ``torch.optim.SGD.step`` and ``torch.optim.Adam.step`` call (``torch.optim.sgd.sgd``,
    ``torch.optim.adam.adam``), with the state the classes keep. The classes themselves import
    ``torch._dynamo`` on first use, seconds of every grading process's start;
    tests/chapters/test_ch06_torch_oracles.py holds these trajectories bit for bit equal to the
    classes'. torch, the oracle, is imported on first use (see graders.chapters: a chapter's spec
    loads without it)."""
    import torch

    theta = torch.tensor(_THETA0, dtype=torch.float64, requires_grad=True)
    H = torch.from_numpy(_H)
    state: dict = {}
    states = [(_THETA0.copy(), *state_of(state))]
    for _ in range(_STEPS):
        theta.grad = None
        (0.5 * theta @ H @ theta).backward()
        with torch.no_grad():
            update(theta, theta.grad, state)
        states.append((theta.detach().numpy().copy(), *state_of(state)))
    return states


def torch_sgd_update(lr: float, momentum: float):
    """``torch.optim.SGD(lr=lr, momentum=momentum)``'s step on one parameter (its other options at
    their defaults); the momentum buffer is kept in ``state["momentum_buffer"]``."""
    from torch.optim.sgd import sgd

    def update(theta, grad, state):
        buffers = [state.get("momentum_buffer")]
        sgd([theta], [grad], buffers, weight_decay=0.0, momentum=momentum, lr=lr, dampening=0.0, nesterov=False,
            maximize=False)
        state["momentum_buffer"] = buffers[0]
    return update


def torch_adam_update(lr: float):
    """``torch.optim.Adam(lr=lr)``'s step on one parameter (its other options at their defaults);
    the state is kept as the class keeps it: ``step`` (a float32 scalar tensor), ``exp_avg`` and
    ``exp_avg_sq``."""
    import torch
    from torch.optim.adam import adam

    def update(theta, grad, state):
        if not state:
            state.update(step=torch.tensor(0.0), exp_avg=torch.zeros_like(theta), exp_avg_sq=torch.zeros_like(theta))
        adam([theta], [grad], [state["exp_avg"]], [state["exp_avg_sq"]], [], [state["step"]], amsgrad=False,
             beta1=0.9, beta2=0.999, lr=lr, weight_decay=0.0, eps=1e-8, maximize=False)
    return update


def _independent_states(seed: int, count: int = _STEPS) -> list[tuple[np.ndarray, ...]]:
    """``count`` states on ½θᵀHθ drawn independently: θ (2,), a second moment-like array (2,) and
    a non-negative one (2,), each step checked from its own. (A trajectory in one request would
    hand the student's code step k's expected answer as step k + 1's input.)"""
    g = rng(seed)
    return [(g.normal(0, 2, 2), g.normal(0, 1, 2), g.uniform(0, 2, 2)) for _ in range(count)]


@oracle
def _torch_momentum_steps(states: list[tuple[np.ndarray, np.ndarray]], eta: float,
                          beta: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """One step of torch.optim.SGD(lr=η, momentum=β) on ½θᵀHθ from each (θ, V) of ``states``:
    the new (θ, V), V being −η times torch's momentum buffer."""
    import torch

    update = torch_sgd_update(eta, beta)
    want = []
    for theta, V in states:
        t = torch.tensor(theta)
        state = {"momentum_buffer": torch.tensor(-V / eta)}
        update(t, torch.from_numpy(_H @ theta), state)
        want.append((t.numpy().copy(), -eta * state["momentum_buffer"].numpy()))
    return want


@oracle
def _torch_adam_steps(states: list[tuple[np.ndarray, np.ndarray, np.ndarray, int]],
                      lr: float) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """One step of torch.optim.Adam(lr=lr) on ½θᵀHθ from each (θ, m, v, t) of ``states`` (t the
    number of the step about to be made): the new (θ, m, v)."""
    import torch

    update = torch_adam_update(lr)
    want = []
    for theta, m, v, step in states:
        t = torch.tensor(theta)
        state = {"step": torch.tensor(float(step - 1)), "exp_avg": torch.tensor(m), "exp_avg_sq": torch.tensor(v)}
        update(t, torch.from_numpy(_H @ theta), state)
        want.append((t.numpy().copy(), state["exp_avg"].numpy(), state["exp_avg_sq"].numpy()))
    return want


@exercise.check(points=2)
def momentum_matches_torch_sgd(ctx):
    """50 momentum steps on ½θᵀHθ, H = [[3, 1], [1, 2]], each from an independently drawn θ and
    velocity, equal one step of torch.optim.SGD(lr=η, momentum=β) from the same state (relative
    1e-12, float64; the book's V is −η times torch's momentum buffer)."""
    eta, beta = 0.05, 0.9
    states = [(theta, V) for theta, V, _ in _independent_states(606)]
    calls = [(theta, V, _H @ theta, eta, beta) for theta, V in states]
    want = _torch_momentum_steps(states, eta, beta)
    results = ctx.map("momentum_step", calls, returns=_state(2, "θ", "V"))
    for step, (args, (theta, V), expected) in enumerate(zip(calls, results, want), start=1):
        ctx.report_call("momentum_step", *args)
        assert_close(theta, expected[0], rtol=1e-12, name=f"θ after momentum step {step}")
        assert_close(V, expected[1], rtol=1e-12, name=f"V after momentum step {step}")


@exercise.check(points=2)
def adam_matches_torch_adam(ctx):
    """50 Adam steps on ½θᵀHθ, each from an independently drawn θ, moments and step number
    t ∈ [1, 50], equal one step of torch.optim.Adam(lr=0.05) from the same state (relative 1e-10)."""
    lr = 0.05
    steps = rng(607).integers(1, _STEPS + 1, size=_STEPS)
    states = [(theta, m, v, int(step)) for (theta, m, v), step in zip(_independent_states(608), steps)]
    calls = [(theta, m, v, _H @ theta, step, lr) for theta, m, v, step in states]
    want = _torch_adam_steps(states, lr)
    results = ctx.map("adam_step", calls, returns=_state(2, "θ", "m", "v"))
    for step, (args, result, expected) in enumerate(zip(calls, results, want), start=1):
        ctx.report_call("adam_step", *args)
        for label, got, value in zip(("θ", "m", "v"), result, expected):
            assert_close(got, value, rtol=1e-10, name=f"{label} after Adam step {step} (t = {args[4]})")


#: t gradients of p parameters (t ≠ p), a learning rate and a momentum.
_schedules = {"case": arrays(grads=("t", "p"), dims={"t": (1, 12), "p": (1, 5)}),
              "eta": st.sampled_from([0.01, 0.1, 0.5]), "beta": st.sampled_from([0.0, 0.5, 0.9, 0.99])}


@exercise.check(points=1, given=_schedules, max_examples=15)
def recursive_equals_unrolled(ctx, case, eta, beta):
    """Ex 6.2: the recursion and the unrolled form (6.20) agree at every step: momentum_unrolled
    of the first k gradients is −η Σ_j β^{k−j} ∇c_j, and one momentum step from it (V = 0 before
    the first) gives that of the first k + 1 (relative 1e-12 of η Σ_j |∇c_j|)."""
    grads, p = case.grads, case.p                                  # (t, p)
    prefixes = [(grads[:k], eta, beta) for k in range(1, case.t + 1)]
    unrolled = ctx.map("momentum_unrolled", prefixes, returns=Array((p,)))
    before = [np.zeros(p), *unrolled[:-1]]
    calls = [(np.zeros(p), V, g, eta, beta) for V, g in zip(before, grads)]
    results = ctx.map("momentum_step", calls, returns=_state(p, "θ", "V"))
    for k, (prefix, args, (_, V), got) in enumerate(zip(prefixes, calls, results, unrolled), start=1):
        want = ctx.ref.momentum_unrolled(*prefix)
        scale = eta * float(np.max(np.abs(prefix[0]).sum(axis=0)))
        ctx.report_call("momentum_unrolled", *prefix)
        assert_close(got, want, rtol=1e-12, scale=scale, name=f"momentum_unrolled of the first {k} gradients")
        ctx.report_call("momentum_step", *args)
        assert_close(V, want, rtol=1e-12, scale=scale,
                     name=f"the velocity after recursive step {k} (from momentum_unrolled of the first {k - 1})")


@exercise.check(points=1, visibility="hidden", given=_schedules, max_examples=15)
def unrolled_closed_form(ctx, case, eta, beta):
    """momentum_unrolled equals −η Σ_k β^{t−k} ∇c_k (relative 1e-12)."""
    got = ctx.call("momentum_unrolled", case.grads, eta, beta)
    assert_close(got, ctx.ref.momentum_unrolled(case.grads, eta, beta), rtol=1e-12, name="momentum_unrolled")


@exercise.check(points=1, visibility="hidden",
                given={"case": arrays(theta="p", m="p", grad="p", v=uniform(0.01, 2.0, "p"), dims=(1, 6)),
                       "t": st.integers(1, 60), "betas": st.sampled_from([(0.9, 0.999), (0.5, 0.9), (0.0, 0.99)]),
                       "eps": st.sampled_from([1e-8, 1e-3, 0.5])},
                max_examples=20)
def adam_step_formula(ctx, case, t, betas, eps):
    """One Adam step from arbitrary moments and step number equals the formula (relative 1e-12):
    bias correction with β₁ᵗ and β₂ᵗ, ε outside the square root."""
    args = (case.theta, case.m, case.v, case.grad, t, 0.1, betas[0], betas[1], eps)
    got = ctx.call("adam_step", *args, returns=Tuple(Array(), Array(), Array()))
    want = ctx.ref.adam_step(*args)
    for label, a, b in zip(("θ", "m", "v"), got, want):
        assert_close(a, b, rtol=1e-12, name=f"the new {label}")


@exercise.check(points=1)
def minibatch_is_unbiased(ctx):
    """Averaged over all 15 minibatches of size 2 from N = 6 samples, the estimate equals the
    full gradient Σ_i ∇ℓ_i (relative 1e-12)."""
    per_sample = rng(62).normal(size=(6, 3))  # (N, p)
    batches = [(per_sample, list(idx)) for idx in itertools.combinations(range(6), 2)]
    estimates = ctx.map("minibatch_grad", batches, returns=Array((3,)))
    assert_close(np.mean(estimates, axis=0), per_sample.sum(axis=0), rtol=1e-12,
                 name="the average of minibatch_grad over all minibatches")


@exercise.check(points=1, visibility="hidden",
                given={"case": arrays(per_sample=("n", "p"), dims={"n": (2, 9), "p": (1, 4)}), "k": st.integers(1, 9)},
                max_examples=15)
def minibatch_formula(ctx, case, k):
    """minibatch_grad equals (N/|I|) Σ_{i∈I} ∇ℓ_i, repeated indices counted (relative 1e-12)."""
    idx = [int(i) for i in case.rng.integers(0, case.n, size=k)]
    got = ctx.call("minibatch_grad", case.per_sample, idx)
    assert_close(got, ctx.ref.minibatch_grad(case.per_sample, idx), rtol=1e-12, name="minibatch_grad")
