"""The ch06 optimizer checks compare a student's steps with torch's own updates, computed through
torch's functional optimizers (``torch.optim.sgd.sgd``, ``torch.optim.adam.adam``), so that no
grading process imports ``torch._dynamo``. These tests hold that oracle to the optimizer classes
the curriculum names, bit for bit, and keep ``torch._dynamo`` out of a grading process."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import torch

from graders.chapters.ch06 import optimizers


def _class_states(make_optimizer, state_of):
    """The reference trajectory: the optimizer class stepped the usual way."""
    theta = torch.tensor(optimizers._THETA0, dtype=torch.float64, requires_grad=True)
    H = torch.from_numpy(optimizers._H)
    optimizer = make_optimizer([theta])
    states = [(optimizers._THETA0.copy(), *state_of({}))]
    for _ in range(optimizers._STEPS):
        optimizer.zero_grad()
        (0.5 * theta @ H @ theta).backward()
        optimizer.step()
        states.append((theta.detach().numpy().copy(), *state_of(optimizer.state[theta])))
    return states


def _sgd_state(state):
    buffer = state.get("momentum_buffer")  # None without momentum
    return (np.zeros(2) if buffer is None else buffer.numpy().copy(),)


def _adam_state(state):
    if not state:
        return np.zeros(2), np.zeros(2), 0.0
    return state["exp_avg"].numpy().copy(), state["exp_avg_sq"].numpy().copy(), float(state["step"])


@pytest.mark.parametrize("lr, momentum", [(0.05, 0.9), (0.1, 0.0), (0.01, 0.99)])
def test_the_sgd_oracle_is_torch_optim_sgd_bit_for_bit(lr, momentum):
    want = _class_states(lambda p: torch.optim.SGD(p, lr=lr, momentum=momentum), _sgd_state)
    got = optimizers._torch_states(optimizers.torch_sgd_update(lr, momentum), _sgd_state)
    assert len(got) == len(want) == optimizers._STEPS + 1
    for step, (g, w) in enumerate(zip(got, want)):
        for name, a, b in zip(("θ", "momentum buffer"), g, w):
            assert np.array_equal(a, b), f"{name} differs after step {step}: {a} vs {b}"


@pytest.mark.parametrize("lr", [0.05, 0.3])
def test_the_adam_oracle_is_torch_optim_adam_bit_for_bit(lr):
    want = _class_states(lambda p: torch.optim.Adam(p, lr=lr), _adam_state)
    got = optimizers._torch_states(optimizers.torch_adam_update(lr), _adam_state)
    assert len(got) == len(want) == optimizers._STEPS + 1
    for step, (g, w) in enumerate(zip(got, want)):
        for name, a, b in zip(("θ", "exp_avg", "exp_avg_sq", "step"), g, w):
            assert np.array_equal(a, b), f"{name} differs after step {step}: {a} vs {b}"


def test_the_oracles_tell_the_optimizers_apart():
    """The comparison above would notice a wrong update: Adam's and SGD's trajectories, and SGD's
    with and without momentum, differ."""
    sgd = optimizers._torch_states(optimizers.torch_sgd_update(0.05, 0.9), _sgd_state)
    plain = optimizers._torch_states(optimizers.torch_sgd_update(0.05, 0.0), _sgd_state)
    adam = optimizers._torch_states(optimizers.torch_adam_update(0.05), _adam_state)
    assert not np.array_equal(sgd[5][0], plain[5][0])
    assert not np.array_equal(sgd[5][0], adam[5][0])


def test_grading_ch06_never_imports_torch_dynamo():
    """A grading process's first-use work and a whole ch06 grading stay clear of torch._dynamo
    (2.4 s to import on a 2-core VM)."""
    code = """
import sys
from graders.chapters import load_chapter
from graders.grading.engine import grade, prepare
from tests.support.inprocess import InProcessWorker
from graders.grading.settings import get_profile
from graders.grading.submission import Submission
from graders.authoring.stubs import chapter_sources
chapter, settings = load_chapter("ch06"), get_profile("grading")
prepare(chapter, settings)
sources = chapter_sources("ch06", chapter.modules, solution=True)
solution = Submission("ch06", {name: text.encode() for name, text in sources.items()})
result = grade(solution, chapter, InProcessWorker(), settings)
assert result.score == result.max_score, result.score
print("torch._dynamo" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "False"
