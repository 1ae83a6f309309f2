"""Grading one submission: exercises in order, in one worker session forked for the submission,
each check turned into a :class:`~graders.grading.result.CheckResult` whatever happens inside it.

The pipeline of one exercise:

1. scan the exercise's source for forbidden imports and calls (:mod:`graders.grading.forbidden`);
2. import the module into the submission's session, forked once per submission with the files
   loaded (:class:`~graders.grading.runners.SessionSource`; an exercise that sets traps on library
   calls gets a session of its own), through the exercise's :class:`~graders.grading.runners.LiveRunner`, after telling
   it which modules the exercise bans (their imports are then refused and recorded);
3. run each check (:func:`run_check`), replacing the session after a timeout or crash; a
   property replays its known examples first (:mod:`graders.grading.replay.examples`), their calls made ahead
   in one stream where the check has a plan (:mod:`graders.grading.replay.plans`), and runs through
   hypothesis (which shrinks a failure) only if one does not pass and the settings shrink;
4. zero the exercise if the worker's traps saw a forbidden call or its ban a forbidden import;
5. score it (:mod:`graders.grading.result`).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import time
import warnings
from typing import Callable, Iterable, NoReturn

from hypothesis.errors import FlakyFailure, HypothesisDeprecationWarning, HypothesisException, Unsatisfiable

from graders import __version__
from graders.errors import GeodlError, WorkerLost
from graders.grading.client import WorkerAPI
from graders.grading.context import CheckContext
from graders.grading.forbidden import Finding, find_forbidden, local_imports
from graders.grading.outcomes import CheckFailed, StudentCallError
from graders.grading.replay import examples as property_examples
from graders.grading.replay import plans
from graders.grading.repro import repro_source
from graders.grading.result import CheckResult, ExerciseResult, SubmissionResult, exercise_result, total, zeroed
from graders.grading.runners import LiveRunner, SessionSource
from graders.grading.settings import GradingSettings
from graders.grading.spec import Chapter, CheckSpec, Exercise
from graders.grading.submission import Submission
from graders.grading.threads import limit_threads

MAX_MESSAGE_CHARS = 2000


def grade(submission: Submission, chapter: Chapter, worker: WorkerAPI, settings: GradingSettings, *,
          exercises: Iterable[str] | None = None) -> SubmissionResult:
    """Grade ``submission`` against ``chapter`` (or only the listed exercise ids)."""
    limit_threads()
    started = dt.datetime.now(dt.timezone.utc)
    clock = time.perf_counter()
    wanted = list(exercises) if exercises is not None else list(chapter.exercises)
    restarts_before = worker.starts
    results = []
    shared = SessionSource(worker, submission.files)
    try:
        for exercise_id in wanted:
            results.append(grade_exercise(submission, chapter.exercises[exercise_id], worker, settings, shared))
    finally:
        shared.close()
    score, max_score = total(results)
    message = "; ".join(submission.notes)
    return SubmissionResult(
        assignment=chapter.id,
        score=score,
        max_score=max_score,
        status="graded",
        exercises=tuple(results),
        submission=submission.describe(),
        grader={"version": __version__, "name": "geodl"},
        settings={**settings.to_json(), "sandbox": worker.sandbox.name},
        message=message,
        started_at=started.isoformat(timespec="seconds"),
        duration_s=round(time.perf_counter() - clock, 4),
        worker={"sandbox": worker.sandbox.name, "starts": worker.starts - restarts_before,
                "cuda": bool(worker.info.get("cuda"))},
    )


def grade_exercise(submission: Submission, exercise: Exercise, worker: WorkerAPI, settings: GradingSettings,
                   shared: SessionSource | None = None) -> ExerciseResult:
    """Grade one exercise (in the submission's ``shared`` session when given); never raises for
    anything the submission does."""
    clock = time.perf_counter()
    checks = [c for c in exercise.checks if settings.include_hidden or c.visibility == "public"]
    if submission.source(exercise.module_file) is None:
        reason = f"{exercise.module_file} is missing from the submission"
        return zeroed(exercise, checks, "missing", reason, status="student_error",
                      duration_s=time.perf_counter() - clock)
    findings = _static_forbidden(submission, exercise)
    if findings:
        reason = findings[0].describe(exercise.id)
        return zeroed(exercise, checks, "forbidden", reason, duration_s=time.perf_counter() - clock)
    runner = LiveRunner(worker, submission.files, exercise, settings, shared)
    cuda = bool(worker.info.get("cuda"))
    results = []
    try:
        for check in checks:
            if check.gpu and not cuda:
                results.append(_skipped(check, "needs a GPU; this worker has none"))
                continue
            results.append(run_check(check, runner, settings))
    finally:
        runner.close()
    if runner.forbidden_used:
        name = sorted(runner.forbidden_used)[0]
        reason = f"{'calls' if '.' in name else 'imports'} {name}, which {exercise.id} does not allow"
        return zeroed(exercise, checks, "forbidden", reason, duration_s=time.perf_counter() - clock)
    message = ""
    if runner.import_error is not None:
        message = f"could not import {exercise.module_file}: {runner.import_error.one_line()}"
    return exercise_result(exercise, results, message=message, duration_s=time.perf_counter() - clock)


def prepare(chapter: Chapter, settings: GradingSettings) -> None:
    """Do a grading process's first-use work before its first submission: import the reference
    solutions and draw every property's examples (:mod:`graders.grading.replay.examples`)."""
    for exercise in chapter.exercises.values():
        exercise.reference  # noqa: B018 - imported on first use
        for check in exercise.checks:
            if check.is_property:
                seed = _check_seed(settings, exercise, check)
                kept = _kept_examples(check, seed, settings)
                if kept is not None:
                    _plan(check, exercise, seed, settings)


def _check_seed(settings: GradingSettings, exercise: Exercise, check: CheckSpec) -> int:
    return settings.check_seed(f"{exercise.id}::{check.name}")


def _example_count(check: CheckSpec, settings: GradingSettings) -> int:
    return check.max_examples or settings.max_examples


def _kept_examples(check: CheckSpec, seed: int, settings: GradingSettings) -> list[dict] | None:
    """The property's known examples, where the settings replay them or run them side by side."""
    if not settings.replay_examples:
        return None
    return property_examples.known_examples(check, _example_count(check, settings), seed)


def run_check(check: CheckSpec, runner: LiveRunner, settings: GradingSettings) -> CheckResult:
    """Run one check and classify how it ended (never raises for the submission's doing)."""
    ctx = CheckContext(runner, settings)
    seed = _check_seed(settings, runner.exercise, check)
    outputs_before = len(runner.outputs)
    clock = time.perf_counter()
    counterexample = stub = ""
    failing: object = None  # the failing call (its text is the counterexample)
    try:
        if check.is_property:
            _grade_property(check, ctx, runner, seed, settings)
        else:
            check.func(ctx)
        status, message = "passed", ""
    except WorkerLost as lost:
        status, message = lost.status, lost.message
        failing = ctx.failing_call("")
    except CheckFailed as failure:
        status, message = "failed", failure.message
        failing = ctx.failing_call(message)
    except StudentCallError as error:
        status = "student_error"
        if error.error.kind == "import":  # the call never reached the student's code: no failing case
            message = error.error.message
        elif error.error.type == "NotImplementedError":  # the stub: its inputs teach nothing
            stub, message = _not_implemented(error)
        else:
            message = f"{_short(str(error.call))} raised {error.error.one_line()}"
            failing = error.call
    except FlakyFailure as flaky:
        status, message = "failed", _not_deterministic(_first_message(flaky))
    except Unsatisfiable as exc:
        status, message = "grader_error", ("Internal grader error, not your fault: "
                                           f"the check could not generate inputs ({exc})")
    except (HypothesisException, GeodlError, Exception) as exc:  # noqa: BLE001 - a bug in a check is ours
        status = "grader_error"
        message = f"Internal grader error, not your fault: {type(exc).__name__}: {exc}"
    output = "".join(runner.outputs[outputs_before:])[-2000:]
    passed = status == "passed"
    if failing and runner.import_error is None:  # a module that did not import met no call of this check
        counterexample = f"Failing test case: {failing}"
    return CheckResult(
        name=check.name,
        passed=passed,
        points=check.points if passed else 0.0,
        max_points=check.points,
        status=status,
        message=message[:MAX_MESSAGE_CHARS],
        counterexample=counterexample[:MAX_MESSAGE_CHARS],
        visibility=check.visibility,
        description=check.description,
        seed=seed if check.is_property else None,
        duration_s=round(time.perf_counter() - clock, 4),
        output=output,
        stub=stub,
        repro=_repro(check, runner, failing, status, message, seed) if counterexample else "",
    )


def _grade_property(check: CheckSpec, ctx: CheckContext, runner: LiveRunner, seed: int,
                    settings: GradingSettings) -> None:
    """Grade a hypothesis property: its known examples replayed first, and
    the usual hypothesis run only if one of them does not pass (:mod:`graders.grading.replay.examples`)."""
    kept = _kept_examples(check, seed, settings)
    if kept is None:
        _run_property(check, ctx, seed, settings)
    else:
        _replay_first(check, ctx, runner, seed, settings)


def _replay_first(check: CheckSpec, ctx: CheckContext, runner: LiveRunner, seed: int,
                  settings: GradingSettings) -> None:
    """Replay the known examples; only if one does not pass, the usual run decides. A failure the
    usual run does not meet again (state kept between calls) fails the check, never passes it.

    The replay runs in a context of its own, on the planned runner where the check has a plan;
    the usual run in ``ctx``, on the live runner. What the replay last called is ``ctx``'s too
    when the replay ends the check."""
    spent_before = runner.spent_s
    planned = _planned_runner(check, runner, seed, settings)  # first, as it may draw the examples again
    count = _example_count(check, settings)
    kept = property_examples.known_examples(check, count, seed) or []
    rejected = property_examples.known_rejections(check, count, seed)
    replay_ctx = CheckContext(planned, settings) if planned is not None else ctx
    try:
        replay = property_examples.replay(functools.partial(check.func, replay_ctx), kept, _stops_property, rejected)
    except BaseException:
        ctx.calls_by_function = replay_ctx.calls_by_function
        ctx.last_call = replay_ctx.last_call
        raise
    finally:
        if planned is not None:
            planned.leave()
    if replay.passed:
        return
    failing_call = replay_ctx.last_call
    if not settings.shrink:
        ctx.calls_by_function = replay_ctx.calls_by_function
        _report_unshrunk(replay, ctx, failing_call)
    runner.spent_s = spent_before  # the grader's shortcut is not charged to the student's budget
    _run_property(check, ctx, seed, settings)
    if replay.failure is not None:
        ctx.last_call = failing_call
        raise CheckFailed(_not_deterministic(str(replay.failure)))


def _report_unshrunk(replay: property_examples.Replay, ctx: CheckContext, failing_call: object) -> NoReturn:
    """End a property whose replay did not pass without a hypothesis run (``shrink=False``): its
    known example's failure as it was raised, the example's call as the counterexample."""
    ctx.last_call = failing_call
    if replay.failure is not None:
        raise replay.failure
    raise CheckFailed(f"example {replay.index + 1} was rejected where the reference's run was not, or the other "
                      "way round (does a check input depend on an earlier answer of yours?)")


def _planned_runner(check: CheckSpec, runner: LiveRunner, seed: int,
                    settings: GradingSettings) -> plans.PlannedRunner | None:
    """The replay's calls made ahead in one stream (:mod:`graders.grading.replay.plans`), where the
    check has a plan; None to make them one by one (a session that cannot start is met again by them)."""
    plan = _plan(check, runner.exercise, seed, settings)
    if plan is None:
        return None
    try:
        return plans.PlannedRunner(runner, plan)
    except WorkerLost:
        return None


def _plan(check: CheckSpec, exercise: Exercise, seed: int, settings: GradingSettings) -> plans.Plan | None:
    """The check's plan, where the settings plan calls and it has one."""
    if not settings.plan_calls:
        return None
    return plans.known_plan(check, exercise, _example_count(check, settings), seed, settings)


def _run_property(check: CheckSpec, ctx: CheckContext, seed: int, settings: GradingSettings) -> None:
    """Run a hypothesis property deterministically: explicit seed, no database, no deadline,
    bounded shrinking, nothing printed."""
    key = (id(check), _example_count(check, settings), seed, settings.shrink)
    runner = _RUNNERS.get(key)
    if runner is None:
        runner = _RUNNERS[key] = _property_runner(check, key[1], seed, settings.shrink)
    with _bounded_shrinking(settings.shrink_seconds), warnings.catch_warnings():
        # Dask workers and other threads may touch the global random module during a draw.
        warnings.simplefilter("ignore", HypothesisDeprecationWarning)
        try:
            runner(ctx)
        except _StopProperty as stop:
            raise stop.failure from None


class _StopProperty(BaseException):
    """Carries a failure out of hypothesis without shrinking it: a lost session (a hang, a crash)
    or running out of memory. Each retry would cost seconds or a gigabyte and end the same way,
    and the unshrunk call already tells the student what happened. (Hypothesis treats only
    ``Exception`` and its kin as test failures; other ``BaseException`` pass straight through.)"""

    def __init__(self, failure: Exception):
        super().__init__(failure)
        self.failure = failure


def _stops_property(failure: BaseException) -> bool:
    if isinstance(failure, WorkerLost):
        return True
    return isinstance(failure, StudentCallError) and failure.error.type == "MemoryError"


#: Built hypothesis tests, by (check, examples, seed, shrink): building one compiles code.
_RUNNERS: dict[tuple[int, int, int, bool], Callable[[CheckContext], None]] = {}


def _property_runner(check: CheckSpec, examples: int, seed: int, shrink: bool = True):
    """The hypothesis test of a check (building one compiles code, so it is made once per check,
    example count, seed and shrink setting; the context travels as an argument)."""

    def test(ctx, **kwargs):
        try:
            check.func(ctx, **kwargs)
        except (WorkerLost, StudentCallError) as failure:
            if _stops_property(failure):
                raise _StopProperty(failure) from None
            raise

    return property_examples.hypothesis_test(check, test, examples, seed, shrink=shrink)


@contextlib.contextmanager
def _bounded_shrinking(seconds: float):
    """Cap hypothesis's shrinking time (its engine constant; there is no public setting)."""
    from hypothesis.internal.conjecture import engine
    previous = getattr(engine, "MAX_SHRINKING_SECONDS", None)
    if previous is not None:
        engine.MAX_SHRINKING_SECONDS = seconds  # type: ignore[assignment]  # compared with elapsed seconds
    try:
        yield
    finally:
        if previous is not None:
            engine.MAX_SHRINKING_SECONDS = previous


def _static_forbidden(submission: Submission, exercise: Exercise) -> list[Finding]:
    """Forbidden names in the exercise's module and the chapter modules it imports."""
    if not exercise.forbidden:
        return []
    todo, seen, findings = [exercise.module], set(), []  # type: list[str], set[str], list[Finding]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        for rel in (module.replace(".", "/") + ".py", module.replace(".", "/") + "/__init__.py"):
            source = submission.source(rel)
            if source is not None:
                break
        if source is None:
            continue
        findings += _scan(source, exercise.forbidden, rel)
        todo += sorted(local_imports(source, exercise.chapter_id))
    return findings


@functools.lru_cache(maxsize=1024)
def _scan(source: str, forbidden: tuple[str, ...], filename: str) -> tuple[Finding, ...]:
    """The static scan of one file (cached: a submission's chapter files are scanned once)."""
    return tuple(find_forbidden(source, forbidden, filename=filename))


def _repro(check: CheckSpec, runner: LiveRunner, failing: object, status: str, message: str, seed: int) -> str:
    """The repro file of a failed public check (:mod:`graders.grading.repro`); ``""`` for any
    other check, and where the file cannot be made (a bug there costs the student nothing)."""
    if check.visibility != "public":
        return ""
    try:
        return repro_source(failing, exercise=runner.exercise, check=check, message=message[:MAX_MESSAGE_CHARS],
                            status=status, seed=seed if check.is_property else None)
    except Exception:  # noqa: BLE001 - the verdict stands without its repro file
        return ""


def _short(call: str) -> str:
    return call.split("(", 1)[0]


def _not_implemented(error: StudentCallError) -> tuple[str, str]:
    """``(function, message)`` for a call that ran into ``NotImplementedError``: the function
    that raised it (where the student's code raised it, else the function called)."""
    where, _, function = error.error.location.partition(" in ")
    function = function or _short(str(error.call))
    return function, (f"not implemented yet (this is still the stub): {function} raises NotImplementedError"
                      + (f" at {where}" if where else ""))


def _not_deterministic(first_failure: str) -> str:
    return ("the failure did not happen again when the same input was tried a second time: is your code "
            f"deterministic? ({first_failure})")


def _first_message(group: BaseException) -> str:
    inner = getattr(group, "exceptions", ())
    return str(inner[0]) if inner else str(group)


def _skipped(check: CheckSpec, reason: str) -> CheckResult:
    return CheckResult(name=check.name, passed=False, points=0.0, max_points=0.0, status="skipped", message=reason,
                       visibility=check.visibility, description=check.description)
