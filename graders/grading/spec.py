"""A chapter's grader spec: its exercises, each with its checks (the data model that
:mod:`graders.authoring` exposes to exercise authors).

An exercise's file, ``graders/chapters/ch06/mlp_backprop.py``, reads like this::

    from graders.authoring import Array, Exercise, assert_close

    exercise = Exercise(module="ch06.mlp", functions=("mlp_forward", "mlp_backward"),
                        title="MLP forward pass and backpropagation")

    @exercise.check(points=2)
    def book_ex_6_4(ctx):
        '''Book ex 6.4: the two gradient-descent iterations of the worked example.'''
        out = ctx.call("mlp_forward", params, X, returns=...)
        ...

    @exercise.check(points=3, visibility="hidden", given={"net": nets()}, max_examples=15)
    def gradients_match_torch(ctx, net):
        ...

Its id (``ch06.mlp_backprop``) follows from the file, its reference (``geodl_ref.ch06.mlp``) from
its module, and the chapter registers it by its name (``Chapter(..., exercises=(...))``, in the
chapter package's ``__init__``). ``docs/authoring.md`` is the guide.

Checks receive a :class:`~graders.grading.context.CheckContext` (calls into the student's code,
the reference, and helpers), raise :class:`~graders.grading.outcomes.CheckFailed` on a wrong
result, and return nothing. A check with ``given`` is a hypothesis property: the strategies
generate the inputs in the grader, the engine runs it deterministically and reports the shrunk
example. Its examples are drawn once per process and replayed before any hypothesis run
(:mod:`graders.grading.replay`), so a property must keep no state between examples and reject
inputs with :func:`graders.grading.outcomes.assume` rather than hypothesis's own.
"""
from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Literal, Mapping, Sequence

from graders.grading.forbidden import with_twins

Visibility = Literal["public", "hidden", "after_deadline"]
VISIBILITIES = ("public", "hidden", "after_deadline")

_EXERCISE_ID = re.compile(r"^ch\d\d\.[a-z][a-z0-9_]*$")
_MODULE = re.compile(r"^ch\d\d(\.[a-z_][a-z0-9_]*)+$")


@dataclasses.dataclass(frozen=True)
class CheckSpec:
    """One check: its name, points, visibility, and the function that performs it."""

    name: str
    points: float
    visibility: Visibility
    func: Callable
    given: Mapping[str, object] | None = None
    max_examples: int | None = None
    gpu: bool = False
    description: str = ""
    #: The check this one's points count only with: it passes only if that one passed too. For
    #: a check that a degenerate answer (zeros, a constant) can satisfy on its own, such as "b is
    #: centred", which only means something once b is right (``geodl validate``'s degenerate gate).
    depends_on: str | None = None

    @property
    def is_property(self) -> bool:
        return bool(self.given)


class Row:
    """One row of a table of checks (:meth:`Exercise.table`): its check's name and description,
    the arguments the table's body gets for it, and, optionally, its own points."""

    def __init__(self, name: str, description: str, *, points: float | None = None, **arguments: Any):
        self.name, self.description, self.points, self.arguments = name, description, points, arguments

    def __repr__(self) -> str:
        return f"<Row {self.name}>"


def row(name: str, description: str, *, points: float | None = None, **arguments: Any) -> Row:
    """A row of :meth:`Exercise.table`: the check ``name`` (described to students by
    ``description``) runs the table's body with ``arguments``."""
    return Row(name, description, points=points, **arguments)


class Exercise:
    """An exercise ``chNN.name``: the student module it grades and its checks, in order.

    Parameters
    ----------
    module : str
        The student's module, ``"ch06.mlp"`` (file ``ch06/mlp.py``).
    functions : tuple of str
        The public names the exercise asks for (documentation and stub checks).
    forbidden : tuple of str
        Dotted names the submission must not use, on top of what its chapter forbids: modules
        (``"sklearn"``, ``"torch"``) or library callables (``"numpy.kron"``).
    gpu : bool
        The exercise has device checks (they run only where the worker has CUDA).
    title : str
        One line for tables.
    id : str, optional
        ``"ch06.mlp_backprop"``. By default it follows from the file that declares the exercise,
        ``graders/chapters/ch06/mlp_backprop.py``.
    reference : str, optional
        The reference module (the worked solution). By default ``geodl_ref.`` + ``module``.
    mutates : tuple of str
        The functions that may change their arguments in place (their specification says so).
        Every other function a check calls must leave its arguments as they were: a call that
        changes one fails the check ("mlp_backward modified its argument cache in place").
    call_timeout_s : float, optional
        The wall-clock limit of one call into the student's code for this exercise, where its
        specification asks for more than the settings' ``call_timeout_s`` (a training loop); the
        larger of the two applies, always within the exercise's ``exercise_timeout_s``.
    """

    def __init__(self, *, module: str, functions: tuple[str, ...], forbidden: tuple[str, ...] = (),
                 gpu: bool = False, title: str = "", id: str | None = None, reference: str | None = None,
                 mutates: tuple[str, ...] = (), call_timeout_s: float | None = None):
        id = id if id is not None else _id_of_declaring_file(sys._getframe(1).f_globals.get("__name__", ""))
        if not _EXERCISE_ID.match(id):
            raise ValueError(f"exercise id={id!r} should look like 'ch06.mlp_backprop'")
        if not _MODULE.match(module) or module.split(".")[0] != id.split(".")[0]:
            raise ValueError(f"module={module!r} should be a module of chapter {id.split('.')[0]}, e.g. 'ch06.mlp'")
        self.id = id
        self.module = module
        self.functions = tuple(functions)
        self.reference_name = reference if reference is not None else f"geodl_ref.{module}"
        self.forbidden = tuple(forbidden)
        self.mutates = tuple(mutates)
        if call_timeout_s is not None and not (isinstance(call_timeout_s, (int, float)) and call_timeout_s > 0):
            raise ValueError(f"call_timeout_s={call_timeout_s!r} should be a positive number of seconds")
        self.call_timeout_s = call_timeout_s
        self.gpu = gpu
        self.title = title
        self.checks: list[CheckSpec] = []

    def __repr__(self) -> str:
        return f"<Exercise {self.id} ({len(self.checks)} checks, {self.max_points:g} points)>"

    @property
    def name(self) -> str:
        return self.id.split(".", 1)[1]

    @property
    def chapter_id(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def module_file(self) -> str:
        """The student's file, relative to the submission root: ``ch06/mlp.py``."""
        return self.module.replace(".", "/") + ".py"

    @property
    def max_points(self) -> float:
        return sum(c.points for c in self.checks)

    @property
    def reference(self) -> ModuleType:
        """The reference module (imported on first use; never available in the worker)."""
        return importlib.import_module(self.reference_name)

    def check(self, *, points: float, visibility: Visibility = "public", given: Mapping[str, object] | None = None,
              max_examples: int | None = None, gpu: bool = False,
              depends_on: str | None = None) -> Callable[[Callable], Callable]:
        """Decorator declaring a check of this exercise (checks run in declaration order);
        ``depends_on`` names an earlier check whose failure fails this one too."""
        _validate_check_options(points, visibility, max_examples)

        def register(func: Callable) -> Callable:
            doc = inspect.getdoc(func) or ""
            self._add(func.__name__, func, points, visibility, given, max_examples, gpu,
                      doc.split("\n\n")[0].replace("\n", " "), depends_on)
            return func

        return register

    def table(self, rows: Sequence[Row], *, points: float, visibility: Visibility = "public",
              given: Mapping[str, object] | None = None, max_examples: int | None = None,
              gpu: bool = False, depends_on: str | None = None) -> Callable[[Callable], Callable]:
        """Decorator declaring one check per row (:func:`row`), as ``pytest.mark.parametrize``
        does: each runs the decorated body with its row's arguments, under its row's name and
        description, for its row's points (or ``points``)."""
        _validate_check_options(points, visibility, max_examples)
        if not rows:
            raise ValueError("a table of checks needs at least one row")

        def register(func: Callable) -> Callable:
            for each in rows:
                row_points = points if each.points is None else each.points
                _validate_check_options(row_points, visibility, max_examples)
                self._add(each.name, _Bound(func, each), row_points, visibility, given, max_examples, gpu,
                          each.description, depends_on)
            return func

        return register

    def _add(self, name: str, func: Callable, points: float, visibility: Visibility,
             given: Mapping[str, object] | None, max_examples: int | None, gpu: bool, description: str,
             depends_on: str | None = None) -> None:
        if any(c.name == name for c in self.checks):
            raise ValueError(f"{self.id} already has a check named {name!r}")
        if depends_on is not None:
            self._validate_dependency(name, visibility, depends_on)
        params = list(inspect.signature(func).parameters)
        missing = set(given or {}) - set(params[1:])
        if not params or missing:
            raise TypeError(f"check {name} must take (ctx, {', '.join(given or {})}); "
                            f"missing parameters: {sorted(missing) or 'ctx'}")
        self.checks.append(CheckSpec(name=name, points=float(points), visibility=visibility, func=func,
                                     given=dict(given) if given else None, max_examples=max_examples, gpu=gpu,
                                     description=description, depends_on=depends_on))

    def _validate_dependency(self, name: str, visibility: str, depends_on: str) -> None:
        """A check depends on an earlier check of its exercise that every run that runs it runs
        too: a public check only on a public one."""
        earlier = {c.name: c for c in self.checks}
        if depends_on not in earlier:
            raise ValueError(f"check {name} depends_on={depends_on!r}, which is not an earlier check of {self.id} "
                             f"(earlier: {', '.join(earlier) or 'none'})")
        if visibility == "public" and earlier[depends_on].visibility != "public":
            hidden = earlier[depends_on].visibility
            raise ValueError(f"public check {name} depends_on={depends_on!r}, which is {hidden}: "
                             "a student's self-check could not score it")


class _Bound:
    """A table's body bound to one row's arguments: called as a check, ``(ctx, **drawn)``."""

    def __init__(self, func: Callable, each: Row):
        self.func, self.arguments = func, each.arguments
        self.__name__ = each.name
        self.__signature__ = inspect.signature(func).replace(parameters=[
            p for p in inspect.signature(func).parameters.values() if p.name not in each.arguments])
        unknown = set(each.arguments) - set(inspect.signature(func).parameters)
        if unknown:
            raise TypeError(f"row {each.name}: {func.__name__} takes no argument {', '.join(sorted(unknown))}")

    def __call__(self, ctx, **drawn):
        return self.func(ctx, **self.arguments, **drawn)


def _validate_check_options(points: float, visibility: str, max_examples: int | None) -> None:
    if not points > 0:
        raise ValueError(f"points={points!r} must be positive")
    if visibility not in VISIBILITIES:
        raise ValueError(f"visibility={visibility!r} must be one of {', '.join(VISIBILITIES)}")
    if max_examples is not None and max_examples < 1:
        raise ValueError(f"max_examples={max_examples!r} must be at least 1")


def _id_of_declaring_file(module_name: str) -> str:
    """``ch06.mlp_backprop`` for the module ``graders.chapters.ch06.mlp_backprop``."""
    parts = module_name.split(".")
    if len(parts) == 4 and parts[:2] == ["graders", "chapters"]:
        return f"{parts[2]}.{parts[3]}"
    raise ValueError(f"an exercise declared in {module_name!r} needs id='chNN.name': only "
                     "graders/chapters/chNN/<name>.py gives it one by itself")


class Chapter:
    """A chapter (an assignment): its exercises in order, and where its wrong variants live.

    Parameters
    ----------
    id : str
        ``"ch06"``.
    title : str
    preload : tuple of str
        Modules the chapter's own code uses: a worker grading it alone preloads them.
    forbidden : tuple of str
        What every exercise of the chapter forbids (the grader's oracles, say), on top of each
        exercise's own.
    exercises : tuple of str
        The names of the chapter's exercises, in order: ``graders/chapters/<id>/<name>.py``
        declares each (:func:`graders.chapters.load_chapter` imports them and adds them).
    """

    def __init__(self, id: str, *, title: str, preload: tuple[str, ...] = ("numpy",), forbidden: tuple[str, ...] = (),
                 exercises: tuple[str, ...] = ()):
        if not re.match(r"^ch\d\d$", id):
            raise ValueError(f"chapter id={id!r} should look like 'ch06'")
        self.id = id
        self.title = title
        #: modules the worker should preload for this chapter alone (a student's self-check)
        self.preload = tuple(preload)
        self.forbidden = tuple(forbidden)
        self.exercise_names = tuple(exercises)
        self.exercises: dict[str, Exercise] = {}
        self.package_dir: Path | None = None

    def __repr__(self) -> str:
        return f"<Chapter {self.id}: {len(self.exercises)} exercises>"

    def add(self, exercise: Exercise) -> Exercise:
        """Make ``exercise`` one of the chapter's (the last, so far), forbidding what the chapter forbids."""
        if exercise.id in self.exercises:
            raise ValueError(f"{self.id} already declares {exercise.id}")
        if exercise.chapter_id != self.id:
            raise ValueError(f"exercise {exercise.id!r} does not belong to chapter {self.id}")
        exercise.forbidden = with_twins(tuple(dict.fromkeys(self.forbidden + exercise.forbidden)))
        self.exercises[exercise.id] = exercise
        return exercise

    def exercise(self, id: str, **kwargs: Any) -> Exercise:
        """Declare an exercise in place (tests; a chapter's own exercises live in files of their own)."""
        return self.add(Exercise(id=id, **kwargs))

    @property
    def max_points(self) -> float:
        return sum(e.max_points for e in self.exercises.values())

    @property
    def needs_gpu(self) -> bool:
        """Whether any exercise of the chapter is graded on a GPU (its sandboxes then get one)."""
        return any(e.gpu for e in self.exercises.values())

    @property
    def warm_preload(self) -> tuple[str, ...]:
        """What the warm workers of this chapter may preload: the default
        (:data:`graders.sandbox.base.DEFAULT_PRELOAD`: numpy, scipy, sympy, torch with its
        optimizers warmed) less the modules that every exercise of the chapter forbids. Code that
        may not import torch gains nothing from a warden that has: that import and its warm-up
        are most of a sandbox's start and of its memory. A batch narrows it to what its class's
        code uses (:func:`graders.batch.preload.class_preload`)."""
        from graders.sandbox.base import DEFAULT_PRELOAD

        banned = set.intersection(*(set(e.forbidden) for e in self.exercises.values())) if self.exercises else set()
        return tuple(m for m in DEFAULT_PRELOAD if not any(m == b or m.startswith(b + ".") for b in banned))

    @property
    def sandbox_packages(self) -> tuple[str, ...]:
        """The Python distributions the chapter's sandboxes hold
        (:attr:`graders.sandbox.base.WorkerOptions.packages`): of the worker's
        (:data:`graders.sandbox.environment.WORKER_DISTRIBUTIONS`: numpy, scipy, torch, sympy,
        msgpack), those that not every exercise forbids, by the rule of :attr:`warm_preload`
        (``"torch"`` forbids the distribution torch; ``"scipy.sparse"`` or ``"numpy.kron"`` do
        not forbid theirs); numpy and msgpack always, the worker's own. A distribution left out
        has no file in the sandbox: ch06, where every exercise forbids torch, gets no torch at all,
        whatever the student's code does to the import system."""
        from graders.sandbox.environment import REQUIRED_DISTRIBUTIONS, WORKER_DISTRIBUTIONS

        banned = set.intersection(*(set(e.forbidden) for e in self.exercises.values())) if self.exercises else set()
        return tuple(d for d in WORKER_DISTRIBUTIONS if d in REQUIRED_DISTRIBUTIONS or d not in banned)

    @property
    def modules(self) -> list[str]:
        """The student modules of the chapter, without duplicates, in exercise order."""
        return list(dict.fromkeys(e.module for e in self.exercises.values()))

    @property
    def variants_dir(self) -> Path:
        if self.package_dir is None:
            raise RuntimeError(f"chapter {self.id} was not loaded through graders.chapters.load_chapter")
        return self.package_dir / "variants"
