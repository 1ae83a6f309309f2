"""A release's chapter as its self-check grades with it: the public checks the release holds
(``chNN/.geodl/chapter/``, :mod:`graders.authoring.extract`), each exercise's reference
substituted by the frozen one (:class:`~graders.authoring.frozen.FrozenRef` on the table of
``chNN/.geodl/frozen.msgpack``), every public property's known examples installed, and each check
the release could not record refusing to run (:class:`Unfrozen`, reported as skipped).

:func:`substitute_reference` is also how a release records the reference
(:mod:`graders.authoring.freeze`): an exercise's ``reference`` (a check's ``ctx.ref``) is made
another object for a while.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import importlib
import importlib.util
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from graders.authoring import oracles
from graders.authoring.frozen import (
    PACKAGE_PREFIX,
    TABLES,
    FrozenData,
    FrozenError,
    FrozenProperty,
    FrozenRef,
    LoadedTables,
    Node,
    decode,
)
from graders.errors import GeodlError
from graders.grading.spec import Chapter, Exercise

if TYPE_CHECKING:
    from graders.grading.submission import Release


def _with_reference(cls: type) -> type:
    """A subclass of an exercise's class whose ``reference`` is the one substituted (one per class)."""
    known = _SUBSTITUTED.get(cls)
    if known is None:
        known = _SUBSTITUTED[cls] = _subclass(cls)
    return known


_SUBSTITUTED: dict[type, type] = {}


def _subclass(cls: type) -> type:
    return type(cls.__name__, (cls,), {"__module__": cls.__module__, "reference": property(
        lambda self: self.__dict__["_geodl_reference"], doc="The reference substituted for this exercise's.")})


def substitute_reference(exercise: Exercise, reference: Any) -> Callable[[], None]:
    """Make ``exercise.reference`` (a check's ``ctx.ref``) be ``reference``; returns the undo."""
    original = type(exercise)
    exercise.__dict__["_geodl_reference"] = reference
    exercise.__class__ = _with_reference(original)

    def undo() -> None:
        exercise.__class__ = original
        exercise.__dict__.pop("_geodl_reference", None)

    return undo


@contextlib.contextmanager
def substituted_reference(exercise: Exercise, reference: Any) -> Iterator[None]:
    """:func:`substitute_reference` while the block runs."""
    undo = substitute_reference(exercise, reference)
    try:
        yield
    finally:
        undo()


# --------------------------------------------------------------------------- a release's chapter
#: Where a release keeps the self-check, inside the chapter folder.
RUNTIME_DIR = ".geodl"
#: The release's copy of the chapter's public checks (:mod:`graders.authoring.extract`), in RUNTIME_DIR.
CHAPTER_DIR = "chapter"
#: The frozen data, in RUNTIME_DIR.
FROZEN_FILE = "frozen.msgpack"


def release_data(release: "Release") -> dict:
    """A :class:`~graders.grading.submission.Release` as :attr:`FrozenData.release` keeps it."""
    return {"stubs": {rel: sorted(forms) for rel, forms in release.stubs.items()},
            "provided": dict(release.provided),
            "provided_forms": {rel: sorted(forms) for rel, forms in release.provided_forms.items()}}


def frozen_release(runtime: Path, chapter_id: str) -> "Release | None":
    """What the students of a release received (None where its frozen data does not say)."""
    from graders.grading.submission import Release

    load_frozen_chapter(runtime, chapter_id)
    data = _DATA[PACKAGE_PREFIX + chapter_id].release
    if data is None:
        return None
    return Release(chapter_id, stubs={rel: frozenset(forms) for rel, forms in data["stubs"].items()},
                   provided={rel: bytes(text) for rel, text in data["provided"].items()},
                   provided_forms={rel: frozenset(forms) for rel, forms in data["provided_forms"].items()})


def load_frozen_chapter(runtime: Path, chapter_id: str) -> Chapter:
    """The chapter of a release's self-check: its public checks from ``runtime/chapter/``
    (imported as the package ``_geodl_selfcheck_<chapter>``), every exercise's reference a
    :class:`FrozenRef` on the table of ``runtime/frozen.msgpack``, every public property's
    known examples installed (:func:`graders.grading.replay.examples.keep_known`). Loaded once
    per process: a process self-checks one release of a chapter."""
    package = PACKAGE_PREFIX + chapter_id
    runtime = runtime.resolve()
    loaded = _LOADED.get(package)
    if loaded is not None:
        if loaded[0] != runtime:
            raise FrozenError(f"this process already self-checks {chapter_id} with {loaded[0]}; it cannot load "
                              f"{runtime} too", hint="run each release's self-check in a process of its own")
        return loaded[1]
    source = runtime / FROZEN_FILE
    try:
        data = FrozenData.from_bytes(source.read_bytes(), str(source))
    except OSError as exc:
        raise FrozenError(f"{source} cannot be read ({exc.strerror})", hint="make the release again") from None
    if data.chapter != chapter_id:
        raise FrozenError(f"{source} holds the reference of {data.chapter}, not {chapter_id}")
    chapter = _import_chapter(runtime / CHAPTER_DIR, package, chapter_id)
    resolve = functools.partial(_resolve, package)
    TABLES[package] = (data.table, resolve)
    oracles.answer_from(LoadedTables())   # the checks library's oracles, such as a formula's samples
    for exercise in chapter.exercises.values():
        step = f"m:{exercise.reference_name}"
        substitute_reference(exercise, FrozenRef(data.table.kids.get(step, Node()), (step,), "ctx.ref", resolve))
    _install_examples(chapter, data.properties, resolve)
    _skip_unfrozen(chapter, data.unfrozen)
    _LOADED[package], _DATA[package] = (runtime, chapter), data
    return chapter


#: By package name: the runtime folder each chapter was loaded from, and the chapter.
_LOADED: dict[str, tuple[Path, Chapter]] = {}
_DATA: dict[str, FrozenData] = {}


def _import_chapter(folder: Path, package: str, chapter_id: str) -> Chapter:
    spec = importlib.util.spec_from_file_location(package, folder / "__init__.py",
                                                  submodule_search_locations=[str(folder)])
    if spec is None or spec.loader is None:
        raise FrozenError(f"{folder} holds no chapter package", hint="make the release again")
    module = importlib.util.module_from_spec(spec)
    sys.modules[package] = module
    spec.loader.exec_module(module)
    chapter = getattr(module, "chapter", None)
    if not isinstance(chapter, Chapter) or chapter.id != chapter_id:
        raise FrozenError(f"{folder / '__init__.py'} should declare chapter = Chapter({chapter_id!r}, ...)")
    for name in chapter.exercise_names:
        exercise = getattr(importlib.import_module(f"{package}.{name}"), "exercise", None)
        if not isinstance(exercise, Exercise):
            raise FrozenError(f"{folder / (name + '.py')} should declare exercise = Exercise(...)")
        chapter.add(exercise)
    return chapter


class Unfrozen(GeodlError):
    """A public check the release could not record: the self-check cannot decide it."""

    def __init__(self, check: str, why: str):
        super().__init__(f"{check} {UNFROZEN}: the release could not record its reference values ({why})",
                         reference="unfrozen-check", hint="it runs when your work is graded")


#: What the message of :class:`Unfrozen` says (the self-check's tests skip what it fails:
#: graders.cli.selfcheck.UNFROZEN).
UNFROZEN = "is not part of this self-check"


def _skip_unfrozen(chapter: Chapter, unfrozen: dict[str, str]) -> None:
    """Make each check of ``unfrozen`` raise :class:`Unfrozen` instead of running."""
    for name, why in unfrozen.items():
        exercise_id, _, check_name = name.partition("::")
        exercise = chapter.exercises.get(exercise_id)
        if exercise is None:
            continue
        for index, check in enumerate(exercise.checks):
            if check.name == check_name:
                def refuse(ctx: Any, *args: Any, _name: str = name, _why: str = why, **kwargs: Any) -> None:
                    raise Unfrozen(_name, _why)
                exercise.checks[index] = dataclasses.replace(check, func=refuse, given=None)


def _install_examples(chapter: Chapter, properties: list[FrozenProperty], resolve: Callable[[str], type]) -> None:
    from graders.grading.replay.examples import keep_known
    from graders.grading.settings import get_profile

    settings = get_profile("selfcheck")
    for frozen in properties:
        exercise = chapter.exercises.get(frozen.exercise)
        check = next((c for c in exercise.checks if c.name == frozen.check), None) if exercise is not None else None
        if check is None:
            raise FrozenError(f"the frozen data names {frozen.exercise}::{frozen.check}, which this release's checks "
                              "do not have", hint="make the release again")
        seed = settings.check_seed(f"{frozen.exercise}::{frozen.check}")
        count = check.max_examples or settings.max_examples
        if (frozen.count, frozen.seed) != (count, seed):
            raise FrozenError(f"{frozen.exercise}::{frozen.check} was frozen with {frozen.count} examples and seed "
                              f"{frozen.seed}; the self-check runs {count} with seed {seed}")
        keep_known(check, count, seed, decode(frozen.examples, resolve), frozenset(frozen.rejected))


def _resolve(package: str, name: str) -> type:
    """The class ``<module file stem>:<qualified name>`` among the frozen chapter's modules
    and the graders' own."""
    stem, _, qualname = name.partition(":")
    for module_name, module in list(sys.modules.items()):
        if module is None or module_name.rsplit(".", 1)[-1] != stem:
            continue
        if not (module_name.startswith(package + ".") or module_name.startswith("graders.")):
            continue
        obj: Any = module
        for part in qualname.split("."):
            obj = getattr(obj, part, None)
        if isinstance(obj, type):
            return obj
    raise FrozenError(f"frozen data holds an object of the class {name}, which this self-check does not have",
                      hint="make the release again")
