"""``graders.authoring.checks.symbolic``: the whitelisting formula parser (what it accepts, what it
refuses, that it never runs student text), equivalence by simplification and random points, and
``check_formula`` with a fake context."""
from __future__ import annotations

import builtins
import sys
import types

import numpy as np
import pytest
import sympy

from graders.authoring.checks import symbolic
from graders.authoring.checks.symbolic import (
    MAX_NODES,
    MAX_TEXT_CHARS,
    FormulaError,
    Var,
    assert_equivalent,
    check_formula,
    evaluate,
    formula_samples_of,
    parse_formula,
)
from graders.grading.outcomes import CheckFailed

U = Var("u", domain=(0.1, 5.0), positive=True)
X = Var("x")
M = Var("X", shape=(3, 3))
S = Var("S", shape=(3, 3), spd=True)
ALL = [U, X, M, S]

u, x = sympy.Symbol("u", real=True, positive=True), sympy.Symbol("x", real=True)
Xs, Ss = sympy.MatrixSymbol("X", 3, 3), sympy.MatrixSymbol("S", 3, 3)


def _refused(text, variables=ALL, **kwargs) -> str:
    with pytest.raises(FormulaError) as info:
        parse_formula(text, variables, **kwargs)
    assert isinstance(info.value, CheckFailed)  # a FormulaError fails the check, it is not a grader error
    return info.value.message


# --------------------------------------------------------------------------- accepted
@pytest.mark.parametrize("text, want", [
    ("u", u),
    ("u^2", u ** 2),
    ("u**2", u ** 2),
    ("-u^2", -(u ** 2)),                          # ^ binds tighter than unary minus, as ** does
    ("2^3^2", sympy.Integer(512)),                # and is right-associative
    ("x*u + 3/2", x * u + sympy.Rational(3, 2)),
    ("u*log(u) - u", u * sympy.log(u) - u),
    ("sqrt(u) * exp(-x) / (1 + Abs(x))", sympy.sqrt(u) * sympy.exp(-x) / (1 + sympy.Abs(x))),
    ("ln(u) + max(x, 0) + min(x, 1)", sympy.log(u) + sympy.Max(x, 0) + sympy.Min(x, 1)),
    ("tanh(x) + sinh(x) + cosh(x) + atan(x) + sign(x)",
     sympy.tanh(x) + sympy.sinh(x) + sympy.cosh(x) + sympy.atan(x) + sympy.sign(x)),
    ("pi * E", sympy.pi * sympy.E),
    ("2.5 * u", sympy.Float(2.5) * u),
    ("+u", u),
    ("10**6", sympy.Integer(10 ** 6)),
])
def test_scalar_formulas(text, want):
    assert parse_formula(text, ALL) == want


@pytest.mark.parametrize("text, want", [
    ("X.T", Xs.T),
    ("X.T @ X", Xs.T * Xs),
    ("X @ S", Xs * Ss),
    ("inv(S)", sympy.Inverse(Ss)),
    ("inverse(S).T", sympy.Inverse(Ss).T),
    ("trace(X) + det(S)", sympy.Trace(Xs) + sympy.Determinant(Ss)),
    ("transpose(X) + X", sympy.Transpose(Xs) + Xs),
    ("Identity(p) + X", sympy.Identity(3) + Xs),
    ("2*X - S", 2 * Xs - Ss),
])
def test_matrix_formulas(text, want):
    assert parse_formula(text, ALL, dims={"p": 3}) == want


def test_identity_takes_a_literal_dimension_or_a_declared_one():
    assert parse_formula("Identity(4)", []).shape == (4, 4)
    assert parse_formula("Identity(p)", [], dims={"p": 2}).shape == (2, 2)
    assert _refused("Identity(100)") == "Identity(n) needs a dimension such as Identity(p)"
    assert _refused("Identity(u)") == "Identity(n) needs a dimension such as Identity(p)"
    assert _refused("Identity(0)") == "Identity(n) needs a dimension such as Identity(p)"


def test_explicit_matrices():
    assert parse_formula("Matrix([[1, u], [x, 2]])", ALL) == sympy.ImmutableMatrix([[1, u], [x, 2]])
    assert parse_formula("Matrix([u, x])", ALL).shape == (2, 1)
    assert "rows of equal length" in _refused("Matrix([[1, 2], [3]])")
    assert "rows of equal length and at most 64 entries" in _refused(f"Matrix([{', '.join(['1'] * 65)}])")
    assert "one list of rows" in _refused("Matrix(u)")


# --------------------------------------------------------------------------- refused
@pytest.mark.parametrize("text, reason", [
    ("u.real", "the attribute .real is not allowed (only .T, the transpose)"),
    ("X.__class__", "the attribute .__class__ is not allowed"),
    ("__import__('os')", "'__import__' is not an allowed function; allowed: Abs, Determinant,"),
    ("__import__('os').system('id')", "'__import__' is not an allowed function"),
    ("open('/etc/passwd')", "'open' is not an allowed function"),
    ("getattr(u, 'real')", "'getattr' is not an allowed function"),
    ("log(x).conjugate()", "an attribute expression cannot be called in a formula"),
    ("lambda: 1", "a lambda expression is not allowed in a formula"),
    ("(lambda: 1)()", "'lambda' is not an allowed function"),
    ("[u for u in x]", "a listcomp expression is not allowed in a formula"),
    ("{u: u for u in x}", "a dictcomp expression is not allowed"),
    ("(u for u in x)", "a generatorexp expression is not allowed"),
    ("u if x else 1", "an ifexp expression is not allowed"),
    ("u < 1", "a compare expression is not allowed"),
    ("u[0]", "a subscript expression is not allowed"),
    ("(u, x)", "a tuple expression is not allowed"),
    ("f'{u}'", "a joinedstr expression is not allowed"),
    ("(y := 1)", "a namedexpr expression is not allowed"),
    ("u // 2", "the operator FloorDiv is not allowed (use + - * / ** or @)"),
    ("u % 2", "the operator Mod is not allowed"),
    ("u << 2", "the operator LShift is not allowed"),
    ("~u", "the operator Invert is not allowed"),
    ("not u", "the operator Not is not allowed"),
    ("y", "unknown name 'y': this formula may use S, X, u, x, pi, E"),
    ("exp", "exp is a function: call it, e.g. exp(...)"),
    ("True", "the constant True is not a number"),
    ("'text'", "the constant 'text' is not a number"),
    ("None", "the constant None is not a number"),
    ("1j", "the constant 1j is not a number"),
    ("exp(u, base=2)", "exp() takes plain positional arguments only"),
    ("exp(*u)", "exp() takes plain positional arguments only"),
    ("x.T", ".T applies to matrices only"),
    ("1/0", "the formula divides by zero"),
    ("u/(x - x)", "the formula divides by zero"),
    ("X + Identity(2)", "is not valid: ShapeError"),
    ("u; x", "could not read the formula"),
    ("import os", "could not read the formula 'import os': invalid syntax"),
])
def test_everything_else_is_refused_with_a_reason(text, reason):
    assert reason in _refused(text)


@pytest.mark.parametrize("text, reason", [
    ("1000001", "the number 1000001 is larger than 1000000"),
    ("1e7", "the number 10000000.0 is larger than 1000000"),
    ("1e400", "the formula contains an infinite number"),
    ("u**65", "exponents larger than 64 are not allowed"),
    ("u^(-65)", "exponents larger than 64 are not allowed"),
    ("2**4000", "exponents larger than 64 are not allowed"),
    ("9**9**9", "exponents larger than 64 are not allowed"),
    ("((2**64)**64)**64", "the formula contains a number that is far too large"),
    ("(999999**64)**2", "the formula contains a number that is far too large"),
])
def test_huge_numbers_and_powers_are_refused(text, reason):
    assert reason in _refused(text)


def test_sizes_are_bounded():
    assert _refused("") == "the formula is empty"
    assert _refused("   \n ") == "the formula is empty"
    assert _refused("u" * (MAX_TEXT_CHARS + 1)) == \
        f"the formula is {MAX_TEXT_CHARS + 1} characters long; the limit is {MAX_TEXT_CHARS}"
    parse_formula("+".join(["u"] * 50), [U])                   # well under the limits
    assert _refused("-" * MAX_NODES + "u") == f"the formula has more than {MAX_NODES} parts; write it more simply"
    assert "parts" in _refused("+".join(["u"] * 250))


def test_deep_nesting_is_refused():
    assert "too many nested parentheses" in _refused("(" * 300 + "u" + ")" * 300)


def test_a_recursion_error_while_building_is_a_formula_error():
    depth = 0
    frame = sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + 120)
    try:
        message = _refused("-" * 150 + "u", [U])
    finally:
        sys.setrecursionlimit(limit)
    assert message == "the formula nests too deeply"


@pytest.mark.parametrize("value, kind", [(123, "int"), (None, "NoneType"), (b"u", "bytes"), (["u"], "list")])
def test_non_string_input_is_refused(value, kind):
    assert _refused(value) == f"the answer should be a formula (a sympy expression or a string); got {kind}"


# --------------------------------------------------------------------------- never evaluated
def test_side_effects_in_a_formula_never_run(tmp_path, capsys):
    marker = tmp_path / "pwned"
    for text in (f"__import__('os').system('touch {marker}')",
                 f"open('{marker}', 'w').write('x')",
                 f"exp(__import__('pathlib').Path('{marker}').touch())",
                 f"Matrix([[__import__('os').system('touch {marker}')]])",
                 "print('side effect')"):
        with pytest.raises(FormulaError):
            parse_formula(text, [U])
    assert not marker.exists()
    assert capsys.readouterr().out == ""


def test_the_parser_uses_no_eval_sympify_or_parse_expr(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("student text reached an evaluator")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    monkeypatch.setattr(sympy, "sympify", forbidden)
    monkeypatch.setattr(sympy, "parse_expr", forbidden)
    import sympy.parsing.sympy_parser as sympy_parser

    monkeypatch.setattr(sympy_parser, "parse_expr", forbidden)
    assert parse_formula("u*(log(u) - 1) + x^2", ALL) == u * (sympy.log(u) - 1) + x ** 2
    assert parse_formula("inv(S).T @ X", ALL) == sympy.Inverse(Ss).T * Xs
    with pytest.raises(FormulaError):
        parse_formula("__import__('os')", ALL)


def test_a_builtin_name_does_not_reach_python():
    # `print` is neither a variable nor a whitelisted function, so it is an unknown name
    assert _refused("print") == "unknown name 'print': this formula may use S, X, u, x, pi, E"


# --------------------------------------------------------------------------- equivalence
def test_equal_forms_are_proved_equal_by_simplification():
    got, want = parse_formula("u*(log(u) - 1)", [U]), parse_formula("u*log(u) - u", [U])
    assert assert_equivalent(got, want, [U], name="f*(u)") == "proved equal by simplification"
    assert assert_equivalent(parse_formula("sqrt(x^2)", [X]), parse_formula("Abs(x)", [X]), [X], name="g") == \
        "proved equal by simplification"


def test_matrix_forms_are_checked_at_random_points():
    got = parse_formula("inv(S).T", [S])
    want = parse_formula("inv(S)", [S])       # S is sampled symmetric, so the transpose does not matter
    assert assert_equivalent(got, want, [S], name="grad") == "agrees at 40 random points"
    assert assert_equivalent(parse_formula("X.T @ X", [M]), parse_formula("(X.T @ X).T", [M]), [M], name="g",
                             points=7) == "agrees at 7 random points"


def test_a_wrong_formula_is_rejected_with_a_point_where_it_differs():
    with pytest.raises(CheckFailed) as info:
        assert_equivalent(parse_formula("u*log(u)", [U]), parse_formula("u*log(u) - u", [U]), [U], name="f*(u)")
    message = info.value.message
    assert message.startswith("f*(u) is not the expected formula: at u = ")
    value = float(message.split("at u = ")[1].split(" ")[0])
    yours = float(message.split("yours gives ")[1].split(" ")[0])
    should = float(message.split("it should give ")[1])
    assert 0.1 <= value <= 5.0
    assert yours == pytest.approx(value * np.log(value), rel=1e-5)
    assert should == pytest.approx(value * np.log(value) - value, rel=1e-5)


def test_a_transposed_matrix_is_rejected():
    with pytest.raises(CheckFailed, match=r"^g is not the expected formula: at X = \[\["):
        assert_equivalent(parse_formula("X.T", [M]), parse_formula("X", [M]), [M], name="g")


def test_a_formula_of_the_wrong_shape_is_rejected():
    with pytest.raises(CheckFailed, match=r"^g should have shape \(3, 3\); your formula has shape \(scalar\)$"):
        assert_equivalent(parse_formula("trace(X)", [M]), parse_formula("X", [M]), [M], name="g")


def test_a_formula_that_is_nan_where_the_reference_is_defined_is_rejected():
    with pytest.raises(CheckFailed, match="yours gives nan"):
        assert_equivalent(parse_formula("log(u - 10)", [U]), parse_formula("u", [U]), [U], name="g")


def test_a_small_relative_difference_is_caught():
    with pytest.raises(CheckFailed):
        assert_equivalent(parse_formula("u*1.000001", [U]), parse_formula("u", [U]), [U], name="g")


def test_equivalence_is_reproducible_from_its_seed():
    def message(seed):
        with pytest.raises(CheckFailed) as info:
            assert_equivalent(parse_formula("x^3", [X]), parse_formula("x", [X]), [X], name="g", seed=seed)
        return info.value.message

    assert message(3) == message(3)
    assert message(3) != message(4)


def test_a_reference_undefined_on_its_domain_is_a_grader_bug():
    with pytest.raises(CheckFailed,
                       match=r"^g: the expected formula could not be evaluated on its domain \(grader bug\)$"):
        assert_equivalent(parse_formula("u", [U]), parse_formula("log(u - 10)", [U]), [U], name="g")


def test_evaluate_computes_matrix_expressions_with_numpy():
    rng = np.random.default_rng(0)
    Xv, Sv = M.sample(rng), S.sample(rng)
    assert np.all(np.linalg.eigvalsh(Sv) > 0)
    expression = parse_formula("inv(S) @ X.T + Identity(3) * trace(X)", [M, S])
    want = np.linalg.inv(Sv) @ Xv.T + np.eye(3) * np.trace(Xv)
    np.testing.assert_allclose(evaluate(expression, {Xs: Xv, Ss: Sv}), want, rtol=1e-12)


# --------------------------------------------------------------------------- check_formula
class _Reference:
    @staticmethod
    def conjugate():
        # the reference may declare its symbols with other assumptions: matched by name
        v = sympy.Symbol("u", nonnegative=True)
        return v * sympy.log(v) - v

    @staticmethod
    def grad_logdet():
        return sympy.Inverse(sympy.MatrixSymbol("S", 3, 3)).T


class _Ctx:
    """A check's context as check_formula uses it: the student's text answers, and the exercise
    whose reference module (here ``_Reference``'s attributes, looked up when asked) the oracle imports."""

    def __init__(self, answers: dict[str, str], reference: type = None):
        self.answers, self.asked = answers, []
        self.ref = reference if reference is not None else _Reference
        name = f"_symbolic_test_reference_{id(self)}"
        module = types.ModuleType(name)
        module.__getattr__ = lambda attr: getattr(self.ref, attr)  # PEP 562: always the current reference
        sys.modules[name] = module
        self.exercise = types.SimpleNamespace(reference_name=name)

    def text(self, func):
        self.asked.append(func)
        return self.answers[func]


def test_check_formula_accepts_an_equivalent_answer():
    ctx = _Ctx({"conjugate": "u*(ln(u) - 1)", "grad_logdet": "inv(S)"})
    check_formula(ctx, "conjugate", [U])
    check_formula(ctx, "grad_logdet", [S], what="∂log|det S|/∂S")
    assert ctx.asked == ["conjugate", "grad_logdet"]


def test_check_formula_rejects_a_wrong_answer_naming_the_function_and_what():
    ctx = _Ctx({"conjugate": "u*ln(u)"})
    with pytest.raises(CheckFailed, match=r"^conjugate\(\) \(f\*\(u\)\) is not the expected formula: at u = "):
        check_formula(ctx, "conjugate", [U], what="f*(u)")
    with pytest.raises(CheckFailed, match=r"^conjugate\(\) is not the expected formula"):
        check_formula(ctx, "conjugate", [U])


def test_check_formula_refuses_unreadable_text_before_asking_the_reference(monkeypatch):
    ctx = _Ctx({"conjugate": "__import__('os').system('id')"})
    monkeypatch.setattr(_Reference, "conjugate", staticmethod(lambda: pytest.fail("the reference was consulted")))
    with pytest.raises(FormulaError, match="'__import__' is not an allowed function"):
        check_formula(ctx, "conjugate", [U])


def test_check_formula_passes_dims():
    class Ref:
        @staticmethod
        def shifted():
            return sympy.MatrixSymbol("S", 3, 3) + sympy.Identity(3)

    ctx = _Ctx({"shifted": "S + Identity(p)"}, reference=Ref)
    check_formula(ctx, "shifted", [S], dims={"p": 3})
    with pytest.raises(FormulaError, match="unknown name 'p'"):
        check_formula(ctx, "shifted", [S])


def test_functions_and_constants_are_the_documented_whitelist():
    names = set(symbolic.allowed_functions())
    assert {"exp", "log", "sqrt", "inv", "Identity", "Matrix", "trace", "det"} <= names
    assert not names & {"eval", "exec", "open", "__import__", "getattr", "sympify", "Symbol", "Function", "lambdify"}
    assert set(symbolic.allowed_constants()) == {"pi", "E"}


def test_a_mutable_reference_matrix_is_sampled_like_an_immutable_one():
    """A reference may return ``sympy.Matrix`` (mutable, unhashable): it is sampled as its copy."""
    import sympy

    x = Var("x", domain=(1.0, 2.0))
    mutable = formula_samples_of(sympy.Matrix([[x.symbol(), 2 * x.symbol()]]), [x], points=3)
    frozen = formula_samples_of(sympy.ImmutableMatrix([[x.symbol(), 2 * x.symbol()]]), [x], points=3)
    assert mutable["shape"] == [1, 2] and len(mutable["samples"]) == 3
    for (values, got), (same_values, want) in zip(mutable["samples"], frozen["samples"]):
        assert values == same_values and (got == want).all()
