"""graders/examples.py: a property's examples are drawn once and replayed; the replay runs
exactly the examples hypothesis's own run would, so it changes the time a grading takes, never
its result."""
from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis.errors import HypothesisDeprecationWarning

from graders.chapters import load_chapter
from graders.errors import WorkerLost
from graders.grading import engine
from graders.grading.outcomes import assume
from graders.grading.replay import examples as property_examples
from graders.grading.result import stable_view
from graders.grading.settings import get_profile
from graders.grading.spec import CheckSpec
from tests.graders._requests import property_runs
from tests.graders.grading.test_engine import BUGGY, CORRECT, SETTINGS, chapter, checks, submission

GRADING = get_profile("grading")


def canonical(value):
    """A comparable form of a drawn value: arrays by dtype, shape and bytes, floats by their bits,
    objects by their attributes."""
    if isinstance(value, np.ndarray):
        return ("ndarray", value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, dict):
        return ("dict", tuple((key, canonical(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(canonical(item) for item in value))
    if isinstance(value, float):
        return ("float", value.hex())
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return (type(value).__qualname__, canonical(vars(value)))
    return ("repr", repr(value))


def examples_hypothesis_runs(check: CheckSpec, count: int, seed: int, probe=None) -> list[dict]:
    """What the engine's own hypothesis run feeds ``check`` when every example passes (or, with
    ``probe``, when the body does what ``probe`` does: runs the check on the reference)."""
    seen: list[dict] = []

    def recorder(ctx, **kwargs):
        seen.append(kwargs)
        if probe is not None:
            probe(**property_examples.fresh(kwargs))
    runner = engine._property_runner(dataclasses.replace(check, func=recorder), count, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HypothesisDeprecationWarning)
        runner(None)
    return seen


@pytest.mark.parametrize("chapter_id", ["ch01", "ch02", "ch03", "ch04", "ch06"])
def test_the_replayed_examples_are_the_ones_hypothesis_runs(chapter_id):
    """Examples the reference rejects (ch06's diagonal networks keep off the ReLU kinks) are
    drawn again through it: hypothesis's run of the reference body rejects the same and
    tries the same examples."""
    from graders.grading.replay import plans
    properties = [(exercise, check) for exercise in load_chapter(chapter_id).exercises.values()
                  for check in exercise.checks if check.is_property]
    assert properties
    redrawn = []
    for exercise, check in properties:
        count = check.max_examples or GRADING.max_examples
        seed = GRADING.check_seed(f"{exercise.id}::{check.name}")
        engine._plan(check, exercise, seed, GRADING)  # where examples are drawn again through the reference
        kept = property_examples.known_examples(check, count, seed)
        assert kept, f"{exercise.id}::{check.name} has no known examples"
        rejected = property_examples.known_rejections(check, count, seed)
        probe = plans._on_reference(check, plans.ReferenceRunner(exercise), GRADING) if rejected else None
        ran = examples_hypothesis_runs(check, count, seed, probe)
        assert canonical(kept) == canonical(ran), f"{exercise.id}::{check.name}"
        if rejected:
            redrawn.append(check.name)
    if chapter_id == "ch06":
        assert sorted(redrawn) == ["diag_net_matches_finite_differences", "diag_net_matches_reference"]


def make_check(func, **given) -> CheckSpec:
    return CheckSpec(name=func.__name__, points=1, visibility="public", func=func, given=given, max_examples=10)


def test_every_replay_gets_fresh_copies_of_the_examples():
    def appends(x):
        x.append(-1)
    check = make_check(appends, x=st.lists(st.integers(0, 9), min_size=1, max_size=4))
    kept = property_examples.known_examples(check, 10, seed=1)
    before = canonical(kept)
    seen = []
    for _ in range(2):
        replay = property_examples.replay(lambda x: (appends(x), seen.append(list(x))), kept, lambda failure: False)
        assert replay.passed
    assert canonical(kept) == before and seen[:len(kept)] == seen[len(kept):]
    assert property_examples.known_examples(check, 10, seed=1) is kept  # drawn once


def test_a_replay_ends_at_the_first_example_that_does_not_pass():
    check = make_check(lambda x: None, x=st.integers(0, 1000))
    kept = property_examples.known_examples(check, 10, seed=2)
    calls = []

    def rejects_the_third(x):
        calls.append(x)
        assume(len(calls) != 3)
    rejected = property_examples.replay(rejects_the_third, kept, lambda failure: False)
    assert (rejected.passed, rejected.index, rejected.rejected, rejected.failure) == (False, 2, True, None)

    def fails_the_second(x):
        if x == kept[1]["x"]:
            raise AssertionError("wrong")
    failed = property_examples.replay(fails_the_second, kept, lambda failure: False)
    assert (failed.passed, failed.index, failed.rejected) == (False, 1, False)
    assert isinstance(failed.failure, AssertionError)

    def hangs(x):
        raise WorkerLost("timeout", "exceeded the 1 s time limit")
    with pytest.raises(WorkerLost):  # the usual run would stop at the same example, unshrunk
        property_examples.replay(hangs, kept, lambda failure: isinstance(failure, WorkerLost))


def test_each_replayed_example_sees_the_global_generators_hypothesis_seeds():
    """Code that draws from ``random`` or numpy's global generator (and changes their states)
    gets, example after example, what it gets in hypothesis's own run; the states the replay
    found are back afterwards."""
    import random

    def draws(x):
        return (random.random(), float(np.random.random()), random.getrandbits(8), float(np.random.standard_normal()))
    check = make_check(lambda ctx, x: None, x=st.integers(0, 1000))
    kept = property_examples.known_examples(check, 10, seed=3)
    under_hypothesis = []
    runner = engine._property_runner(dataclasses.replace(check, func=lambda ctx, x: under_hypothesis.append(draws(x))),
                                     10, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HypothesisDeprecationWarning)
        runner(None)
    random.seed(12345)
    np.random.seed(678)
    outside = (random.getstate(), np.random.get_state()[1].tobytes(), np.random.get_state()[2])
    replayed = []
    assert property_examples.replay(lambda x: replayed.append(draws(x)), kept, lambda failure: False).passed
    assert len(replayed) == len(kept) >= 2
    assert replayed == under_hypothesis
    assert (random.getstate(), np.random.get_state()[1].tobytes(), np.random.get_state()[2]) == outside


def test_assume_rejects_outside_hypothesis_only_where_examples_run_outside_it():
    from hypothesis.errors import UnsatisfiedAssumption
    assume(True)
    with pytest.raises(UnsatisfiedAssumption), pytest.warns(HypothesisDeprecationWarning):
        assume(False)  # outside a replay and outside hypothesis: hypothesis's own
    rejected = property_examples.replay(lambda: assume(False), [{}], lambda failure: False)
    assert rejected.rejected


@pytest.mark.parametrize("body", [CORRECT, BUGGY, "def double(x):\n    raise ValueError('no')\n"])
def test_replay_changes_the_time_not_the_result(process_worker, body, monkeypatch):
    """Replayed or not, a grading gives the same result, shrunk counterexample included; a
    correct submission never goes through a hypothesis run."""
    runs = property_runs(monkeypatch)
    views = {}
    for replay in (True, False):
        runs.clear()
        view = stable_view(engine.grade(submission(body), chapter, process_worker,
                                        SETTINGS.replace(replay_examples=replay)).to_json())
        view["settings"].pop("replay_examples")
        views[replay] = (view, list(runs))
    assert views[True][0] == views[False][0]
    assert views[False][1] == ["doubles_any_vector"]
    assert views[True][1] == ([] if body == CORRECT else ["doubles_any_vector"])


def test_a_failure_that_does_not_come_back_fails_the_check(process_worker):
    """Code that fails only on its third call fails in the replay and passes the usual run that
    follows: the check fails as not deterministic, naming the call that failed."""
    body = ("calls = [0]\n"
            "def double(x):\n"
            "    calls[0] += 1\n"
            "    x = np.asarray(x)\n"
            "    return x if calls[0] == 3 else 2 * x\n")
    check = checks(engine.grade(submission(body), chapter, process_worker, SETTINGS))["doubles_any_vector"]
    assert check.status == "failed" and check.points == 0
    assert "is your code deterministic?" in check.message and "double(x) is wrong" in check.message
    assert check.counterexample.startswith("Failing test case: double(array(")


def test_what_hypothesis_draws_does_not_depend_on_what_was_imported(tmp_path, monkeypatch):
    """Hypothesis also draws literal constants of the local modules loaded at the time; the
    grader pins that pool, or a seed would draw other examples once a module full of small
    integers (a reference solution, a student's module in-process) has been imported."""
    check = make_check(lambda x: None, x=st.lists(st.integers(0, 1000), min_size=5, max_size=5))
    before = property_examples._draw(check, 50, seed=3)
    probe = tmp_path / "geodl_constants_probe.py"
    probe.write_text("VALUES = [" + ", ".join(str(n) for n in range(101, 1000, 7)) + "]\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    __import__("geodl_constants_probe")
    assert canonical(property_examples._draw(check, 50, seed=3)) == canonical(before)


def test_a_prepared_process_has_drawn_every_propertys_examples(process_worker, monkeypatch):
    """``engine.prepare`` (a grading process's head start, while its sandbox starts) draws the
    examples the first grading would otherwise draw."""
    monkeypatch.setattr(property_examples, "_KNOWN", {})
    real, drawn = property_examples._draw, []
    monkeypatch.setattr(property_examples, "_draw", lambda check, *rest: drawn.append(check.name) or real(check, *rest))
    engine.prepare(chapter, SETTINGS)
    assert drawn == ["doubles_any_vector"]
    assert checks(engine.grade(submission(CORRECT), chapter, process_worker, SETTINGS))["doubles_any_vector"].passed
    assert drawn == ["doubles_any_vector"]
