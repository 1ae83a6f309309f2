"""ch06.optimizers — momentum (6.20–6.21), Adam, and the minibatch gradient (6.19)."""
from __future__ import annotations

import itertools

import numpy as np
import torch
from hypothesis import strategies as st

from graders.chapters.ch06 import chapter
from graders.checks import as_array, as_sequence, assert_close
from graders.checks.strategies import rng, seeds

exercise = chapter.exercise(
    "ch06.optimizers",
    module="ch06.optim",
    functions=("momentum_step", "momentum_unrolled", "adam_step", "minibatch_grad"),
    reference="geodl_ref.ch06.optim",
    forbidden=("torch",),
    title="Momentum, Adam and minibatch gradients",
)

# The quadratic ½θᵀHθ of the trajectory checks, and its start.
_H = np.array([[3.0, 1.0], [1.0, 2.0]])
_THETA0 = np.array([1.0, -2.0])
_STEPS = 50


def _pair(value, name, shape):
    first, second = as_sequence(value, name=name, length=2)
    return as_array(first, name=f"{name}[0]", shape=shape), as_array(second, name=f"{name}[1]", shape=shape)


def _torch_trajectory(make_optimizer) -> list[np.ndarray]:
    """θ after each of the steps of a torch optimizer on ½θᵀHθ, in float64."""
    theta = torch.tensor(_THETA0, dtype=torch.float64, requires_grad=True)
    H = torch.from_numpy(_H)
    optimizer = make_optimizer([theta])
    path = []
    for _ in range(_STEPS):
        optimizer.zero_grad()
        (0.5 * theta @ H @ theta).backward()
        optimizer.step()
        path.append(theta.detach().numpy().copy())
    return path


@exercise.check(points=2, visibility="public")
def momentum_matches_torch_sgd(ctx):
    """50 momentum steps on ½θᵀHθ, H = [[3, 1], [1, 2]], equal torch.optim.SGD(lr=η, momentum=β)
    step by step (relative 1e-12, float64)."""
    eta, beta = 0.05, 0.9
    expected = _torch_trajectory(lambda p: torch.optim.SGD(p, lr=eta, momentum=beta))
    theta, V = _THETA0.copy(), np.zeros(2)
    for step, want in enumerate(expected, start=1):
        theta, V = _pair(ctx.call("momentum_step", theta, V, _H @ theta, eta, beta), "momentum_step's result", (2,))
        assert_close(theta, want, rtol=1e-12, name=f"θ after momentum step {step}")


@exercise.check(points=2, visibility="public")
def adam_matches_torch_adam(ctx):
    """50 Adam steps on ½θᵀHθ equal torch.optim.Adam(lr=0.05) step by step (relative 1e-10)."""
    lr = 0.05
    expected = _torch_trajectory(lambda p: torch.optim.Adam(p, lr=lr))
    theta, m, v = _THETA0.copy(), np.zeros(2), np.zeros(2)
    for step, want in enumerate(expected, start=1):
        result = as_sequence(ctx.call("adam_step", theta, m, v, _H @ theta, step, lr), name="adam_step's result", length=3)
        theta, m, v = (as_array(r, name=f"adam_step's result[{i}]", shape=(2,)) for i, r in enumerate(result))
        assert_close(theta, want, rtol=1e-10, name=f"θ after Adam step {step}")


_schedules = st.fixed_dictionaries({
    "t": st.integers(1, 12), "p": st.integers(1, 5), "seed": seeds(),
    "eta": st.sampled_from([0.01, 0.1, 0.5]), "beta": st.sampled_from([0.0, 0.5, 0.9, 0.99]),
})


@exercise.check(points=1, visibility="public", given={"case": _schedules}, max_examples=15)
def recursive_equals_unrolled(ctx, case):
    """Ex 6.2: t momentum steps from V = 0 give the velocity of the unrolled form (6.20), 1e-12."""
    grads = rng(case["seed"]).normal(size=(case["t"], case["p"]))  # (t, p)
    theta, V = np.zeros(case["p"]), np.zeros(case["p"])
    for g in grads:
        theta, V = _pair(ctx.call("momentum_step", theta, V, g, case["eta"], case["beta"]), "momentum_step's result", (case["p"],))
    unrolled = ctx.call("momentum_unrolled", grads, case["eta"], case["beta"])
    assert_close(unrolled, V, rtol=1e-12, name="momentum_unrolled vs the velocity after the recursive steps")


@exercise.check(points=1, visibility="hidden", given={"case": _schedules}, max_examples=15)
def unrolled_closed_form(ctx, case):
    """momentum_unrolled equals −η Σ_k β^{t−k} ∇c_k (relative 1e-12)."""
    grads = rng(case["seed"]).normal(size=(case["t"], case["p"]))
    got = ctx.call("momentum_unrolled", grads, case["eta"], case["beta"])
    assert_close(got, ctx.ref.momentum_unrolled(grads, case["eta"], case["beta"]), rtol=1e-12, name="momentum_unrolled")


@exercise.check(points=1, visibility="hidden",
                given={"seed": seeds(), "t": st.integers(1, 60), "p": st.integers(1, 6),
                       "betas": st.sampled_from([(0.9, 0.999), (0.5, 0.9), (0.0, 0.99)]), "eps": st.sampled_from([1e-8, 1e-3, 0.5])},
                max_examples=20)
def adam_step_formula(ctx, seed, t, p, betas, eps):
    """One Adam step from arbitrary moments and step number equals the formula (relative 1e-12):
    bias correction with β₁ᵗ and β₂ᵗ, ε outside the square root."""
    g = rng(seed)
    theta, m, grad = g.normal(size=p), g.normal(size=p), g.normal(size=p)
    v = g.uniform(0.01, 2.0, size=p)
    got = as_sequence(ctx.call("adam_step", theta, m, v, grad, t, 0.1, betas[0], betas[1], eps), name="adam_step's result", length=3)
    want = ctx.ref.adam_step(theta, m, v, grad, t, 0.1, betas[0], betas[1], eps)
    for label, a, b in zip(("θ", "m", "v"), got, want):
        assert_close(a, b, rtol=1e-12, name=f"the new {label}")


@exercise.check(points=1, visibility="public")
def minibatch_is_unbiased(ctx):
    """Averaged over all 15 minibatches of size 2 from N = 6 samples, the estimate equals the
    full gradient Σ_i ∇ℓ_i (relative 1e-12)."""
    per_sample = rng(62).normal(size=(6, 3))  # (N, p)
    batches = [(per_sample, list(idx)) for idx in itertools.combinations(range(6), 2)]
    estimates = [as_array(e, name="minibatch_grad", shape=(3,)) for e in ctx.map("minibatch_grad", batches)]
    assert_close(np.mean(estimates, axis=0), per_sample.sum(axis=0), rtol=1e-12,
                 name="the average of minibatch_grad over all minibatches")


@exercise.check(points=1, visibility="hidden",
                given={"seed": seeds(), "n": st.integers(2, 9), "p": st.integers(1, 4), "k": st.integers(1, 9)},
                max_examples=15)
def minibatch_formula(ctx, seed, n, p, k):
    """minibatch_grad equals (N/|I|) Σ_{i∈I} ∇ℓ_i, repeated indices counted (relative 1e-12)."""
    g = rng(seed)
    per_sample = g.normal(size=(n, p))
    idx = [int(i) for i in g.integers(0, n, size=k)]
    got = ctx.call("minibatch_grad", per_sample, idx)
    assert_close(got, ctx.ref.minibatch_grad(per_sample, idx), rtol=1e-12, name="minibatch_grad")
