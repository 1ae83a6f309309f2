"""Variants: submissions that prove an exercise's checks bite, and that they bite nothing else.

Three kinds, each the worked solution with definitions appended to the exercise's module (so
they replace the correct ones); the grader never imports them: they are student code, graded
like any.

* **wrong** (``graders/chapters/chNN/variants/<exercise>/<name>.py``): what a buggy student would
  have written (its module docstring names the bug); must lose points. One that only a GPU can
  expose (a hard-coded ``.cuda()`` works where there is one; data left on the CPU fails only
  there) lives in ``variants/<exercise>/gpu/<name>.py``: it must lose points where the worker has
  CUDA, and is reported as not run where it has none.
* **alternative** (``graders/chapters/chNN/alternatives/<exercise>/<name>.py``): a correct
  implementation written another way (another formula, another library call, another order of
  operations); must score full marks, so that no check fails a right answer on rounding or form.
* **degenerate** (built here, :data:`DEGENERATE_KINDS`): every function of the exercise at once
  made to return zeros, a constant, its first input, or random values of the right shape and
  type (the worked solution's value, degenerated; a class's public methods likewise); every
  check must fail each of them unless it declares the check it depends on (``depends_on``).
  The fifth degenerate, "raise", is the stub, which must score zero.
"""
from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

from graders.authoring.stubs import chapter_sources
from graders.grading.spec import Chapter


@dataclasses.dataclass(frozen=True)
class Variant:
    exercise_id: str
    name: str
    description: str
    path: Path
    kind: str = "wrong"   #: wrong | alternative
    gpu: bool = False     #: a wrong variant only a GPU worker can catch (``variants/<exercise>/gpu/``)

    @property
    def id(self) -> str:
        return f"{self.exercise_id}:{self.name}"


def load_variants(chapter: Chapter, kind: str = "wrong") -> list[Variant]:
    """Every variant of the chapter of ``kind`` (``wrong`` or ``alternative``), in exercise
    order then by name."""
    if kind not in ("wrong", "alternative"):
        raise ValueError(f"kind={kind!r} should be 'wrong' or 'alternative'")
    root = chapter.variants_dir if kind == "wrong" else chapter.variants_dir.parent / "alternatives"
    found = []
    for exercise in chapter.exercises.values():
        folder = root / exercise.name
        paths = [(path, False) for path in sorted(folder.glob("*.py"))] if folder.is_dir() else []
        if kind == "wrong" and (folder / "gpu").is_dir():
            paths += [(path, True) for path in sorted((folder / "gpu").glob("*.py"))]
        for path, gpu in paths:
            doc = ast.get_docstring(ast.parse(path.read_text())) or ""
            found.append(Variant(exercise.id, path.stem, doc.split("\n")[0], path, kind, gpu=gpu))
    return found


def variant_files(chapter: Chapter, variant: Variant) -> dict[str, bytes]:
    """The submission files of a variant: the solution with the variant appended to its module."""
    exercise = chapter.exercises[variant.exercise_id]
    files = chapter_sources(chapter.id, chapter.modules, solution=True)
    files[exercise.module_file] += (f"\n\n# ---- {variant.kind} variant {variant.name}: {variant.description}\n"
                                    + variant.path.read_text())
    return {k: v.encode() for k, v in files.items()}


#: The degenerate implementations every exercise's checks must fail.
DEGENERATE_KINDS = ("zeros", "constant", "first_input", "random")

_DEGENERATE = '''

# ---- degenerate variant {kind}: every function of the exercise returns {what}
def _geodl_degenerate(kind, names):
    import functools
    import sys
    import types

    import numpy

    module = globals()
    originals = dict(module)  # the worked solution's functions keep calling each other
    draw = numpy.random.default_rng(0)

    def like(value):
        torch = sys.modules.get("torch")
        if torch is not None and isinstance(value, torch.Tensor):  # degenerated as its values, kept a tensor
            return torch.from_numpy(like(value.detach().cpu().numpy())).to(value.device)
        if isinstance(value, (bool, numpy.bool_)):
            return {{"zeros": False, "constant": True}}.get(kind, bool(draw.random() < 0.5))
        if isinstance(value, numpy.ndarray) and value.dtype.kind in "biufc":
            if kind == "zeros":
                return numpy.zeros_like(value)
            if kind == "constant":
                return numpy.full_like(value, 1 if value.dtype.kind in "biu" else 0.5)
            if value.dtype.kind == "b":
                return draw.random(value.shape) < 0.5
            if value.dtype.kind in "iu":
                return draw.integers(0, 4, size=value.shape).astype(value.dtype)
            return draw.standard_normal(value.shape).astype(value.dtype)
        if isinstance(value, (int, float, complex, numpy.number)):
            if kind == "zeros":
                return type(value)(0)
            if kind == "constant":
                return type(value)(1 if isinstance(value, (int, numpy.integer)) else 0.5)
            if isinstance(value, (int, numpy.integer)):
                return type(value)(int(draw.integers(0, 4)))
            return type(value)(float(draw.standard_normal()))
        if isinstance(value, str):
            return {{"zeros": "0", "constant": "1"}}.get(kind, "x")
        if type(value).__module__.split(".")[0] == "sympy":
            return like_sympy(value)
        if isinstance(value, (tuple, list)):
            return type(value)(like(item) for item in value)
        if isinstance(value, dict):
            return {{key: like(item) for key, item in value.items()}}
        if callable(value) and not isinstance(value, type):
            return functools.wraps(value)(lambda *args, **kwargs: like(value(*args, **kwargs)))
        return value

    def like_sympy(value):
        import sympy

        fill = {{"zeros": 0, "constant": 1}}
        if getattr(value, "is_Matrix", False):
            rows, cols = value.shape
            return sympy.Matrix(rows, cols, lambda i, j: fill.get(kind, int(draw.integers(2, 9))))
        return sympy.Integer(fill.get(kind, int(draw.integers(2, 9))))

    def degenerate(name, function):
        original = types.FunctionType(function.__code__, originals, function.__name__, function.__defaults__,
                                      function.__closure__)
        original.__kwdefaults__ = function.__kwdefaults__

        @functools.wraps(function)
        def answer(*args, **kwargs):
            if kind == "first_input":
                return args[0] if args else next(iter(kwargs.values()), None)
            return like(original(*args, **kwargs))
        return answer

    def degenerate_methods(cls):
        # A class the exercise asks for (a coupling layer): its public methods degenerate, on
        # the instance's arguments (the first input is the one after self).
        for attr, method in list(vars(cls).items()):
            if isinstance(method, types.FunctionType) and not attr.startswith("_"):
                wrong = degenerate(attr, method)
                setattr(cls, attr, functools.wraps(method)(
                    lambda self, *args, _wrong=wrong, **kwargs: _wrong(*args, **kwargs) if kind == "first_input"
                    else _wrong(self, *args, **kwargs)))
        return cls

    def replaced(name, value):
        if isinstance(value, type):
            return degenerate_methods(value)
        if isinstance(value, types.FunctionType):
            return degenerate(name, value)
        if isinstance(value, dict):  # a table of functions (ch01's CONJUGATES)
            return {{key: replaced(name, item) for key, item in value.items()}}
        if isinstance(value, (tuple, list)):
            return type(value)(replaced(name, item) for item in value)
        return value

    for name in names:
        if name in module:
            module[name] = replaced(name, module[name])


_geodl_degenerate({kind!r}, {names!r})
del _geodl_degenerate
'''

_DEGENERATE_WHAT = {"zeros": "zeros of its answer's shape and type", "constant": "a constant of its answer's shape",
                    "first_input": "its first argument", "random": "random values of its answer's shape and type"}


def degenerate_files(chapter: Chapter, exercise_id: str, kind: str) -> dict[str, bytes]:
    """The submission files of the degenerate implementation ``kind`` of an exercise: the
    worked solution with every function the exercise asks for replaced at once."""
    if kind not in DEGENERATE_KINDS:
        raise ValueError(f"kind={kind!r} should be one of {', '.join(DEGENERATE_KINDS)}")
    exercise = chapter.exercises[exercise_id]
    files = chapter_sources(chapter.id, chapter.modules, solution=True)
    files[exercise.module_file] += _DEGENERATE.format(kind=kind, what=_DEGENERATE_WHAT[kind],
                                                      names=tuple(exercise.functions))
    return {k: v.encode() for k, v in files.items()}
