"""graders/plans.py: a replayed property's calls, planned on the reference and made in one quiet
stream, give the result the one-by-one replay gives (stateful code, hangs and crashes included)
in fewer round trips; a body whose later inputs depend on an answer leaves the plan."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import strategies as st

from graders.authoring.checks import as_array, assert_close
from graders.grading.engine import grade
from graders.grading.outcomes import assume
from graders.grading.replay import plans
from graders.grading.result import stable_view
from graders.grading.settings import get_profile
from graders.grading.spec import Chapter
from graders.grading.submission import Submission
from graders.worker import wire
from tests.graders._requests import property_runs, sent_requests

chapter = Chapter("ch94", title="planned calls test chapter")
twice = chapter.exercise("ch94.twice", module="ch94.twice", functions=("double",), reference=__name__)


def double(x):
    """The reference solution (this module stands for ``geodl_ref``)."""
    return 2 * np.asarray(x)


@twice.check(points=2, given={"x": st.lists(st.integers(0, 100), min_size=1, max_size=8)}, max_examples=30)
def doubles_any_vector(ctx, x):
    """double(x) = 2x."""
    x = np.array(x, dtype=float)
    assert_close(as_array(ctx.call("double", x), name="double(x)", shape=x.shape), 2 * x, rtol=1e-12, name="double(x)")


@twice.check(points=1, given={"k": st.integers(1, 50)}, max_examples=20)
def doubling_twice_quadruples(ctx, k):
    """double(double(k)) = 4k: the second call's input is the first call's answer."""
    once = as_array(ctx.call("double", np.array([k / 3])), name="double(x)", shape=(1,))
    assert_close(ctx.call("double", once), 4 * np.array([k / 3]), rtol=1e-12, name="double(double(x))")


#: checks whose plans are looked at, not graded
planned_only = Chapter("ch93", title="plans looked at").exercise("ch93.twice", module="ch93.twice",
                                                                  functions=("double",), reference=__name__)


@planned_only.check(points=1, given={"k": st.integers(1, 50)}, max_examples=20)
def doubling_a_shifted_answer(ctx, k):
    """double(double(k) + 1) = 4k + 2: the second call's input is computed from the first answer."""
    once = as_array(ctx.call("double", np.array([k / 3])), name="double(x)", shape=(1,))
    assert_close(ctx.call("double", once + 1.0), 4 * np.array([k / 3]) + 2, rtol=1e-12, name="double(double(x) + 1)")


SETTINGS = get_profile("grading").replace(call_timeout_s=1.0, exercise_timeout_s=8.0)
CORRECT = "def double(x):\n    return 2 * np.asarray(x)\n"
BODIES = {
    "correct": CORRECT,
    "wrong for large values": ("def double(x):\n    x = np.asarray(x)\n"
                               "    return 2 * x if x.size < 3 or x.max() < 50 else x\n"),
    "raises": "def double(x):\n    raise ValueError('no')\n",
    # right to 1e-15 but not bit for bit: double(double(k)) is asked with other inputs than planned
    "drifts": "def double(x):\n    x = np.asarray(x)\n    return 2 * x * (1 + 1e-15)\n",
    # wrong on its 7th call only: the planned stream must make the calls in the same order
    "stateful": ("calls = [0]\ndef double(x):\n    calls[0] += 1\n"
                 "    return np.asarray(x) if calls[0] == 7 else 2 * np.asarray(x)\n"),
}


def submission(body: str) -> Submission:
    return Submission("ch94", {"ch94/twice.py": ("import numpy as np\n" + body).encode()})


def graded(worker, body: str, *, plan: bool, monkeypatch) -> tuple[dict, list[str]]:
    """The result without its settings, and the requests sent."""
    sent = sent_requests(monkeypatch)
    view = stable_view(grade(submission(body), chapter, worker, SETTINGS.replace(plan_calls=plan)).to_json())
    view.pop("settings")
    monkeypatch.undo()
    return view, sent


def test_every_check_has_a_plan_recorded_on_the_reference():
    from graders.grading.engine import _check_seed, _example_count, _kept_examples
    target = {"module": "ch94.twice", "path": ["double"]}
    for check in twice.checks:
        seed = _check_seed(SETTINGS, twice, check)
        assert _kept_examples(check, seed, SETTINGS)
        plan = plans.known_plan(check, twice, _example_count(check, SETTINGS), seed, SETTINGS)
        assert plan is not None and len(plan.calls) == len(plan.keys) == len(plan.budgets) >= 5
        for item, budget in zip(plan.calls, plan.budgets):
            if item.get("op") == "batch":  # ctx.map: one item of several calls
                assert budget == len(item["calls"]) and all(one["target"] == target for one in item["calls"])
            else:
                assert budget == 1 and item["target"] == target


@pytest.mark.parametrize("name", sorted(BODIES))
def test_planned_calls_change_the_round_trips_not_the_result(process_worker, name, monkeypatch):
    planned, planned_sent = graded(process_worker, BODIES[name], plan=True, monkeypatch=monkeypatch)
    single, single_sent = graded(process_worker, BODIES[name], plan=False, monkeypatch=monkeypatch)
    assert planned == single
    if name == "correct":
        checks = planned["exercises"][0]["checks"]
        assert all(c["status"] == "passed" for c in checks)
        assert planned_sent.count("stream") == 4, planned_sent
        assert len(planned_sent) < len(single_sent) / 5, (planned_sent, len(single_sent))
    if name == "drifts":  # the second call passes the first answer back: the session passes its own
        assert planned["exercises"][0]["checks"][1]["status"] == "passed"
        assert planned_sent.count("call") == 0 and planned_sent.count("stream") == 4, planned_sent
    if name == "stateful":
        assert "is your code deterministic?" in planned["exercises"][0]["checks"][0]["message"]


@pytest.mark.parametrize("fault, status", [("while True:\n            pass", "timeout"),
                                           ("import os\n        os._exit(3)", "crashed")])
def test_a_hang_or_crash_in_a_planned_call_names_the_same_call(process_worker, fault, status, monkeypatch):
    body = f"def double(x):\n    x = np.asarray(x)\n    if x.size > 4:\n        {fault}\n    return 2 * x\n"
    planned, _ = graded(process_worker, body, plan=True, monkeypatch=monkeypatch)
    single, _ = graded(process_worker, body, plan=False, monkeypatch=monkeypatch)
    check = planned["exercises"][0]["checks"][0]
    assert check["status"] == status and check["counterexample"].startswith("Failing test case: double(")
    assert planned == single


def test_the_in_process_floor_answers_planned_calls_alike(process_worker, monkeypatch):
    from tests.support.inprocess import InProcessWorker
    for body in (CORRECT, BODIES["wrong for large values"]):
        boxed, _ = graded(process_worker, body, plan=True, monkeypatch=monkeypatch)
        floor = stable_view(grade(submission(body), chapter, InProcessWorker(), SETTINGS).to_json())
        floor.pop("settings")
        assert floor == boxed


def test_checks_that_ask_for_handles_or_text_have_no_plan():
    """Handles and text answers are not planned: those bodies make their calls one by one."""
    other = Chapter("ch93", title="unplannable")
    ex = other.exercise("ch93.m", module="ch93.m", functions=("double",), reference=__name__)

    @ex.check(points=1, given={"k": st.integers(1, 5)}, max_examples=5)
    def as_text(ctx, k):
        """double as text."""
        ctx.text("double", np.ones(k))

    @ex.check(points=1, given={"k": st.integers(1, 5)}, max_examples=5)
    def mapped_then_text(ctx, k):
        """double over a batch, then as text."""
        ctx.map("double", [(np.ones(k),)])
        ctx.text("double", np.ones(k))

    from graders.grading.engine import _check_seed, _example_count, _kept_examples
    for check in ex.checks:
        seed = _check_seed(SETTINGS, ex, check)
        assert _kept_examples(check, seed, SETTINGS)
        assert plans.known_plan(check, ex, _example_count(check, SETTINGS), seed, SETTINGS) is None


@twice.check(points=1, given={"n": st.integers(1, 6)}, max_examples=10)
def doubles_a_batch(ctx, n):
    """double over n vectors at once (``ctx.map``); the failing one named."""
    vectors = [(np.full(3, float(k)),) for k in range(n)]
    for (x,), got in zip(vectors, ctx.map("double", vectors)):
        ctx.report_call("double", x)
        assert_close(as_array(got, name="double(x)", shape=x.shape), 2 * x, rtol=1e-12, name="double(x)")


@pytest.mark.parametrize("recorded_twice", [True, False])
def test_a_plan_whose_first_call_is_missed_is_dropped(process_worker, monkeypatch, recorded_twice):
    """A body whose inputs do not come from its examples alone (here an unseeded generator)
    records other calls when its plan is recorded again (the answer-dependence pass): it gets no
    plan. Where the two recordings happened to agree, it would never make its planned calls:
    after one grading, the check goes one call at a time without sending a stream first."""
    if not recorded_twice:
        monkeypatch.setattr(plans, "_independent_part", lambda plan, *args: plan)
    restless = Chapter("ch92", title="a check with fresh randomness")
    ex = restless.exercise("ch92.twice", module="ch92.twice", functions=("double",), reference=__name__)

    @ex.check(points=1, given={"k": st.integers(1, 5)}, max_examples=5)
    def doubles_fresh_noise(ctx, k):
        """double(x) = 2x for x drawn afresh each time."""
        x = np.random.default_rng().normal(size=k)
        got = as_array(ctx.call("double", x), name="double(x)", shape=x.shape)
        assert_close(got, 2 * x, rtol=1e-12, name="double(x)")

    body = Submission("ch92", {"ch92/twice.py": ("import numpy as np\n" + CORRECT).encode()})
    for round_, streams in enumerate((0, 0) if recorded_twice else (1, 0)):
        with pytest.MonkeyPatch.context() as patch:
            sent = sent_requests(patch)
            result = grade(body, restless, process_worker, SETTINGS)
        assert result.exercises[0].checks[0].status == "passed"
        assert sent.count("stream") == streams, (round_, sent)
        assert sent.count("call") == 5


@twice.check(points=1, given={"x": st.integers(-20, 20)}, max_examples=15)
def doubles_odd_numbers(ctx, x):
    """double(x) = 2x for odd x: the even ones are rejected before any call, whatever the code."""
    assume(x % 2 == 1)
    assert_close(ctx.call("double", np.array([float(x)])), np.array([2.0 * x]), rtol=1e-12, name="double(x)")


def test_examples_the_reference_rejects_are_drawn_again_and_replayed_as_hypothesis_runs_them(process_worker,
                                                                                            monkeypatch):
    """Hypothesis draws other examples after one it rejects. Where the reference rejects some,
    the examples are drawn again through it, with the rejected indices: they are the ones
    hypothesis's own run tries, a correct submission replays them without a hypothesis run, and
    every submission gets the result that hypothesis's own run gives."""
    import dataclasses

    from graders.grading import engine
    from graders.grading.replay import examples as property_examples
    check = twice.checks[-1]
    assert check.name == "doubles_odd_numbers"
    seed, count = engine._check_seed(SETTINGS, twice, check), engine._example_count(check, SETTINGS)
    assert plans.known_plan(check, twice, count, seed, SETTINGS) is not None
    kept = property_examples.known_examples(check, count, seed)
    rejected = property_examples.known_rejections(check, count, seed)
    assert rejected and {i for i, example in enumerate(kept) if example["x"] % 2 == 0} == rejected
    assert len(kept) - len(rejected) == count

    seen = []

    def rejects_as_the_check_does(ctx, x):
        seen.append(x)
        assume(x % 2 == 1)
    engine._property_runner(dataclasses.replace(check, func=rejects_as_the_check_does), count, seed)(None)
    assert seen == [example["x"] for example in kept]

    runs = property_runs(monkeypatch)
    through_hypothesis = SETTINGS.replace(replay_examples=False)
    for name in ("correct", "wrong for large values", "raises", "drifts"):
        runs.clear()
        replayed = stable_view(grade(submission(BODIES[name]), chapter, process_worker, SETTINGS).to_json())
        if name == "correct":
            assert replayed["exercises"][0]["checks"][-1]["status"] == "passed" and not runs
        usual = stable_view(grade(submission(BODIES[name]), chapter, process_worker, through_hypothesis).to_json())
        replayed.pop("settings"), usual.pop("settings")
        assert replayed == usual, name


def test_an_answer_made_ahead_stands_for_the_call_and_keeps_every_other_field():
    import dataclasses

    from graders.grading.outcomes import CallOutcome
    outcome = CallOutcome(**{field.name: f"{field.name} value" for field in dataclasses.fields(CallOutcome)})
    assert outcome.answering("the call", "getattr") == dataclasses.replace(outcome, call="the call", when="getattr")


@planned_only.check(points=1, given={"k": st.integers(1, 50)}, max_examples=20)
def doubling_an_answer_changed_in_place(ctx, k):
    """double(double(k) + 1) = 4k + 2, the answer changed in place before it is passed back."""
    once = as_array(ctx.call("double", np.array([k / 3])), name="double(x)", shape=(1,))
    once += 1.0
    assert_close(ctx.call("double", once), 4 * np.array([k / 3]) + 2, rtol=1e-12, name="double(double(x) + 1)")


def _plan_of(exercise, name: str) -> plans.Plan:
    from graders.grading.engine import _check_seed, _example_count
    check = next(c for c in exercise.checks if c.name == name)
    plan = plans.known_plan(check, exercise, _example_count(check, SETTINGS), _check_seed(SETTINGS, exercise, check),
                            SETTINGS)
    assert plan is not None
    return plan


def test_an_answer_passed_back_is_planned_as_a_reference_to_the_sessions_own():
    """The stream sent ahead carries no answer of the reference's: the second call of each
    example names the first call's answer, which the session fills in with its own."""
    plan = _plan_of(twice, "doubling_twice_quadruples")
    assert len(plan.calls) == 40
    for index in range(1, 40, 2):
        assert plan.calls[index]["args"] == [wire.AnswerRef(index - 1, ())]
        assert not isinstance(plan.calls[index - 1]["args"][0], wire.AnswerRef)
    assert plan.keep == frozenset(range(0, 40, 2))


def test_a_call_computed_from_an_answer_ends_the_plan():
    """``double(once + 1)`` reveals the reference's answer ``once`` to code that reads the stream,
    and so does ``once`` changed in place: the plan stops before the first such call (it and the
    rest go one by one)."""
    for name in ("doubling_a_shifted_answer", "doubling_an_answer_changed_in_place"):
        plan = _plan_of(planned_only, name)
        assert len(plan.calls) == 1 and not plan.keep, name


def test_no_plan_of_any_chapter_sends_a_reference_answer_ahead():
    """Over every planned check of every chapter: no value a call sends (a batch's included)
    equals a float answer the reference gave to an earlier call of the plan, unless it was sent
    before that answer came (an input an answer hands back, as a cache's first layer does)."""
    from graders.chapters import available_chapters, load_chapter
    from graders.grading.engine import _check_seed, _example_count

    settings = get_profile("grading").replace(include_hidden=True)
    planned = 0
    for chapter_id in available_chapters():
        for exercise in load_chapter(chapter_id).exercises.values():
            for check in (c for c in exercise.checks if c.is_property):
                plan = plans.known_plan(check, exercise, _example_count(check, settings),
                                        _check_seed(settings, exercise, check), settings)
                if plan is None:
                    continue
                planned += 1
                leaks = _reference_answers_sent(exercise, plan)
                assert not leaks, f"{exercise.id}::{check.name} sends {leaks[0]}"
    assert planned >= 80


def _float_leaves(value):
    """The floats in ``value`` that are not whole numbers, each as an array."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f" and value.size and not np.all(value == np.round(value)):
            yield value
    elif isinstance(value, float):
        if not value.is_integer():
            yield np.array(value)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _float_leaves(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _float_leaves(item)


def _reference_answers_sent(exercise, plan: plans.Plan) -> list[str]:
    """Where the plan sends an answer the reference gave to an earlier call, or an earlier item of
    the same batch (in the order the session runs them)."""
    runner, sent, answers, found = plans.ReferenceRunner(exercise), [], [], []
    for index, call in enumerate(plan.calls):
        for item in call.get("calls", [call]) if call.get("op") == "batch" else [call]:
            for leaf in _float_leaves([item.get("args", []), item.get("kwargs", {})]):
                if any(_same(leaf, answer) for answer in answers):
                    found.append(f"in call {index} a value the reference answered earlier: {leaf!r}"[:300])
                sent.append(leaf)
            try:
                answer = runner._answer(item)
            except Exception:  # noqa: BLE001 - a refusal is an answer with no value
                continue
            answers.extend(a for a in _float_leaves(answer) if not any(_same(a, s) for s in sent))
    return found
def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.array_equal(a, b))
