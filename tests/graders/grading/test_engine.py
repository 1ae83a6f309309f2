"""graders/engine.py: how checks end (passed, failed, student_error, timeout, grader_error),
shrunk counterexamples, hidden checks, forbidden calls, missing modules, determinism."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import strategies as st

from graders.authoring.checks import as_array, assert_close
from graders.grading.engine import grade
from graders.grading.result import stable_view
from graders.grading.settings import get_profile
from graders.grading.spec import Chapter
from graders.grading.submission import Submission

chapter = Chapter("ch98", title="engine test chapter")
toy = chapter.exercise("ch98.toy", module="ch98.toy", functions=("double",), reference="math",
                       forbidden=("numpy.kron", "sklearn"))


@toy.check(points=1)
def doubles_a_fixed_vector(ctx):
    """double([0, 1, 2]) = [0, 2, 4]."""
    assert_close(ctx.call("double", np.arange(3.0)), 2 * np.arange(3.0), rtol=1e-12, name="double(x)")


@toy.check(points=2, given={"x": st.lists(st.integers(0, 100), min_size=1, max_size=8)}, max_examples=60)
def doubles_any_vector(ctx, x):
    """double(x) = 2x for integer vectors."""
    x = np.array(x, dtype=float)
    assert_close(as_array(ctx.call("double", x), name="double(x)", shape=x.shape), 2 * x, rtol=1e-12, name="double(x)")


@toy.check(points=1, visibility="hidden")
def hidden_check(ctx):
    """A hidden one."""
    assert_close(ctx.call("double", np.ones(2)), 2 * np.ones(2), rtol=1e-12, name="double(x)")


@toy.check(points=1)
def broken_grader(ctx):
    """A check with a bug of ours."""
    {}["missing"]


def submission(body: str) -> Submission:
    return Submission("ch98", {"ch98/toy.py": ("import numpy as np\n" + body).encode()})


CORRECT = "def double(x):\n    return 2 * np.asarray(x)\n"
BUGGY = "def double(x):\n    x = np.asarray(x)\n    return 2 * x if x.size < 3 or x.max() < 50 else x\n"
SETTINGS = get_profile("grading").replace(call_timeout_s=2.0, exercise_timeout_s=8.0)


def checks(result):
    return {c.name: c for c in result.exercises[0].checks}


def test_correct_code_passes_and_a_grader_bug_is_ours(process_worker):
    result = grade(submission(CORRECT), chapter, process_worker, SETTINGS)
    by_name = checks(result)
    assert ([by_name[n].status for n in ("doubles_a_fixed_vector", "doubles_any_vector", "hidden_check")]
            == ["passed"] * 3)
    assert by_name["broken_grader"].status == "grader_error" and "not your fault" in by_name["broken_grader"].message
    assert result.score == 4 and result.max_score == 5


def test_a_failing_property_reports_the_shrunk_counterexample(process_worker):
    check = checks(grade(submission(BUGGY), chapter, process_worker, SETTINGS))["doubles_any_vector"]
    assert check.status == "failed" and check.points == 0 and check.seed is not None
    assert check.counterexample == "Failing test case: double(array([ 0., 0., 50.]))"
    assert check.message.startswith("double(x) is wrong at index 2: expected 100, got 50")


def test_student_errors_timeouts_and_prints(process_worker):
    body = "def double(x):\n    print('trying', len(x))\n    if len(x) == 2:\n        while True:\n            pass\n" \
           "    raise ValueError('no doubling today')\n"
    by_name = checks(grade(submission(body), chapter, process_worker, SETTINGS))
    fixed = by_name["doubles_a_fixed_vector"]
    assert fixed.status == "student_error"
    assert fixed.message == "double raised ValueError: no doubling today at ch98/toy.py:7 in double"
    assert fixed.output == "trying 3\n"
    hidden = by_name["hidden_check"]
    assert hidden.status == "timeout" and hidden.message.startswith("exceeded the 2 s time limit calling double(")


def test_local_profile_runs_public_checks_only(process_worker):
    result = grade(submission(CORRECT), chapter, process_worker, get_profile("local"))
    assert "hidden_check" not in checks(result)


def test_forbidden_calls_zero_the_exercise(process_worker):
    static = grade(submission("def double(x):\n    return np.kron(2.0, x)\n"), chapter, process_worker, SETTINGS)
    exercise = static.exercises[0]
    assert exercise.status == "forbidden" and exercise.score == 0
    assert exercise.message == "uses numpy.kron (ch98/toy.py line 3), which ch98.toy does not allow"
    dynamic = "def double(x):\n    return getattr(np, 'kr' + 'on')(2.0, np.asarray(x))\n"
    exercise = grade(submission(dynamic), chapter, process_worker, SETTINGS).exercises[0]
    assert exercise.status == "forbidden" and exercise.message == "calls numpy.kron, which ch98.toy does not allow"


@pytest.mark.parametrize("body", [
    "import importlib\ndef double(x):\n    importlib.import_module('skl' + 'earn')\n    return 2 * np.asarray(x)\n",
    "sk = __import__('skl' + 'earn.svm')\ndef double(x):\n    return 2 * np.asarray(x)\n",
    "def double(x):\n    try:\n        __import__('skl' + 'earn')\n    except ImportError:\n        pass\n"
    "    return 2 * np.asarray(x)\n",
], ids=["in-a-call", "at-import-a-submodule", "caught"])
def test_forbidden_modules_imported_dynamically_zero_the_exercise(process_worker, body):
    """An import the static scan cannot see (a computed name) is refused in the worker and
    recorded, wherever it happens and even when the code catches the ImportError."""
    exercise = grade(submission(body), chapter, process_worker, SETTINGS).exercises[0]
    assert exercise.status == "forbidden" and exercise.score == 0
    assert exercise.message == "imports sklearn, which ch98.toy does not allow"


def test_missing_module_and_import_errors(process_worker):
    missing = grade(Submission("ch98", {}), chapter, process_worker, SETTINGS).exercises[0]
    assert missing.status == "missing" and missing.message == "ch98/toy.py is missing from the submission"
    broken = grade(submission("def double(x)\n    return x\n"), chapter, process_worker, SETTINGS).exercises[0]
    assert broken.status == "error" and broken.message.startswith("could not import ch98/toy.py: SyntaxError")
    assert all(c.status in ("student_error", "grader_error") for c in broken.checks)
    assert not any(c.counterexample for c in broken.checks)  # the calls never reached the student's code


def test_an_unchanged_stub_is_said_once_for_its_exercise(process_worker):
    stub = grade(submission("def double(x):\n    raise NotImplementedError()\n"), chapter, process_worker,
                 SETTINGS).exercises[0]
    assert stub.status == "unchanged stub" and stub.message == "still the released stub: fill in double"
    ran = [c for c in stub.checks if c.status != "grader_error"]
    assert ran and all(c.stub == "double" and not c.counterexample for c in ran)
    assert ran[0].message == ("not implemented yet (this is still the stub): double raises NotImplementedError "
                              "at ch98/toy.py:3")


def test_grading_is_deterministic(process_worker):
    first = grade(submission(BUGGY), chapter, process_worker, SETTINGS).to_json()
    second = grade(submission(BUGGY), chapter, process_worker, SETTINGS).to_json()
    assert stable_view(first) == stable_view(second)
    other_seed = grade(submission(BUGGY), chapter, process_worker, SETTINGS.replace(seed=1)).to_json()
    assert other_seed["settings"]["seed"] == 1


@pytest.mark.parametrize("points", [0, -1])
def test_spec_validation(points):
    with pytest.raises(ValueError, match="points"):
        toy.check(points=points)


def test_fast_loss_is_the_reference_cost():
    """The chapter-6 grader's direct cost equals the reference network's (it stands in for it in
    the finite-difference checks)."""
    from geodl_ref.ch06 import mlp
    from graders.chapters.ch06._nets import Net
    from graders.chapters.ch06.mlp_backprop import _loss
    for act in ("relu", "sigmoid", "tanh"):
        for last_linear in (False, True):
            net = Net(dims=(4, 6, 3), n=5, seed=2, act=act, last_linear=last_linear)
            params, (X, Y) = net.params(), net.data()
            out = mlp.mlp_forward(params, X, act, last_linear)["o"][-1]
            assert _loss(mlp, params, X, Y, act, last_linear) == pytest.approx(0.5 * np.sum((Y - out) ** 2), rel=1e-14)


def three_exercises(chapter_id: str, middle_forbids: tuple[str, ...], expected: np.ndarray) -> Chapter:
    """A chapter of exercises a, b and c (modules ``<chapter>/a.py``...), each with one check,
    ``f() == expected``; only b forbids ``middle_forbids``."""
    made = Chapter(chapter_id, title="session-sharing test chapter")
    for name in "abc":
        exercise = made.exercise(f"{chapter_id}.{name}", module=f"{chapter_id}.{name}", functions=("f",),
                                 reference="math", forbidden=middle_forbids if name == "b" else ())

        @exercise.check(points=1)
        def f_gives_the_value(ctx):
            """f() gives the expected value."""
            assert_close(ctx.call("f"), expected, rtol=0, name="f()")
    return made


# -- sessions: one per submission, a private one for an exercise with traps
trio = three_exercises("ch97", ("numpy.kron",), np.ones(4))


def test_exercises_share_the_submission_session_and_traps_stay_private(process_worker):
    uses_kron = b"import numpy as np\ndef f():\n    return getattr(np, 'kr' + 'on')(np.ones(2), np.ones(2))\n"
    files = {f"ch97/{name}.py": uses_kron for name in "abc"}
    before = process_worker.next_session
    result = grade(Submission("ch97", files), trio, process_worker, SETTINGS)
    assert process_worker.next_session - before == 3, "a shared session, b's own (with its traps), a fresh shared one"
    status = {e.id: (e.status, e.score) for e in result.exercises}
    assert status["ch97.b"] == ("forbidden", 0)
    assert status["ch97.a"] == status["ch97.c"] == ("passed", 1), "b's trap must not reach c"


hoarder = Chapter("ch96", title="no-shrinking test chapter")
hog = hoarder.exercise("ch96.hog", module="ch96.hog", functions=("f",), reference="math")


@hog.check(points=1, given={"x": st.integers(0, 1000)}, max_examples=30)
def f_is_identity(ctx, x):
    """f(x) = x."""
    if ctx.call("f", x) != x:
        ctx.fail("f(x) != x")


@pytest.mark.parametrize("failure, status", [("raise MemoryError", "student_error"),
                                             ("while True:\n        pass", "timeout")])
def test_a_resource_failure_is_not_retried_while_shrinking(process_worker, failure, status):
    """Shrinking an out-of-memory error or a hang would repeat a costly failure for nothing: the
    first failing call is the counterexample, and the student's code ran once."""
    body = f"def f(x):\n    print('called', x, flush=True)\n    {failure}\n"
    result = grade(Submission("ch96", {"ch96/hog.py": body.encode()}), hoarder, process_worker,
                   SETTINGS.replace(call_timeout_s=0.5))
    check = result.exercises[0].checks[0]
    assert check.status == status
    assert check.counterexample.startswith("Failing test case: f(")
    if status == "student_error":
        assert check.output.count("called") == 1, check.output
    else:
        assert check.duration_s < 3 * 0.5, "a hang costs one call's time limit, not a shrinking run"


mapped = Chapter("ch95", title="mapped-calls test chapter")
stepper = mapped.exercise("ch95.step", module="ch95.step", functions=("halve",), reference="math")


@stepper.check(points=1)
def halves_every_state(ctx):
    """halve(s) = s / 2 for the states 16, 8, 4, 2, checked in one round trip."""
    states = [(16.0,), (8.0,), (4.0,), (2.0,)]
    for args, got in zip(states, ctx.map("halve", states)):
        ctx.report_call("halve", *args)
        if got != args[0] / 2:
            ctx.fail(f"halve({args[0]:g}) should be {args[0] / 2:g}; got {got!r}")


def test_a_batched_check_names_the_call_that_failed(process_worker):
    """``ctx.map`` sends independent calls in one request; ``ctx.report_call`` makes the one whose
    result fails the failing test case the student sees (not the batch's first call)."""
    body = "def halve(s):\n    return s / 2 if s > 5 else s\n"
    before = process_worker.next_session
    check = grade(Submission("ch95", {"ch95/step.py": body.encode()}), mapped, process_worker,
                  SETTINGS).exercises[0].checks[0]
    assert process_worker.next_session - before == 1
    assert check.status == "failed" and check.message == "halve(4) should be 2; got 4.0"
    assert check.counterexample == "Failing test case: halve(4.0)"


def test_the_in_process_floor_grades_like_a_worker(process_worker):
    """The benchmarks' floor (``tests.support.inprocess``) answers every request a worker answers,
    so floor and sandbox give the same result."""
    from tests.support.inprocess import InProcessWorker
    floor = stable_view(grade(submission(BUGGY), chapter, InProcessWorker(), SETTINGS).to_json())
    sandboxed = stable_view(grade(submission(BUGGY), chapter, process_worker, SETTINGS).to_json())
    for view in (floor, sandboxed):
        view.get("settings", {}).pop("sandbox", None), view.pop("worker", None)
    assert floor == sandboxed
    assert checks(grade(submission(CORRECT), chapter, process_worker, SETTINGS))["doubles_any_vector"].passed



# -- module bans in a shared session: set per exercise, lifted for the next, never stale
bans = three_exercises("ch95", ("colorsys",), np.array([0.0, 1.0, 1.0]))  # colorsys.rgb_to_hsv(1, 0, 0)


def test_module_bans_follow_the_exercise_in_a_shared_session(process_worker):
    """a imports colorsys (allowed there), so b, which bans it, gets a fresh session where the
    import is refused; c may import it again; a ban caught in b does not zero c."""
    uses = b"def f():\n    return list(__import__('color' + 'sys').rgb_to_hsv(1.0, 0.0, 0.0))\n"
    files = {f"ch95/{name}.py": uses for name in "abc"}
    before = process_worker.next_session
    result = grade(Submission("ch95", files), bans, process_worker, SETTINGS)
    status = {e.id: (e.status, e.score, e.message) for e in result.exercises}
    assert status["ch95.a"][:2] == status["ch95.c"][:2] == ("passed", 1)
    assert status["ch95.b"] == ("forbidden", 0, "imports colorsys, which ch95.b does not allow")
    assert process_worker.next_session - before == 2, "a's shared session; b's fresh one, shared on with c"


def test_a_clean_exercise_after_a_caught_one_is_not_zeroed(process_worker):
    """Both exercises ban colorsys; only b's code imports it."""
    both = Chapter("ch94", title="module-ban test chapter")
    for name in "ab":
        exercise = both.exercise(f"ch94.{name}", module=f"ch94.{name}", functions=("f",), reference="math",
                                 forbidden=("colorsys",))

        @exercise.check(points=1)
        def returns_one(ctx):
            """f() = 1."""
            assert_close(ctx.call("f"), 1.0, rtol=0, name="f()")
    files = {"ch94/a.py": b"def f():\n    return 1.0\n",
             "ch94/b.py": b"def f():\n    __import__('color' + 'sys')\n    return 1.0\n"}
    files["ch94/a.py"], files["ch94/b.py"] = files["ch94/b.py"], files["ch94/a.py"]  # the cheat comes first
    status = {e.id: (e.status, e.score)
              for e in grade(Submission("ch94", files), both, process_worker, SETTINGS).exercises}
    assert status == {"ch94.a": ("forbidden", 0), "ch94.b": ("passed", 1)}


# -- purity: a function must leave its arguments as they were, unless the exercise says it mutates
purity = Chapter("ch91", title="purity test chapter")
scale = purity.exercise("ch91.scale", module="ch91.scale", functions=("scaled", "step"), reference="math",
                        mutates=("step",))


@scale.check(points=1)
def scaled_by_call(ctx):
    """scaled(x, 2) = 2x."""
    assert_close(ctx.call("scaled", np.arange(3.0), 2.0), 2 * np.arange(3.0), rtol=1e-12, name="scaled(x, 2)")


@scale.check(points=1)
def scaled_by_map(ctx):
    """scaled over a batch."""
    for got, k in zip(ctx.map("scaled", [(np.ones(2), 3.0), (np.ones(2), 4.0)]), (3.0, 4.0)):
        assert_close(got, k * np.ones(2), rtol=1e-12, name="scaled(x, k)")


@scale.check(points=1)
def nested_arguments(ctx):
    """scaled_all({"a": x}) scales every array of a dict."""
    got = ctx.call("scaled_all", {"a": np.ones(2), "b": [np.zeros(1)]})
    assert_close(got["a"], 2 * np.ones(2), rtol=1e-12, name="scaled_all")


@scale.check(points=1)
def a_declared_mutation(ctx):
    """step may update its state in place (the exercise says so)."""
    assert_close(ctx.call("step", np.ones(2)), 2 * np.ones(2), rtol=1e-12, name="step")


PURE = ("def scaled(x, k):\n    return k * x\n\ndef scaled_all(d):\n    return {'a': 2 * d['a']}\n\n"
        "def step(state):\n    state *= 2\n    return state\n")
IN_PLACE = ("def scaled(x, k):\n    x *= k\n    return x\n\n"
            "def scaled_all(d):\n    d['b'].append(np.ones(1))\n    return {'a': 2 * d['a']}\n\n"
            "def step(state):\n    state *= 2\n    return state\n")


def test_a_function_that_changes_its_arguments_in_place_fails_the_checks_that_call_it(process_worker):
    def graded(body):
        return checks(grade(Submission("ch91", {"ch91/scale.py": ("import numpy as np\n" + body).encode()}),
                            purity, process_worker, SETTINGS))

    assert all(c.passed for c in graded(PURE).values())
    result = graded(IN_PLACE)
    for name in ("scaled_by_call", "scaled_by_map"):
        assert result[name].status == "failed"
        assert result[name].message == ("scaled modified its argument x in place; it must leave its arguments as "
                                         "they were and return new values"), result[name].message
        assert result[name].counterexample.startswith("Failing test case: scaled(")
    assert result["nested_arguments"].status == "failed" and "argument d in place" in result["nested_arguments"].message
    assert result["a_declared_mutation"].passed


def test_a_twin_of_a_forbidden_call_in_another_library_zeroes_the_exercise(process_worker):
    body = "from scipy.linalg import kron\ndef double(x):\n    return kron(2.0, np.asarray(x))\n"
    exercise = grade(submission(body), chapter, process_worker, SETTINGS).exercises[0]
    assert exercise.status == "forbidden" and exercise.score == 0
    assert exercise.message == "uses scipy.linalg.kron (ch98/toy.py line 2), which ch98.toy does not allow"


# -- depends_on: a check that a degenerate answer satisfies scores only with the one it needs
dependent = Chapter("ch90", title="depends_on test chapter")
centred = dependent.exercise("ch90.centred", module="ch90.centred", functions=("fit",), reference="math")


@centred.check(points=2)
def fit_values(ctx):
    """fit() = [1, -1]."""
    assert_close(ctx.call("fit"), np.array([1.0, -1.0]), rtol=1e-12, name="fit()")


@centred.check(points=1, depends_on="fit_values")
def fit_is_centred(ctx):
    """fit() sums to 0."""
    assert abs(float(np.sum(ctx.call("fit")))) < 1e-12, "fit() should sum to 0"


def test_a_check_that_depends_on_a_failed_one_scores_nothing(process_worker):
    def graded(body):
        return checks(grade(Submission("ch90", {"ch90/centred.py": ("import numpy as np\n" + body).encode()}),
                            dependent, process_worker, SETTINGS))

    right = graded("def fit():\n    return np.array([1.0, -1.0])\n")
    assert right["fit_values"].passed and right["fit_is_centred"].passed and right["fit_is_centred"].points == 1
    zeros = graded("def fit():\n    return np.zeros(2)\n")
    assert not zeros["fit_values"].passed
    assert (zeros["fit_is_centred"].passed, zeros["fit_is_centred"].points, zeros["fit_is_centred"].status) == \
        (False, 0.0, "failed")
    assert zeros["fit_is_centred"].message == "counts only once fit_values passes, and it did not"


def test_depends_on_names_an_earlier_check_a_self_check_also_runs():
    with pytest.raises(ValueError, match="not an earlier check of ch90.centred"):
        centred.check(points=1, depends_on="later")(lambda ctx: None)
    hidden_first = dependent.exercise("ch90.other", module="ch90.other", functions=("g",), reference="math")
    hidden_first.check(points=1, visibility="hidden")(fit_values)
    with pytest.raises(ValueError, match="which is hidden"):
        hidden_first.check(points=1, depends_on="fit_values")(fit_is_centred)


# -- the failing case shown is the call of the function that was wrong, not the last call made
shown = Chapter("ch89", title="failing-call test chapter")
pair = shown.exercise("ch89.pair", module="ch89.pair", functions=("first", "second"), reference="math")


@pair.check(points=1)
def first_then_second(ctx):
    """first(2) = 4, checked after second(3) was called."""
    got = ctx.call("first", 2.0)
    ctx.call("second", 3.0)
    assert_close(got, 4.0, rtol=1e-12, name="first(2)")


def test_the_failing_case_is_the_call_of_the_function_the_message_names(process_worker):
    body = "def first(x):\n    return x + 1.0\n\ndef second(x):\n    return x\n"
    result = grade(Submission("ch89", {"ch89/pair.py": body.encode()}), shown, process_worker, SETTINGS)
    check = result.exercises[0].checks[0]
    assert check.status == "failed" and check.message.startswith("first(2) is wrong")
    assert check.counterexample == "Failing test case: first(2.0)", check.counterexample
