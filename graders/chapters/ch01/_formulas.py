"""Grading one symbolic answer: the student's text parsed by the whitelisting parser, the
reference's expression rebuilt on the grader's symbols, and the two compared."""
from __future__ import annotations

from typing import Sequence

from graders.checks.symbolic import Var, assert_equivalent, parse_formula


def on_grader_symbols(expression, variables: Sequence[Var]):
    """``expression`` with its symbols replaced, by name, by the symbols of ``variables`` (the
    reference may declare other assumptions, e.g. ``nonnegative``, than the grader's ``Var``)."""
    by_name = {v.name: v.symbol() for v in variables}
    mapping = {s: by_name[s.name] for s in expression.free_symbols if getattr(s, "name", None) in by_name}
    return expression.xreplace(mapping)


def check_formula(ctx, func: str, variables: Sequence[Var], *, what: str) -> None:
    """Fail unless the formula returned by ``func()`` equals the reference's on the variables'
    domains (``what`` names the quantity in the message)."""
    got = parse_formula(ctx.text(func), variables)
    want = on_grader_symbols(getattr(ctx.ref, func)(), variables)
    assert_equivalent(got, want, variables, name=f"{func}() ({what})")
