"""The authoring API: a chapter declares its exercises, each exercise its checks.

A grader spec reads like this::

    chapter = Chapter("ch06", title="Artificial neural networks and backpropagation")
    mlp = chapter.exercise(
        "ch06.mlp_backprop", module="ch06.mlp", functions=("mlp_forward", "mlp_backward"),
        reference="geodl_ref.ch06.mlp", forbidden=("torch",),
    )

    @mlp.check(points=2, visibility="public")
    def book_ex_6_4(ctx):
        '''Book ex 6.4: the two gradient-descent iterations of the worked example.'''
        cache = ctx.call("mlp_forward", params, X)
        ...

    @mlp.check(points=3, visibility="hidden", given={"net": mlp_nets()}, max_examples=15)
    def gradients_match_torch(ctx, net):
        ...

Checks receive a :class:`~graders.grading.context.CheckContext` (calls into the student's code, the
reference, and helpers), raise :class:`~graders.grading.outcomes.CheckFailed` on a wrong result, and
return nothing. A check with ``given`` is a hypothesis property: the strategies generate the
inputs in the grader, the engine runs it deterministically and reports the shrunk example.
Its examples are drawn once per process and replayed before any hypothesis run
(:mod:`graders.grading.replay.examples`; with ``batch_examples`` set, side by side with their calls batched:
:mod:`graders.grading.replay.batched`), so a property must keep no state between examples and reject inputs
with :func:`graders.authoring.checks.assume` rather than hypothesis's own. A replay's calls are planned on
the reference and made ahead in one stream (:mod:`graders.grading.replay.plans`): a body that computes later
inputs from the student's answers still grades exactly, one call at a time from the first answer
that differs from the reference's.
"""
from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
from pathlib import Path
from types import ModuleType
from typing import Callable, Literal, Mapping

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

    @property
    def is_property(self) -> bool:
        return bool(self.given)


class Exercise:
    """An exercise ``chNN.name``: the student module it grades and its checks, in order.

    Parameters
    ----------
    id : str
        ``"ch06.mlp_backprop"``.
    module : str
        The student's module, ``"ch06.mlp"`` (file ``ch06/mlp.py``).
    functions : tuple of str
        The public names the exercise asks for (documentation and stub checks).
    reference : str
        The reference module in ``geodl_ref`` (the worked solution), ``"geodl_ref.ch06.mlp"``.
    forbidden : tuple of str
        Dotted names the submission must not use: modules (``"sklearn"``, ``"torch"``) or
        library callables (``"numpy.kron"``).
    gpu : bool
        The exercise has device checks (they run only where the worker has CUDA).
    title : str
        One line for tables.
    """

    def __init__(self, id: str, *, module: str, functions: tuple[str, ...], reference: str,
                 forbidden: tuple[str, ...] = (), gpu: bool = False, title: str = ""):
        if not _EXERCISE_ID.match(id):
            raise ValueError(f"exercise id={id!r} should look like 'ch06.mlp_backprop'")
        if not _MODULE.match(module) or module.split(".")[0] != id.split(".")[0]:
            raise ValueError(f"module={module!r} should be a module of chapter {id.split('.')[0]}, e.g. 'ch06.mlp'")
        self.id = id
        self.module = module
        self.functions = tuple(functions)
        self.reference_name = reference
        self.forbidden = tuple(forbidden)
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
              max_examples: int | None = None, gpu: bool = False) -> Callable[[Callable], Callable]:
        """Decorator declaring a check of this exercise (checks run in declaration order)."""
        if not points > 0:
            raise ValueError(f"points={points!r} must be positive")
        if visibility not in VISIBILITIES:
            raise ValueError(f"visibility={visibility!r} must be one of {', '.join(VISIBILITIES)}")
        if max_examples is not None and max_examples < 1:
            raise ValueError(f"max_examples={max_examples!r} must be at least 1")

        def register(func: Callable) -> Callable:
            if any(c.name == func.__name__ for c in self.checks):
                raise ValueError(f"{self.id} already has a check named {func.__name__!r}")
            params = list(inspect.signature(func).parameters)
            missing = set(given or {}) - set(params[1:])
            if not params or missing:
                raise TypeError(f"check {func.__name__} must take (ctx, {', '.join(given or {})}); "
                                f"missing parameters: {sorted(missing) or 'ctx'}")
            doc = inspect.getdoc(func) or ""
            self.checks.append(CheckSpec(
                name=func.__name__, points=float(points), visibility=visibility, func=func,
                given=dict(given) if given else None, max_examples=max_examples, gpu=gpu,
                description=doc.split("\n\n")[0].replace("\n", " "),
            ))
            return func

        return register


class Chapter:
    """A chapter (an assignment): its exercises in order, and where its wrong variants live."""

    def __init__(self, id: str, *, title: str, preload: tuple[str, ...] = ("numpy",)):
        if not re.match(r"^ch\d\d$", id):
            raise ValueError(f"chapter id={id!r} should look like 'ch06'")
        self.id = id
        self.title = title
        #: modules the worker should preload for this chapter alone (a student's self-check)
        self.preload = tuple(preload)
        self.exercises: dict[str, Exercise] = {}
        self.package_dir: Path | None = None

    def __repr__(self) -> str:
        return f"<Chapter {self.id}: {len(self.exercises)} exercises>"

    def exercise(self, id: str, **kwargs) -> Exercise:
        if id in self.exercises:
            raise ValueError(f"{self.id} already declares {id}")
        if not id.startswith(self.id + "."):
            raise ValueError(f"exercise {id!r} does not belong to chapter {self.id}")
        exercise = Exercise(id, **kwargs)
        self.exercises[id] = exercise
        return exercise

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
        may not import torch gains nothing from a warden that has: on a 2-core VM that import and
        its warm-up are 5 s of each sandbox's start, and most of its memory. A batch narrows it
        to what its class's code uses (:func:`graders.batch.run.class_preload`)."""
        from graders.sandbox.base import DEFAULT_PRELOAD

        banned = set.intersection(*(set(e.forbidden) for e in self.exercises.values())) if self.exercises else set()
        return tuple(m for m in DEFAULT_PRELOAD if not any(m == b or m.startswith(b + ".") for b in banned))

    @property
    def modules(self) -> list[str]:
        """The student modules of the chapter, without duplicates, in exercise order."""
        return list(dict.fromkeys(e.module for e in self.exercises.values()))

    @property
    def variants_dir(self) -> Path:
        if self.package_dir is None:
            raise RuntimeError(f"chapter {self.id} was not loaded through graders.chapters.load_chapter")
        return self.package_dir / "variants"


def grade_id(exercise_id: str, check_name: str) -> str:
    """The nbgrader grade cell of a check: ``mlp_backprop__book_ex_6_4``."""
    return f"{exercise_id.split('.', 1)[1]}__{check_name}"
