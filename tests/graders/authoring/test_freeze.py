"""The reference as a release holds it: what a recording of ``ctx.ref`` and of the oracles keeps
(graders/authoring/freeze.py), what the self-check gets back from it (graders/authoring/frozen.py),
and the release's copy of a chapter's checks (graders/authoring/extract.py)."""
from __future__ import annotations

import importlib.util
import sys
import types

import numpy as np
import pytest

from graders.authoring import oracles
from graders.authoring.extract import extract_chapter
from graders.authoring.freeze import Recorder, RecordingRef
from graders.authoring.frozen import (
    TABLES,
    FrozenData,
    FrozenMiss,
    FrozenRef,
    frozen_oracle,
)
from graders.authoring.frozen_chapter import substituted_reference
from graders.authoring.oracles import oracle
from graders.grading.spec import Exercise


class Model:
    """An object of the reference's own (not data): the self-check goes on from it by its path."""

    def __init__(self, scale: float):
        self.scale = scale

    def predict(self, x):
        return self.scale * np.asarray(x)


def _reference() -> types.SimpleNamespace:
    return types.SimpleNamespace(
        norm=lambda x, *, p=2: float(np.linalg.norm(x, ord=p)),
        TABLE={"a": np.arange(3.0)},
        Model=Model,
    )


def _frozen(recorder: Recorder) -> FrozenRef:
    """The recorded table after a trip through frozen.msgpack's bytes, as the self-check's ctx.ref."""
    data = FrozenData.from_bytes(FrozenData("ch99", "digest", recorder.root, []).to_bytes())
    step = "m:ref"
    return FrozenRef(data.table.kids[step], (step,), "ctx.ref", lambda name: Model)


def _recording(recorder: Recorder) -> RecordingRef:
    step = "m:ref"
    return RecordingRef(_reference(), recorder.root.kid(step), (step,), "ctx.ref")


def test_the_self_check_gets_back_what_the_reference_answered():
    recorder = Recorder()
    ref = _recording(recorder)
    x = np.array([3.0, 4.0])
    recorded = (ref.norm(x), ref.norm(x, p=1), ref.TABLE["a"], ref.Model(2.0).predict([1.0, 2.0]))
    frozen = _frozen(recorder)
    again = (frozen.norm(x), frozen.norm(x, p=1), frozen.TABLE["a"], frozen.Model(2.0).predict([1.0, 2.0]))
    assert recorded[:2] == again[:2] == (5.0, 7.0)
    np.testing.assert_array_equal(again[2], np.arange(3.0))
    np.testing.assert_array_equal(again[3], [2.0, 4.0])


def test_a_call_matches_within_rounding_and_a_new_call_is_a_miss_naming_it():
    recorder = Recorder()
    x = np.array([0.1, 0.2, 0.3])
    _recording(recorder).norm(x)
    frozen = _frozen(recorder)
    assert frozen.norm(x * (1 + 1e-15)) == pytest.approx(float(np.linalg.norm(x)))
    with pytest.raises(FrozenMiss, match=r"ctx\.ref\.norm\(.*\)"):
        frozen.norm(x + 1e-3)
    with pytest.raises(FrozenMiss, match="ctx.ref.solve"):
        frozen.solve  # noqa: B018 - never recorded


def test_each_value_is_a_fresh_copy():
    recorder = Recorder()
    _recording(recorder).TABLE["a"]  # noqa: B018 - recorded
    frozen = _frozen(recorder)
    frozen.TABLE["a"][0] = 99.0
    assert frozen.TABLE["a"][0] == 0.0


@oracle
def _squares(n, offset=0):
    return [i * i + offset for i in range(n)]


def test_an_oracle_is_recorded_and_answered_from_its_signature():
    recorder = Recorder()
    with oracles.recording(recorder):
        assert _squares(3) == [0, 1, 4]
    assert _squares(2, offset=1) == [1, 2]  # not recording: called as written, nothing kept
    package = "_geodl_selfcheck_ch99"

    def _squares_copy(n, offset=0): ...
    _squares_copy.__module__, _squares_copy.__qualname__ = f"{package}.{__name__.rsplit('.', 1)[-1]}", "_squares"
    answered = frozen_oracle(_squares_copy)
    data = FrozenData.from_bytes(FrozenData("ch99", "", recorder.root, []).to_bytes())
    TABLES[package] = (data.table, lambda name: Model)
    try:
        assert answered(n=3, offset=0) == [0, 1, 4]  # the same call, written otherwise
        with pytest.raises(FrozenMiss):
            answered(2, offset=1)
    finally:
        del TABLES[package]


def test_a_substituted_reference_is_the_exercises_until_the_block_ends():
    exercise = Exercise(module="ch99.demo", functions=("f",), id="ch99.demo")
    stand_in = object()
    with substituted_reference(exercise, stand_in):
        assert exercise.reference is stand_in
    assert type(exercise) is Exercise


GRADER = '''"""ch99.demo: its hidden check is `secret_check`."""
from __future__ import annotations

import itertools

import numpy as np

from graders.authoring import Exercise, oracle
from ._data import PUBLIC_POINTS, HIDDEN_POINTS

exercise = Exercise(module="ch99.demo", functions=("f",), id="ch99.demo")


def _shared(x):
    """Used by the public check."""
    return np.asarray(x) * 2  # a comment


def _only_hidden(x):
    return list(itertools.chain(x))


@oracle
def _expected(x, scale=1.0):
    """The answer."""
    return SOLUTION_MARKER_sum_of_squares(x) * scale


@exercise.check(points=1)
def public_check(ctx):
    """The public check."""
    ctx.call("f", _shared(PUBLIC_POINTS)) == _expected(PUBLIC_POINTS)


@exercise.check(points=1, visibility="hidden")
def secret_check(ctx):
    """Hidden description."""
    ctx.call("f", _only_hidden(HIDDEN_POINTS))
'''

DATA = '''PUBLIC_POINTS = [1.0, 2.0]
HIDDEN_POINTS = [3.0]
'''


def test_the_release_copy_holds_the_public_checks_and_nothing_else(tmp_path):
    from graders.grading.spec import Chapter

    package = tmp_path / "ch99"
    package.mkdir()
    (package / "__init__.py").write_text('from graders.authoring import Chapter\n\n'
                                         'chapter = Chapter("ch99", title="Demo", exercises=("demo",))\n')
    (package / "demo.py").write_text(GRADER.replace("SOLUTION_MARKER_sum_of_squares", "sum_of_squares"))
    (package / "_data.py").write_text(DATA)
    spec = importlib.util.spec_from_file_location("_test_extract_ch99", package / "__init__.py",
                                                  submodule_search_locations=[str(package)])
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        demo = importlib.import_module(f"{spec.name}.demo")
    finally:
        for name in [n for n in sys.modules if n.startswith(spec.name)]:
            del sys.modules[name]
    chapter = Chapter("ch99", title="Demo", exercises=("demo",))
    chapter.package_dir = package
    chapter.add(demo.exercise)
    files = extract_chapter(chapter)
    assert set(files) == {"__init__.py", "demo.py", "_data.py"}
    text = files["demo.py"]
    for gone in ("secret_check", "Hidden description", "_only_hidden", "itertools", "sum_of_squares", "The answer",
                 "Used by the public check", "a comment", "HIDDEN_POINTS"):
        assert gone not in text, gone
    for kept in ("def public_check(ctx)", '"""The public check."""', "def _shared(x)", "@frozen_oracle",
                 "def _expected(x, scale=1.0)", "from ._data import PUBLIC_POINTS", "id='ch99.demo'"):
        assert kept in text, kept
    assert "HIDDEN_POINTS" not in files["_data.py"] and "PUBLIC_POINTS" in files["_data.py"]


def test_frozen_data_keeps_the_examples_and_what_the_students_received():
    from graders.authoring.checks.strategies import Case
    from graders.authoring.frozen import FrozenProperty, decode, encode

    case = Case({"n": 2}, 7, {"A": np.arange(4.0).reshape(2, 2)}, np.random.PCG64(3).state)
    examples = [{"case": case, "seed": np.int64(7), "dims": (2, 3)}]
    data = FrozenData("ch99", "d", Recorder().root,
                      [FrozenProperty("ch99.demo", "p", 1, 5, encode(examples), (0,))],
                      {"stubs": {"ch99/demo.py": ["x = 1"]}, "provided": {}, "provided_forms": {}},
                      {"ch99.demo::q": "why"})
    again = FrozenData.from_bytes(data.to_bytes())
    assert (again.unfrozen, again.release, again.properties[0].rejected) == (data.unfrozen, data.release, (0,))
    restored = decode(again.properties[0].examples, lambda name: Case)[0]
    assert (restored["dims"], restored["seed"], type(restored["seed"])) == ((2, 3), 7, np.int64)
    assert (restored["case"].n, restored["case"].seed) == (2, 7)
    np.testing.assert_array_equal(restored["case"].A, case.A)
    assert restored["case"].rng.standard_normal() == case.rng.standard_normal()
