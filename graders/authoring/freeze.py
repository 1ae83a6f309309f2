"""Freezing a chapter's reference for a student's release (:mod:`graders.authoring.frozen`).

:func:`freeze_chapter` grades the worked solution on the public checks, as the TA's public
grading runs them (the ``local`` profile: the same seeds, the same known examples), with
``ctx.ref`` and every :func:`~graders.authoring.oracles.oracle` recorded by a :class:`Recorder`.
What they answered, with each public property's known examples, is the chapter's
:class:`~graders.authoring.frozen.FrozenData`.

The self-check can answer only what was recorded here: a public check that asks the reference
or an oracle about inputs computed from the student's answers meets a
:class:`~graders.authoring.frozen.FrozenMiss` on other code than the solution's
(``tests/graders/authoring/test_student_release.py`` grades every wrong variant both ways and
names each one, with the call that missed). A check that cannot be recorded at all (the
reference gives a value that is not data, a sympy formula say, or an oracle's arguments are not
data) does not pass on the solution while it is recorded: the frozen data names it, with the
failure and the values that were not data (:attr:`~graders.authoring.frozen.FrozenData.unfrozen`),
``geodl release`` warns, and the self-check skips it; ``strict=True`` makes it a
:class:`FreezeError` instead. Examples that cannot be frozen are always a :class:`FreezeError`.
"""
from __future__ import annotations

import contextlib
import hashlib
import inspect
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator

from graders.authoring import oracles
from graders.authoring.frozen import (
    FrozenData,
    FrozenError,
    FrozenProperty,
    Node,
    call_key,
    call_step,
    encode,
    item_step,
)
from graders.authoring.frozen_chapter import release_data, substituted_reference
from graders.errors import GeodlError
from graders.grading.replay import examples as property_examples
from graders.grading.replay import plans
from graders.grading.settings import GradingSettings, get_profile
from graders.grading.spec import Chapter, CheckSpec, Exercise

#: The profile the TA's public grading uses, whose examples and seeds a release freezes.
PUBLIC_PROFILE = "local"


class FreezeError(GeodlError):
    """A chapter's public checks cannot be frozen for its release."""

    def __init__(self, message: str):
        super().__init__(message, reference="freeze-public-checks",
                         hint="a public check may ask ctx.ref and oracles only about data that does not depend on "
                              "the student's answers (docs/authoring.md, 'What a release holds')")


class RecordingRef:
    """What a check gets for ``ctx.ref`` (and for what it returns that is not data) while a
    release is recorded: the real object, every attribute, item and call recorded in the table
    under ``node``. ``_geodl_path`` is its path from the table's root, as
    :class:`~graders.authoring.frozen.FrozenRef` has it."""

    __slots__ = ("_geodl_real", "_geodl_node", "_geodl_path", "_geodl_label")

    def __init__(self, real: Any, node: Node, path: tuple[str, ...], label: str):
        self._geodl_real, self._geodl_node, self._geodl_path, self._geodl_label = real, node, path, label

    def __repr__(self) -> str:
        return f"<recorded {self._geodl_label}>"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        step = f"a:{name}"
        return _recorded(getattr(self._geodl_real, name), self._geodl_node.kid(step), (*self._geodl_path, step),
                         f"{self._geodl_label}.{name}")

    def __getitem__(self, key: Any) -> Any:
        step = item_step(key)
        return _recorded(self._geodl_real[unwrap(key)], self._geodl_node.kid(step), (*self._geodl_path, step),
                         f"{self._geodl_label}[{key!r}]")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        digest, fingerprint = call_key([list(args), kwargs], f"the arguments of {self._geodl_label}")
        node = self._geodl_node.call(digest, fingerprint)
        value = self._geodl_real(*unwrap(args), **unwrap(kwargs))
        return _recorded(value, node, (*self._geodl_path, call_step(digest)), f"{self._geodl_label}(...)")


def _recorded(value: Any, node: Node, path: tuple[str, ...], label: str) -> Any:
    """``value`` as the check gets it: data as it is, with its encoding kept at ``node``; any
    other object (a function, a class, an instance of the reference's) behind a recording proxy."""
    if not callable(value) and not inspect.ismodule(value):
        try:
            node.value = encode(value, label)
            return value
        except FrozenError:
            _OBJECTS.setdefault(path[0], []).append(f"{label} is a {type(value).__module__}.{type(value).__qualname__}")
    return RecordingRef(value, node, path, label)


#: What the recording met that is neither data nor callable, by the step of the reference
#: module it came from (Recorder.objects reads it).
_OBJECTS: dict[str, list[str]] = {}


def unwrap(value: Any) -> Any:
    """``value`` with every :class:`RecordingRef` in it replaced by its real object."""
    kind = type(value)
    if kind is RecordingRef:
        return value._geodl_real
    if kind is list or kind is tuple:
        return kind(unwrap(item) for item in value)
    if kind is dict:
        return {key: unwrap(item) for key, item in value.items()}
    return value


class Recorder:
    """The table a release is recorded into: each exercise's reference
    (:meth:`reference`) and every oracle call (an
    :class:`~graders.authoring.oracles.OracleRecorder`)."""

    def __init__(self) -> None:
        self.root = Node()
        _OBJECTS.clear()

    def objects(self, exercise: Exercise) -> list[str]:
        """The values of the exercise's reference met while recording that are neither data nor
        callable (what a check then does with them fails where the release has only data)."""
        return list(dict.fromkeys(_OBJECTS.get(f"m:{exercise.reference_name}", [])))

    def reference(self, exercise: Exercise) -> RecordingRef:
        """``exercise.reference``, recorded under ``m:<its module name>``."""
        step = f"m:{exercise.reference_name}"
        return RecordingRef(exercise.reference, self.root.kid(step), (step,), "ctx.ref")

    def oracle(self, name: str, signature: inspect.Signature, func: Callable, args: tuple, kwargs: dict) -> Any:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        digest, fingerprint = call_key(dict(bound.arguments), f"the arguments of the oracle {name}")
        value = func(*unwrap(args), **unwrap(kwargs))
        self.root.kid(f"o:{name}").call(digest, fingerprint).value = encode(value, f"the value of the oracle {name}")
        return value


@contextlib.contextmanager
def recorded(chapter: Chapter, recorder: Recorder) -> Iterator[None]:
    """Every exercise's ``ctx.ref`` and every oracle recorded by ``recorder`` while the block runs."""
    with contextlib.ExitStack() as stack:
        for exercise in chapter.exercises.values():
            stack.enter_context(substituted_reference(exercise, recorder.reference(exercise)))
        stack.enter_context(oracles.recording(recorder))
        yield


def public_properties(chapter: Chapter) -> Iterator[tuple[Exercise, CheckSpec]]:
    for exercise in chapter.exercises.values():
        for check in exercise.checks:
            if check.visibility == "public" and check.is_property:
                yield exercise, check


def known_property(exercise: Exercise, check: CheckSpec, settings: GradingSettings) -> FrozenProperty:
    """A public property's known examples as the TA's public grading replays them: drawn, and
    drawn again through the reference where it rejects one (its plan is recorded on the real
    reference first, as grading does)."""
    count = check.max_examples or settings.max_examples
    seed = settings.check_seed(f"{exercise.id}::{check.name}")
    plans.known_plan(check, exercise, count, seed, settings)
    examples = property_examples.known_examples(check, count, seed)
    if examples is None:
        raise FreezeError(f"{exercise.id}::{check.name}: its examples cannot be drawn ahead of grading (unsatisfiable "
                          "strategies, or examples that cannot be copied), so a release cannot freeze it")
    try:
        data = encode(examples, f"the examples of {check.name}")
    except FrozenError as exc:
        raise FreezeError(f"{exercise.id}::{check.name}: {exc.message}") from None
    rejected = property_examples.known_rejections(check, count, seed)
    return FrozenProperty(exercise.id, check.name, count, seed, data, tuple(sorted(rejected)))


def freeze_chapter(chapter: Chapter, *, sandbox: str = "process", strict: bool = False) -> FrozenData:
    """Record the reference and the oracles of ``chapter``'s public checks on its worked solution.

    A public check that does not pass on the solution while it is recorded (its reference gives
    a value that is not data, a sympy formula say) is left out of the self-check: the frozen
    data names it with the reason (:attr:`FrozenData.unfrozen`), and the self-check reports it
    as skipped; with ``strict``, a :class:`FreezeError` names every such check instead."""
    from graders.authoring.release import release_files
    from graders.chapters import load_release
    from graders.grading.client import Worker
    from graders.grading.engine import grade
    from graders.grading.submission import Submission
    from graders.sandbox import WorkerOptions, require

    local = get_profile(PUBLIC_PROFILE)
    properties = [known_property(exercise, check, local) for exercise, check in public_properties(chapter)]
    recorder = Recorder()
    worker = Worker(require(sandbox), options=WorkerOptions(preload=chapter.preload, packages=chapter.sandbox_packages))
    try:
        with tempfile.TemporaryDirectory(prefix="geodl-freeze-") as folder:
            for rel, text in release_files(chapter.id, solution=True).items():
                path = Path(folder) / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
            submission = Submission.from_path(Path(folder), chapter.id, release=load_release(chapter.id))
            with recorded(chapter, recorder):
                result = grade(submission, chapter, worker, local.replace(plan_calls=False))
    finally:
        worker.stop()
    unfrozen = {f"{graded.id}::{check.name}": _reason(check.message, recorder.objects(chapter.exercises[graded.id]))
                for graded in result.exercises for check in graded.checks
                if not check.passed and check.status != "skipped"}
    if unfrozen and strict:
        raise FreezeError(f"{len(unfrozen)} public check(s) of {chapter.id} could not be recorded on the worked "
                          "solution:\n" + "\n".join(f"{name}: {why}" for name, why in unfrozen.items()))
    properties = [p for p in properties if f"{p.exercise}::{p.check}" not in unfrozen]
    return FrozenData(chapter.id, input_digest(chapter), recorder.root, properties,
                      release_data(load_release(chapter.id)), unfrozen)


def _reason(message: str, objects: list[str]) -> str:
    """Why a check could not be recorded: its message, and the reference's values that were not data."""
    message = message.removeprefix("Internal grader error, not your fault: ")
    if objects:
        message += f" (values of the reference that are not data: {'; '.join(objects[:3])})"
    return message


def input_digest(chapter: Chapter) -> str:
    """SHA-256 of what a chapter's frozen data is recorded from: its grader files and the
    reference modules of its exercises."""
    import importlib

    digest = hashlib.sha256()
    paths = sorted(chapter.package_dir.glob("*.py")) if chapter.package_dir is not None else []
    for name in sorted({e.reference_name for e in chapter.exercises.values()}):
        module_file = getattr(importlib.import_module(name), "__file__", None)
        if module_file:
            paths.append(Path(module_file))
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
