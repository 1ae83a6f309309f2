"""Where a check's calls go: the :class:`CallRunner` interface, and :class:`LiveRunner`, which
sends them to the student's code in the exercise's worker session.

A :class:`~graders.grading.context.CheckContext` turns a check's ``ctx.call(...)`` into a request
and hands it to its runner, which returns a :class:`~graders.grading.outcomes.CallOutcome`. Three
runners exist, one per mode, and a context is built for one of them and keeps it:

* :class:`LiveRunner` — the student's code, in the sandbox (every check, and hypothesis's runs);
* :class:`~graders.grading.replay.plans.ReferenceRunner` — the reference solution, in this
  process, recording the calls (a property's plan);
* :class:`~graders.grading.replay.plans.PlannedRunner` — answers made ahead in one stream, the
  live runner for any call off the plan (a property's replay).

A lost session (a hang, a crash) becomes :class:`~graders.errors.WorkerLost` with a message
naming the call (``"exceeded the 10 s time limit calling mlp_forward(array(shape=(64, 32)), ...)"``).
"""
from __future__ import annotations

import time
from typing import Any, Mapping, Protocol

from graders.errors import WorkerLost
from graders.grading.client import SessionAPI, WorkerAPI
from graders.grading.outcomes import CallOutcome, When
from graders.grading.protocol import ErrorInfo, Op, Reply
from graders.grading.settings import GradingSettings
from graders.grading.spec import Exercise


class CallRunner(Protocol):
    """What a check context needs: its exercise, and a way to run one request.

    ``op`` is a request of :mod:`graders.grading.protocol` (``call``, ``batch``, ``getattr``...),
    ``fields`` its fields as plain data, ``call`` the call it stands for (rendered in messages),
    ``budget_calls`` how many calls it holds (its time limit scales with them)."""

    exercise: Exercise

    def run(self, op: Op, fields: dict, *, call: object, when: When = "call", budget_calls: int = 1) -> CallOutcome:
        """The request's outcome; raises :class:`~graders.errors.WorkerLost` when the session is lost."""
        ...

    def request(self, op: Op, fields: dict, *, call: object, when: When = "call", budget_calls: int = 1) -> Any:
        """The value the request produced; :class:`~graders.grading.outcomes.StudentCallError` if the
        student's code raised."""
        ...


class CallRunnerBase:
    """:meth:`CallRunner.request` from :meth:`CallRunner.run`, for the runners to share."""

    def run(self, op: Op, fields: dict, *, call: object, when: When = "call", budget_calls: int = 1) -> CallOutcome:
        raise NotImplementedError

    def request(self, op: Op, fields: dict, *, call: object, when: When = "call", budget_calls: int = 1) -> Any:
        return self.run(op, fields, call=call, when=when, budget_calls=budget_calls).value_or_raise()


LOAD_TIMEOUT_S = 30.0


class SessionSource:
    """The worker session one submission's exercises share: forked once, the files loaded once,
    each exercise importing its own module into it.

    A worker runs one session at a time. An exercise that plants traps on library calls
    (``numpy.kron``) starts a fresh session and ends it when it is done, so a trap never
    outlives its exercise. A loss (a hang, a crash) ends the session for every exercise; the next
    one to need it forks a fresh one and imports its module again (``generation`` tells them
    apart). ``bans`` says which modules the open session refuses; an exercise whose bans differ
    sets its own before its module is imported. Importing it also makes the session forget what
    the previous exercise's code was caught using.
    """

    def __init__(self, worker: WorkerAPI, files: Mapping[str, bytes]):
        self.worker = worker
        self.files = dict(files)
        self.session: SessionAPI | None = None
        self.generation = 0
        self.bans: tuple[str, ...] = ()  #: the modules whose imports the open session refuses

    @property
    def usable(self) -> bool:
        return self.session is not None and self.session.lost is None and not self.session.closed

    def acquire(self) -> SessionAPI:
        """The open session (a fresh one with the files loaded if there is none)."""
        if not self.usable:
            self.session = self.worker.open_session()
            self.generation += 1
            self.bans = ()
            reply = self.session.request("load", {"files": self.files}, timeout_s=LOAD_TIMEOUT_S)
            if not reply.ok:
                self.session.close()
                message = reply.error.message if reply.error else "the session refused it"
                raise WorkerLost("crashed", f"the submission could not be loaded: {message}")
        return self.session  # type: ignore[return-value]  # usable: open

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None


class LiveRunner(CallRunnerBase):
    """The worker session serving one exercise: the submission's shared one (a fresh one, ended
    with the exercise, when the exercise sets traps), re-forked (files reloaded, module
    re-imported) after a loss, so one hang or crash costs only the check in flight.

    Parameters
    ----------
    worker : Worker
    files : mapping of str to bytes
        The submission's files.
    exercise : Exercise
    settings : GradingSettings
    shared : SessionSource, optional
        The submission's session; without one the exercise forks its own and ends it.
    """

    def __init__(self, worker: WorkerAPI, files: Mapping[str, bytes], exercise: Exercise, settings: GradingSettings,
                 shared: SessionSource | None = None):
        self.exercise = exercise
        self.settings = settings
        self.traps = [name for name in exercise.forbidden if "." in name]
        self.banned_modules = tuple(name for name in exercise.forbidden if "." not in name)
        self.source = shared if shared is not None else SessionSource(worker, files)
        self.ends_source = shared is None or bool(self.traps)
        self.generation = 0  #: the source's generation this exercise's module was imported into
        self.import_error: ErrorInfo | None = None
        self.forbidden_used: set[str] = set()
        self.spent_s = 0.0  #: wall time spent waiting for the student's code (sandbox starts excluded)
        self.outputs: list[str] = []

    # -- budget
    def remaining_s(self) -> float:
        return self.settings.exercise_timeout_s - self.spent_s

    def timeout_for_call(self, calls: int = 1) -> float:
        """The wall-clock limit of the next request (``calls`` calls batched into it)."""
        remaining = self.remaining_s()
        if remaining <= 0:
            raise WorkerLost("timeout", f"the exercise used up its {self.settings.exercise_timeout_s:g} s time budget")
        per_call = max(self.settings.call_timeout_s, self.exercise.call_timeout_s or 0.0)
        return min(per_call * max(1, calls), remaining)

    # -- session
    def ensure(self) -> SessionAPI:
        """An open session with the submission loaded and the exercise's module imported."""
        if self.source.usable and self.generation == self.source.generation:
            return self.source.session  # type: ignore[return-value]  # usable: open
        timeout = self.timeout_for_call()  # raises WorkerLost once the exercise's budget is spent
        if self.traps and not self.generation:
            self.source.close()  # traps go into a session of their own, never into a shared one
        session = self.source.acquire()
        self.generation = self.source.generation
        if (self.traps or self.banned_modules != self.source.bans) and self._forbid(session):
            self.source.close()  # the shared session imported a module this exercise bans: start afresh
            session = self.source.acquire()
            self.generation = self.source.generation
            self._forbid(session)
        if self.import_error is None:
            clock = time.monotonic()
            try:
                reply = session.request("import", {"module": self.exercise.module}, timeout_s=timeout)
            except WorkerLost as lost:
                self.spent_s += time.monotonic() - clock
                self.import_error = ErrorInfo(lost.status, "", lost.message)
                raise WorkerLost(lost.status, self._import_problem().message) from None
            self.spent_s += time.monotonic() - clock
            self._note_forbidden(reply)
            if not reply.ok:
                self.import_error = reply.error
        return session

    def _forbid(self, session: SessionAPI) -> list:
        """Tell ``session`` what this exercise forbids; the banned modules it had already imported."""
        reply = session.request("forbid", {"names": self.traps, "modules": list(self.banned_modules)},
                                timeout_s=LOAD_TIMEOUT_S)
        self.source.bans = self.banned_modules
        return reply.value if reply.ok and isinstance(reply.value, list) else []

    def _note_forbidden(self, reply: Reply) -> None:
        """Keep what the reply says the student's code used of this exercise's forbidden names."""
        self.forbidden_used.update(name for name in reply.forbidden if name in self.exercise.forbidden)

    def close(self) -> None:
        """End the session if it is this exercise's own (a shared one ends with its submission)."""
        if self.ends_source:
            self.source.close()

    def run(self, op: Op, fields: dict, *, call: object, when: When = "call", budget_calls: int = 1) -> CallOutcome:
        """Like :meth:`request` but returns a :class:`CallOutcome` for student errors."""
        session = self.ensure()
        if self.import_error is not None:
            return CallOutcome(when, call, "student_error", error=self._import_problem())
        clock = time.monotonic()
        try:
            reply = session.request(op, fields, timeout_s=self.timeout_for_call(budget_calls))
        except WorkerLost as lost:
            raise lost_calling(lost, call) from None
        finally:
            self.spent_s += time.monotonic() - clock
        return self._outcome(reply, when, call)

    def _outcome(self, reply: Reply, when: When, call: object) -> CallOutcome:
        """Record what a reply says beyond its value (output, forbidden calls); its outcome."""
        if reply.output:
            self.outputs.append(reply.output)
        self._note_forbidden(reply)
        return CallOutcome(when, call, "ok" if reply.ok else "student_error", value=reply.value, error=reply.error,
                           duration_s=reply.duration_s, stdout_tail=reply.output)

    def prefetch(self, calls: list[dict], *, budget_s: float | None = None, encoded_calls: bytes | None = None,
                 budgets: list[int] | None = None) -> tuple[list[CallOutcome], WorkerLost | None]:
        """Make ``calls`` (the fields of ``call`` requests, or of ``batch`` ones with ``"op":
        "batch"``) in order, in one quiet stream (see
        :meth:`graders.grading.client.SessionAPI.quiet_stream`), before anything asks for their answers.

        Returns the outcome of each call made (the calls stop after the first that is not
        ``ok``, once they have taken ``budget_s``, or with the session's loss), and the loss, if any: a
        :class:`~graders.errors.WorkerLost` for ``calls[len(outcomes)]``, with no call named yet
        (whoever asks for that call's answer names it). Never raises for the student's doing.
        ``encoded_calls`` is the wire encoding of ``calls``, where the caller keeps one;
        ``budgets``, how many calls each item holds (``batch`` items hold several).
        """
        session = self.ensure()
        if self.import_error is not None or not calls:
            return [], None
        clock = time.monotonic()
        lost = None
        try:
            replies = session.quiet_stream(calls, timeout_s=self.timeout_for_call, budget_s=budget_s,
                                           encoded_calls=encoded_calls, budgets=budgets)
        except WorkerLost as loss:
            replies, lost = getattr(loss, "replies", []), loss
        finally:
            self.spent_s += time.monotonic() - clock
        return [self._outcome(reply, "call", None) for reply in replies], lost

    def _import_problem(self) -> ErrorInfo:
        """The import failure, as the error of every call that needed the module."""
        error = self.import_error or ErrorInfo("import", "", "the import failed")
        return ErrorInfo("import", "", f"could not import {self.exercise.module_file}: {error.one_line()}",
                         "", error.traceback)


def lost_calling(lost: WorkerLost, call: object) -> WorkerLost:
    """``lost`` as reported to the student: naming ``call``, the call that was running (shown
    briefly, arrays by shape)."""
    brief = call.brief() if hasattr(call, "brief") else str(call)
    return WorkerLost(lost.status, f"{lost.message} calling {brief}")
