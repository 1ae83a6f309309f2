"""``graders.grading.spec``: Exercise (ids, references, validation, checks, tables of checks),
Chapter (add, forbidden, warm_preload)."""
from __future__ import annotations

import inspect
import types

import pytest

from graders.grading.spec import (
    VISIBILITIES,
    Chapter,
    CheckSpec,
    Exercise,
    _id_of_declaring_file,
    row,
)
from graders.sandbox.base import DEFAULT_PRELOAD


def _declared_in(module_name: str, **kwargs) -> Exercise:
    """``Exercise(**kwargs)`` called from code whose module is ``module_name`` (as a chapter file's
    top level calls it)."""
    def declare():
        return Exercise(**kwargs)

    # the same code with other globals: Exercise reads the caller's module name from them
    declare_there = types.FunctionType(declare.__code__, {"__name__": module_name, "Exercise": Exercise},
                                       "declare", None, declare.__closure__)
    return declare_there()


def _exercise(**kwargs) -> Exercise:
    kwargs.setdefault("id", "ch06.mlp_backprop")
    kwargs.setdefault("module", "ch06.mlp")
    kwargs.setdefault("functions", ("mlp_forward",))
    return Exercise(**kwargs)


# --------------------------------------------------------------------------- ids
def test_id_of_declaring_file():
    assert _id_of_declaring_file("graders.chapters.ch06.mlp_backprop") == "ch06.mlp_backprop"
    assert _id_of_declaring_file("graders.chapters.ch01.vec_kron") == "ch01.vec_kron"


@pytest.mark.parametrize("module_name", [
    "tests.graders.grading.test_spec", "__main__", "graders.chapters.ch06", "graders.chapters.ch06.sub.deeper",
    "other.chapters.ch06.mlp", "",
])
def test_only_a_chapter_file_gives_an_id(module_name):
    with pytest.raises(ValueError, match=r"needs id='chNN.name': only graders/chapters/chNN/<name>.py"):
        _id_of_declaring_file(module_name)


def test_an_exercise_takes_its_id_from_the_declaring_file():
    exercise = _declared_in("graders.chapters.ch06.mlp_backprop", module="ch06.mlp", functions=("f",))
    assert exercise.id == "ch06.mlp_backprop"
    assert (exercise.name, exercise.chapter_id) == ("mlp_backprop", "ch06")


def test_outside_a_chapter_file_an_explicit_id_is_required():
    with pytest.raises(ValueError, match=r"an exercise declared in 'tests\.graders\.grading\.test_spec' needs id="):
        Exercise(module="ch06.mlp", functions=("f",))
    with pytest.raises(ValueError, match="needs id="):
        _declared_in("graders.chapters.ch06", module="ch06.mlp", functions=("f",))
    # an explicit id wins over the file
    assert _declared_in("graders.chapters.ch06.mlp_backprop", id="ch06.other", module="ch06.mlp",
                        functions=()).id == "ch06.other"


def test_defaults_of_an_exercise():
    exercise = _exercise(functions=["mlp_forward", "mlp_backward"])
    assert exercise.reference_name == "geodl_ref.ch06.mlp"
    assert exercise.functions == ("mlp_forward", "mlp_backward")
    assert exercise.module_file == "ch06/mlp.py"
    assert (exercise.forbidden, exercise.gpu, exercise.title, exercise.checks) == ((), False, "", [])
    assert exercise.max_points == 0
    assert repr(exercise) == "<Exercise ch06.mlp_backprop (0 checks, 0 points)>"
    assert _exercise(module="ch06.nets.mlp").module_file == "ch06/nets/mlp.py"
    assert _exercise(reference="elsewhere.mlp").reference_name == "elsewhere.mlp"


def test_an_exercise_may_give_its_calls_a_longer_time_limit():
    from graders.grading.runners import LiveRunner
    from graders.grading.settings import GradingSettings

    assert _exercise().call_timeout_s is None
    with pytest.raises(ValueError, match="call_timeout_s=0 should be a positive number"):
        _exercise(call_timeout_s=0)
    settings = GradingSettings(call_timeout_s=5.0, exercise_timeout_s=20.0)
    limits = {}
    for own in (None, 2.0, 15.0, 60.0):
        runner = LiveRunner.__new__(LiveRunner)          # only the budget: no worker, no session
        runner.exercise, runner.settings, runner.spent_s = _exercise(call_timeout_s=own), settings, 0.0
        limits[own] = runner.timeout_for_call()
    assert limits == {None: 5.0, 2.0: 5.0, 15.0: 15.0, 60.0: 20.0}   # never below the settings', never past the budget


def test_the_reference_module_is_imported_on_first_use():
    exercise = _exercise(id="ch02.hard_margin_svm", module="ch02.svm")
    assert exercise.reference_name == "geodl_ref.ch02.svm"
    assert exercise.reference.__name__ == "geodl_ref.ch02.svm"
    with pytest.raises(ModuleNotFoundError):
        _ = _exercise(reference="geodl_ref.ch99_does_not_exist").reference


# --------------------------------------------------------------------------- validation
@pytest.mark.parametrize("bad", ["ch6.mlp", "ch06", "ch06.Mlp", "ch06.1mlp", "ch06.mlp.backprop", "CH06.mlp",
                                 "ch06.mlp-backprop", "ch06."])
def test_a_bad_id_is_refused(bad):
    with pytest.raises(ValueError, match=rf"^exercise id={bad!r} should look like 'ch06.mlp_backprop'$"):
        _exercise(id=bad)


@pytest.mark.parametrize("module", ["ch07.mlp", "mlp", "ch06", "ch06.Mlp", "ch06.mlp.", "ch6.mlp"])
def test_a_module_of_another_chapter_or_a_bad_module_is_refused(module):
    with pytest.raises(ValueError, match=rf"^module={module!r} should be a module of chapter ch06, e.g. 'ch06.mlp'$"):
        _exercise(module=module)


@pytest.mark.parametrize("points", [0, -1, -0.5, float("nan")])
def test_points_must_be_positive(points):
    exercise = _exercise()
    with pytest.raises(ValueError, match=r"must be positive$"):
        exercise.check(points=points)
    with pytest.raises(ValueError, match=r"must be positive$"):
        exercise.table([row("r", "a row")], points=points)
    assert exercise.checks == []


def test_visibility_must_be_known():
    with pytest.raises(ValueError, match=r"^visibility='secret' must be one of public, hidden, after_deadline$"):
        _exercise().check(points=1, visibility="secret")
    assert VISIBILITIES == ("public", "hidden", "after_deadline")


@pytest.mark.parametrize("max_examples", [0, -3])
def test_max_examples_must_be_at_least_one(max_examples):
    with pytest.raises(ValueError, match=rf"^max_examples={max_examples} must be at least 1$"):
        _exercise().check(points=1, max_examples=max_examples)


def test_duplicate_check_names_are_refused():
    exercise = _exercise()

    @exercise.check(points=1)
    def same(ctx):
        pass

    with pytest.raises(ValueError, match=r"^ch06\.mlp_backprop already has a check named 'same'$"):
        exercise.check(points=1)(same)
    with pytest.raises(ValueError, match="already has a check named 'same'"):
        exercise.table([row("same", "a row")], points=1)(lambda ctx: None)
    assert [c.name for c in exercise.checks] == ["same"]


def test_a_check_must_take_ctx_and_every_given_parameter():
    exercise = _exercise()

    def no_params():
        pass

    def missing_n(ctx, x):
        pass

    with pytest.raises(TypeError, match=r"^check no_params must take \(ctx, \); missing parameters: ctx$"):
        exercise.check(points=1)(no_params)
    with pytest.raises(TypeError, match=r"^check missing_n must take \(ctx, x, n\); missing parameters: \['n'\]$"):
        exercise.check(points=1, given={"x": object(), "n": object()})(missing_n)
    # ctx itself does not count as a given parameter
    with pytest.raises(TypeError, match=r"missing parameters: \['ctx'\]"):
        exercise.check(points=1, given={"ctx": object()})(lambda ctx: None)
    assert exercise.checks == []


# --------------------------------------------------------------------------- checks
def test_checks_are_recorded_in_order_with_their_options():
    exercise = _exercise()
    strategy = object()

    @exercise.check(points=2)
    def first(ctx):
        """Book ex 6.4: the two iterations
        of the worked example.

        Details that students do not see."""

    @exercise.check(points=3, visibility="hidden", given={"net": strategy}, max_examples=15, gpu=True)
    def second(ctx, net):
        pass

    assert [c.name for c in exercise.checks] == ["first", "second"]
    one, two = exercise.checks
    assert one == CheckSpec(name="first", points=2.0, visibility="public", func=first,
                            description="Book ex 6.4: the two iterations of the worked example.")
    assert not one.is_property and one.given is None and one.max_examples is None
    assert (two.points, two.visibility, two.given, two.max_examples, two.gpu, two.description) == \
        (3.0, "hidden", {"net": strategy}, 15, True, "")
    assert two.is_property
    assert type(one.points) is float
    assert exercise.max_points == 5.0
    assert repr(exercise) == "<Exercise ch06.mlp_backprop (2 checks, 5 points)>"


def test_the_decorator_returns_the_function_unchanged():
    exercise = _exercise()

    def body(ctx):
        return 42

    assert exercise.check(points=1)(body) is body
    assert exercise.checks[0].func is body


# --------------------------------------------------------------------------- tables
def test_a_table_declares_one_check_per_row():
    exercise = _exercise()
    calls = []

    @exercise.table([row("small", "a 2×2 case", n=2), row("large", "a 5×5 case", n=5, points=4)], points=1,
                    visibility="hidden")
    def sizes(ctx, n):
        calls.append((ctx, n))

    assert [(c.name, c.description, c.points, c.visibility) for c in exercise.checks] == [
        ("small", "a 2×2 case", 1.0, "hidden"), ("large", "a 5×5 case", 4.0, "hidden")]
    assert exercise.max_points == 5.0
    for check in exercise.checks:
        check.func("the ctx")
    assert calls == [("the ctx", 2), ("the ctx", 5)]
    assert sizes.__name__ == "sizes"  # the body itself is returned


def test_a_given_table_passes_the_row_and_the_drawn_arguments():
    exercise = _exercise()
    calls = []
    strategy = object()

    @exercise.table([row("relu", "ReLU", act="relu"), row("tanh", "tanh", act="tanh")], points=2,
                    given={"x": strategy}, max_examples=5)
    def activation(ctx, act, x):
        calls.append((act, x))

    relu = exercise.checks[0]
    assert relu.is_property and relu.given == {"x": strategy} and relu.max_examples == 5
    # the check's signature is what the engine passes: ctx and the drawn x, not the row's act
    assert list(inspect.signature(relu.func).parameters) == ["ctx", "x"]
    relu.func("ctx", x=1.5)
    exercise.checks[1].func("ctx", x=-2.0)
    assert calls == [("relu", 1.5), ("tanh", -2.0)]


def test_a_row_argument_the_body_does_not_take_is_refused():
    exercise = _exercise()
    with pytest.raises(TypeError, match=r"^row r1: body takes no argument zz$"):
        @exercise.table([row("r1", "row one", n=1, zz=2)], points=1)
        def body(ctx, n):
            pass


def test_a_given_table_still_needs_the_drawn_parameters():
    exercise = _exercise()
    with pytest.raises(TypeError, match=r"^check r must take \(ctx, x\); missing parameters: \['x'\]$"):
        exercise.table([row("r", "a row", n=1)], points=1, given={"x": object()})(lambda ctx, n: None)


def test_a_table_needs_rows_and_rows_need_positive_points():
    with pytest.raises(ValueError, match="at least one row"):
        _exercise().table([], points=1)
    with pytest.raises(ValueError, match=r"^points=-2 must be positive$"):
        _exercise().table([row("r", "a row", points=-2)], points=1)(lambda ctx: None)


def test_a_row_with_zero_points_is_refused():
    with pytest.raises(ValueError, match="must be positive"):
        _exercise().table([row("r", "a row", points=0)], points=1)(lambda ctx: None)


def test_row_repr_and_fields():
    r = row("big", "a big case", points=2.5, n=10, m=3)
    assert (r.name, r.description, r.points, r.arguments) == ("big", "a big case", 2.5, {"n": 10, "m": 3})
    assert repr(r) == "<Row big>"


# --------------------------------------------------------------------------- chapters
def test_chapter_id_is_validated():
    for bad in ("ch6", "06", "ch06a", "chapter06"):
        with pytest.raises(ValueError, match=rf"^chapter id={bad!r} should look like 'ch06'$"):
            Chapter(bad, title="t")


def test_chapter_add_merges_forbidden_names():
    chapter = Chapter("ch06", title="MLPs", forbidden=("torch", "sklearn"))
    exercise = chapter.add(_exercise(forbidden=("numpy.kron", "torch")))
    assert exercise.forbidden == ("torch", "sklearn", "numpy.kron", "scipy.linalg.kron")  # and the twin torch lacks
    assert chapter.exercises == {"ch06.mlp_backprop": exercise}


def test_chapter_add_refuses_another_chapter_and_duplicates():
    chapter = Chapter("ch06", title="MLPs")
    with pytest.raises(ValueError, match=r"^exercise 'ch07\.cnn' does not belong to chapter ch06$"):
        chapter.add(_exercise(id="ch07.cnn", module="ch07.cnn"))
    chapter.add(_exercise())
    with pytest.raises(ValueError, match=r"^ch06 already declares ch06\.mlp_backprop$"):
        chapter.add(_exercise())
    assert list(chapter.exercises) == ["ch06.mlp_backprop"]


def test_chapter_exercise_declares_in_place_and_aggregates():
    chapter = Chapter("ch06", title="MLPs")
    a = chapter.exercise("ch06.a", module="ch06.mlp", functions=("f",))
    b = chapter.exercise("ch06.b", module="ch06.mlp", functions=("g",), gpu=True)
    c = chapter.exercise("ch06.c", module="ch06.cnn", functions=("h",))
    a.check(points=2)(lambda ctx: None)
    b.table([row("r1", "one"), row("r2", "two", points=3)], points=1)(lambda ctx: None)
    assert list(chapter.exercises.values()) == [a, b, c]
    assert chapter.max_points == 6.0
    assert chapter.modules == ["ch06.mlp", "ch06.cnn"]
    assert chapter.needs_gpu
    assert repr(chapter) == "<Chapter ch06: 3 exercises>"
    assert not Chapter("ch01", title="t").needs_gpu


def test_chapter_defaults_and_variants_dir(tmp_path):
    chapter = Chapter("ch03", title="Regression", exercises=("least_squares",))
    assert (chapter.preload, chapter.forbidden, chapter.exercise_names) == (("numpy",), (), ("least_squares",))
    with pytest.raises(RuntimeError, match="was not loaded through graders.chapters.load_chapter"):
        _ = chapter.variants_dir
    chapter.package_dir = tmp_path
    assert chapter.variants_dir == tmp_path / "variants"


def test_warm_preload_drops_what_every_exercise_forbids():
    chapter = Chapter("ch06", title="t")
    assert chapter.warm_preload == DEFAULT_PRELOAD            # no exercise: nothing is banned
    chapter.exercise("ch06.a", module="ch06.a", functions=(), forbidden=("torch", "scipy.linalg"))
    chapter.exercise("ch06.b", module="ch06.b", functions=(), forbidden=("torch",))
    preload = chapter.warm_preload
    assert not any(m == "torch" or m.startswith("torch.") for m in preload)
    assert "scipy.linalg" in preload                         # only one exercise forbids it
    assert preload == tuple(m for m in DEFAULT_PRELOAD if m.split(".")[0] != "torch")


def test_warm_preload_bans_submodules_but_not_lookalike_names():
    chapter = Chapter("ch06", title="t", forbidden=("scipy",))
    chapter.exercise("ch06.a", module="ch06.a", functions=())
    preload = chapter.warm_preload
    assert not any(m.startswith("scipy") for m in preload)
    assert "sympy" in preload and "numpy" in preload and "torch" in preload
    narrow = Chapter("ch06", title="t", forbidden=("scipy.sparse", "torch.n"))
    narrow.exercise("ch06.a", module="ch06.a", functions=())
    assert set(DEFAULT_PRELOAD) - set(narrow.warm_preload) == {"scipy.sparse"}
