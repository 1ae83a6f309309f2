"""Symbolic answers: a whitelisting parser for the text of a formula, and equivalence by sympy
simplification plus evaluation at random points of a stated domain.

The student's code returns a sympy expression or a string; the worker sends back *text* only
(``CheckContext.text``). Here that text is parsed by :func:`parse_formula`: Python's own parser
(``ast.parse``, which builds a tree and executes nothing) followed by a walk that accepts only
declared variable names, numbers, ``+ - * / ** ^ @``, unary signs, ``.T``, and a fixed set of
functions, and builds the sympy expression node by node. ``eval``, ``sympify`` and
``parse_expr`` never see student text. Sizes are bounded (text length, node count, literal
magnitude, numeric powers) so that no answer can make the grader compute for long.

>>> u = Var("u", domain=(0.1, 5.0), positive=True)
>>> parse_formula("u*log(u) - u", [u])
u*log(u) - u
>>> parse_formula("__import__('os').system('id')", [u])
Traceback (most recent call last):
    ...
graders.authoring.checks.symbolic.FormulaError: '__import__' is not an allowed function; allowed: Abs, Determinant, ...
>>> assert_equivalent(parse_formula("u*(log(u) - 1)", [u]), parse_formula("u*log(u) - u", [u]), [u], name="f*(u)")
'proved equal by simplification'
"""
from __future__ import annotations

import ast
import dataclasses
import functools
import math
from typing import Any, Callable, Sequence

import numpy as np

from graders.authoring.oracles import oracle
from graders.grading.outcomes import CheckFailed

MAX_TEXT_CHARS = 2000
MAX_NODES = 400
MAX_LITERAL = 10**6
MAX_POWER_BITS = 4096


@functools.cache
def allowed_functions() -> dict[str, Any]:
    """The functions a formula may call, by the names it may call them (sympy is imported on first
    use: a chapter's spec loads without it, see :mod:`graders.chapters`)."""
    import sympy

    return {
        "exp": sympy.exp, "log": sympy.log, "ln": sympy.log, "sqrt": sympy.sqrt, "Abs": sympy.Abs, "abs": sympy.Abs,
        "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "tanh": sympy.tanh,
        "sinh": sympy.sinh, "cosh": sympy.cosh, "atan": sympy.atan, "asin": sympy.asin, "acos": sympy.acos,
        "Max": sympy.Max, "Min": sympy.Min, "max": sympy.Max, "min": sympy.Min, "sign": sympy.sign,
        "Trace": sympy.Trace, "trace": sympy.Trace, "Transpose": sympy.Transpose, "transpose": sympy.Transpose,
        "Inverse": sympy.Inverse, "inverse": sympy.Inverse, "inv": sympy.Inverse, "Determinant": sympy.Determinant,
        "det": sympy.Determinant, "Identity": sympy.Identity, "Matrix": sympy.ImmutableMatrix,
    }


@functools.cache
def allowed_constants() -> dict[str, Any]:
    """The named constants a formula may use."""
    import sympy

    return {"pi": sympy.pi, "E": sympy.E}


class FormulaError(CheckFailed):
    """The answer's text is not a formula this exercise accepts; the message says why."""


@dataclasses.dataclass(frozen=True)
class Var:
    """A variable of a symbolic exercise and where to sample it.

    ``shape`` makes it a matrix (a ``MatrixSymbol``); ``spd=True`` samples symmetric
    positive-definite matrices; ``positive`` makes a scalar positive (and sampled so).
    """

    name: str
    domain: tuple[float, float] = (-3.0, 3.0)
    positive: bool = False
    shape: tuple[int, int] | None = None
    spd: bool = False

    def symbol(self):
        import sympy

        if self.shape is not None:
            return sympy.MatrixSymbol(self.name, *self.shape)
        return sympy.Symbol(self.name, real=True, positive=True if self.positive else None)

    def sample(self, rng: np.random.Generator):
        if self.shape is None:
            return float(rng.uniform(*self.domain))
        if self.spd:
            A = rng.normal(size=self.shape)
            return A @ A.T + self.shape[0] * np.eye(self.shape[0])
        return rng.uniform(*self.domain, size=self.shape)


def parse_formula(text: Any, variables: Sequence[Var], *, dims: dict[str, int] | None = None):
    """The sympy expression written in ``text``, built only from whitelisted pieces.

    ``dims`` names integer dimensions usable as constants (``Identity(p)``).
    Raises :class:`FormulaError` with a one-line reason for anything else.
    """
    if not isinstance(text, str):
        raise FormulaError("the answer should be a formula (a sympy expression or a string); "
                           f"got {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        raise FormulaError(f"the formula is {len(text)} characters long; the limit is {MAX_TEXT_CHARS}")
    if not text.strip():
        raise FormulaError("the formula is empty")
    try:
        # ``^`` means a power in mathematics (and nothing else here): give it ``**``'s precedence.
        tree = ast.parse(text.strip().replace("^", "**"), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        reason = exc.msg if isinstance(exc, SyntaxError) else type(exc).__name__
        raise FormulaError(f"could not read the formula {_show(text)}: {reason}") from None
    import sympy
    from sympy.matrices.exceptions import ShapeError

    names = {v.name: v.symbol() for v in variables}
    names.update({k: sympy.Integer(v) for k, v in (dims or {}).items()})
    builder = _Builder(names, allowed=sorted(names))
    try:
        return builder.build(tree.body)
    except FormulaError:
        raise
    except RecursionError:
        raise FormulaError("the formula nests too deeply") from None
    except (ShapeError, ValueError, TypeError, AttributeError, ZeroDivisionError, OverflowError) as exc:
        raise FormulaError(f"the formula {_show(text)} is not valid: {type(exc).__name__}: {str(exc)[:120]}") from None


class _Builder:
    """Walks a parsed tree, refusing every node that is not on the whitelist."""

    def __init__(self, names: dict, allowed: list[str]):
        self.names = names
        self.allowed = allowed
        self.functions, self.constants = allowed_functions(), allowed_constants()
        self.nodes = 0

    def build(self, node: ast.AST):
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise FormulaError(f"the formula has more than {MAX_NODES} parts; write it more simply")
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            raise FormulaError(f"{_describe(node)} is not allowed in a formula")
        return method(node)

    def _Constant(self, node: ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise FormulaError(f"the constant {value!r} is not a number")
        if isinstance(value, float) and not math.isfinite(value):
            raise FormulaError("the formula contains an infinite number")
        if abs(value) > MAX_LITERAL:
            raise FormulaError(f"the number {value!r} is larger than {MAX_LITERAL}")
        import sympy

        return sympy.Integer(value) if isinstance(value, int) else sympy.Float(value)

    def _Name(self, node: ast.Name):
        if node.id in self.names:
            return self.names[node.id]
        if node.id in self.constants:
            return self.constants[node.id]
        if node.id in self.functions:
            raise FormulaError(f"{node.id} is a function: call it, e.g. {node.id}(...)")
        raise FormulaError(f"unknown name {node.id!r}: this formula may use {', '.join(self.allowed)}"
                           + (", pi, E" if self.constants else ""))

    def _UnaryOp(self, node: ast.UnaryOp):
        operand = self.build(node.operand)
        if isinstance(node.op, ast.USub):
            return -operand
        if isinstance(node.op, ast.UAdd):
            return operand
        raise FormulaError(f"the operator {type(node.op).__name__} is not allowed")

    def _BinOp(self, node: ast.BinOp):
        left, right = self.build(node.left), self.build(node.right)
        op = node.op
        if isinstance(op, ast.Add):
            return left + right
        if isinstance(op, ast.Sub):
            return left - right
        if isinstance(op, (ast.Mult, ast.MatMult)):
            return left * right
        if isinstance(op, ast.Div):
            if getattr(right, "is_zero", False):
                raise FormulaError("the formula divides by zero")
            return left / right
        if isinstance(op, (ast.Pow, ast.BitXor)):
            _check_power(left, right)
            return left**right
        raise FormulaError(f"the operator {type(op).__name__} is not allowed (use + - * / ** or @)")

    def _Call(self, node: ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else _leftmost_name(node.func)
        if not isinstance(node.func, ast.Name) and name not in self.functions:
            raise FormulaError(f"{name!r} is not an allowed function; allowed: {', '.join(sorted(self.functions))}")
        if not isinstance(node.func, ast.Name):
            raise FormulaError(f"{_describe(node.func)} cannot be called in a formula")
        if name not in self.functions:
            raise FormulaError(f"{name!r} is not an allowed function; allowed: {', '.join(sorted(self.functions))}")
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise FormulaError(f"{name}() takes plain positional arguments only")
        if name == "Matrix":
            return self._matrix(node)
        args = [self.build(a) for a in node.args]
        if name == "Identity" and not (len(args) == 1 and getattr(args[0], "is_Integer", False) and 0 < args[0] <= 64):
            raise FormulaError("Identity(n) needs a dimension such as Identity(p)")
        return self.functions[name](*args)

    def _matrix(self, node: ast.Call):
        """``Matrix([[a, b], [c, d]])`` or ``Matrix([a, b])`` (a column), at most 64 entries."""
        if len(node.args) != 1 or not isinstance(node.args[0], (ast.List, ast.Tuple)):
            raise FormulaError("Matrix() takes one list of rows, e.g. Matrix([[1, 2], [3, 4]])")
        rows = node.args[0].elts
        nested = [r.elts if isinstance(r, (ast.List, ast.Tuple)) else [r] for r in rows]
        if not nested or len({len(r) for r in nested}) != 1 or sum(len(r) for r in nested) > 64:
            raise FormulaError("Matrix() needs rows of equal length and at most 64 entries")
        import sympy

        return sympy.ImmutableMatrix([[self.build(e) for e in row] for row in nested])

    def _Attribute(self, node: ast.Attribute):
        if node.attr != "T":
            raise FormulaError(f"the attribute .{node.attr} is not allowed (only .T, the transpose)")
        value = self.build(node.value)
        if not getattr(value, "is_Matrix", False):
            raise FormulaError(".T applies to matrices only")
        return value.T


def _check_power(base, exponent) -> None:
    if getattr(exponent, "is_number", False) and exponent.is_real and abs(float(exponent)) > 64:
        raise FormulaError("exponents larger than 64 are not allowed")
    if getattr(base, "is_number", False) and getattr(exponent, "is_number", False):
        try:
            bits = abs(float(exponent)) * max(1.0, math.log2(abs(float(base))) if float(base) else 1.0)
        except (TypeError, ValueError, OverflowError):
            raise FormulaError("this numeric power is not allowed") from None
        if bits > MAX_POWER_BITS:
            raise FormulaError("the formula contains a number that is far too large")


def _leftmost_name(node: ast.AST) -> str:
    """The name a call chain starts from: ``__import__`` in ``__import__('os').system``."""
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else type(node).__name__.lower()


def _describe(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return f"the name {node.id!r}"
    kind = type(node).__name__.lower()
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} expression"


def _show(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= 80 else text[:77] + "...")


def assert_equivalent(student, reference, variables: Sequence[Var], *, name: str, points: int = 40,
                      rtol: float = 1e-8, seed: int = 0) -> str:
    """Fail unless two expressions agree: by simplification when sympy can prove it, and always at
    ``points`` random points of the variables' domains. Returns how equality was established.

    The failure message shows a point where the two differ.
    """
    samples = formula_samples_of(reference, variables, points=points, seed=seed)
    assert_agrees_at_samples(student, samples, variables, name=name, rtol=rtol)
    scalar = getattr(reference, "shape", None) is None
    if scalar and _simplifies_to_zero(student - reference):
        return "proved equal by simplification"
    return f"agrees at {len(samples['samples'])} random points"


def formula_samples_of(reference, variables: Sequence[Var], *, points: int = 40, seed: int = 0) -> dict:
    """What an answer's formula is compared with: the shape of ``reference`` (None for a scalar)
    and its values at the first ``points`` random points of the variables' domains where it is
    defined and real, as ``{"shape": [r, c] | None, "samples": [[values of the variables], value]}``.
    Plain data: a student's self-check holds these, never the formula. A mutable
    ``sympy.Matrix`` is taken as its immutable copy (evaluation looks expressions up by hash)."""
    import sympy

    if isinstance(reference, sympy.MatrixBase) and not isinstance(reference, sympy.ImmutableMatrix):
        reference = sympy.ImmutableMatrix(reference)
    shape = getattr(reference, "shape", None)
    rng = np.random.default_rng(seed)
    samples: list = []
    for _ in range(points * 3):
        values = [v.sample(rng) for v in variables]
        env = {v.symbol(): x for v, x in zip(variables, values)}
        with np.errstate(all="ignore"):
            try:
                want = np.asarray(evaluate(reference, env), dtype=complex)
            except _NUMERIC_ERRORS:
                continue  # a singular point of the expected formula
        if not np.all(np.isfinite(want)) or np.any(np.abs(want.imag) > 1e-12 * (1 + np.abs(want.real))):
            continue  # outside the formula's domain
        samples.append([values, want])
        if len(samples) >= points:
            break
    return {"shape": None if shape is None else [int(n) for n in shape], "samples": samples}


def assert_agrees_at_samples(student, samples: dict, variables: Sequence[Var], *, name: str,
                             rtol: float = 1e-8) -> None:
    """Fail unless the student's expression has the samples' shape and their values at their
    points (:func:`formula_samples_of`); the message shows the first point where it differs."""
    want_shape = samples["shape"]
    shape = getattr(student, "shape", None)
    if (None if shape is None else [int(n) for n in shape]) != want_shape:
        raise CheckFailed(f"{name} should have shape {tuple(want_shape) if want_shape else '(scalar)'}; "
                          f"your formula has shape {shape if shape is not None else '(scalar)'}")
    if not samples["samples"]:
        raise CheckFailed(f"{name}: the expected formula could not be evaluated on its domain (grader bug)")
    for values, want in samples["samples"]:
        want = np.asarray(want, dtype=complex)
        env = {v.symbol(): x for v, x in zip(variables, values)}
        at = ", ".join(f"{v.name} = {_fmt(x)}" for v, x in zip(variables, values))
        with np.errstate(all="ignore"):
            try:
                got = np.asarray(evaluate(student, env), dtype=complex)
            except _NUMERIC_ERRORS as exc:
                raise CheckFailed(f"{name} cannot be evaluated at {at}: {type(exc).__name__}: {exc}") from None
        if got.shape != want.shape or not np.all(np.isfinite(got)) or not np.allclose(
                got, want, rtol=rtol, atol=rtol * max(1.0, float(np.max(np.abs(want))))):
            raise CheckFailed(f"{name} is not the expected formula: at {at} yours gives {_fmt(got)} "
                              f"but it should give {_fmt(want)}")


@oracle
def reference_formula_samples(reference: str, func: str, variables: tuple[Var, ...], points: int = 40,
                              seed: int = 0) -> dict:
    """:func:`formula_samples_of` the formula ``func()`` of the reference module ``reference``
    returns, on the grader's symbols (an oracle: a release holds these values, not the formula)."""
    import importlib

    formula = getattr(importlib.import_module(reference), func)()
    return formula_samples_of(on_grader_symbols(formula, variables), variables, points=points, seed=seed)


_NUMERIC_ERRORS = (np.linalg.LinAlgError, ValueError, TypeError, ZeroDivisionError, OverflowError, FloatingPointError)


def on_grader_symbols(expression, variables: Sequence[Var]):
    """``expression`` with its symbols replaced, by name, by the symbols of ``variables`` (the
    reference may declare other assumptions, e.g. ``nonnegative``, than the grader's ``Var``)."""
    by_name = {v.name: v.symbol() for v in variables}
    mapping = {s: by_name[s.name] for s in expression.free_symbols if getattr(s, "name", None) in by_name}
    return expression.xreplace(mapping)


def check_formula(ctx, func: str, variables: Sequence[Var], *, what: str = "",
                  dims: dict[str, int] | None = None) -> None:
    """Fail unless the formula the student's ``func()`` returns (as text, parsed by
    :func:`parse_formula`) equals the reference's ``func()`` on the variables' domains.

    ``what`` names the quantity in the message (``"grad_logdet() (∂log|det X|/∂X)"``);
    ``dims`` are the integer dimensions the formula may use as constants.
    """
    got = parse_formula(ctx.text(func), variables, dims=dims)
    samples = reference_formula_samples(ctx.exercise.reference_name, func, tuple(variables))
    assert_agrees_at_samples(got, samples, variables, name=f"{func}() ({what})" if what else f"{func}()")


def _simplifies_to_zero(difference) -> bool:
    import sympy

    try:
        return sympy.simplify(difference) == 0
    except Exception:  # noqa: BLE001 - simplification is evidence, not the verdict
        return False


_UNARY: dict[str, Callable[[Any], Any]] = {
    "exp": np.exp, "log": np.log, "Abs": np.abs, "sin": np.sin, "cos": np.cos, "tan": np.tan, "tanh": np.tanh,
    "sinh": np.sinh, "cosh": np.cosh, "atan": np.arctan, "asin": np.arcsin, "acos": np.arccos, "sign": np.sign,
    "Trace": np.trace, "Determinant": np.linalg.det,
}


def evaluate(expression, env: dict):
    """The numeric value of a (whitelisted) sympy expression, with numpy, at the values ``env``
    (symbol -> float or ndarray). No code is generated or executed."""
    import sympy

    kind = type(expression).__name__
    if expression in env:
        return env[expression]
    if isinstance(expression, sympy.MatrixBase):  # an explicit Matrix([...])
        return np.array([[evaluate(e, env) for e in row] for row in expression.tolist()])
    if expression.is_Number or expression in (sympy.pi, sympy.E):
        return complex(expression) if expression.is_complex and not expression.is_real else float(expression)
    if kind == "Identity":
        return np.eye(int(expression.shape[0]))
    if kind in ("ZeroMatrix", "OneMatrix"):
        return np.full(tuple(int(n) for n in expression.shape), 0.0 if kind == "ZeroMatrix" else 1.0)
    args = [evaluate(a, env) for a in expression.args]
    if kind in ("Add", "MatAdd"):
        return _sum(args)
    if kind in ("Mul", "MatMul"):
        return _product(args)
    if kind in ("Pow", "MatPow"):
        base, exponent = args
        if isinstance(base, np.ndarray) and base.ndim == 2 and base.shape[0] > 1:
            return np.linalg.matrix_power(base, int(exponent))
        return np.power(base, exponent)
    if kind == "Transpose":
        return np.asarray(args[0]).T
    if kind == "Inverse":  # a MatPow whose args are (matrix, -1)
        return np.linalg.inv(args[0])
    if kind in ("Max", "Min"):
        return (np.maximum if kind == "Max" else np.minimum).reduce(np.broadcast_arrays(*args))
    if kind in _UNARY and len(args) == 1:
        return _UNARY[kind](args[0])
    raise FormulaError(f"the formula uses {kind}, which cannot be evaluated numerically here")


def _sum(values):
    total = values[0]
    for value in values[1:]:
        total = total + value
    return total


def _product(values):
    result = values[0]
    for value in values[1:]:
        both_matrices = (isinstance(result, np.ndarray) and isinstance(value, np.ndarray)
                         and result.ndim == value.ndim == 2)
        result = result @ value if both_matrices else result * value
    return result


def _fmt(value) -> str:
    if isinstance(value, np.ndarray) and value.size > 1:
        real = value.real if np.all(np.abs(value.imag) < 1e-12) else value
        return np.array2string(np.asarray(real), precision=4, separator=", ").replace("\n", "")
    value = complex(np.asarray(value).reshape(-1)[0]) if not isinstance(value, float) else value
    if isinstance(value, complex):
        value = value.real if abs(value.imag) < 1e-12 else value
    return f"{value:.6g}"
