"""Run the doctests of every module of geodl_ref and graders (the documented examples must hold)."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import geodl_ref
import graders


def _modules(package) -> list[str]:
    names = [package.__name__]
    for info in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + "."):
        if ".variants" not in info.name:  # a wrong variant is student code, never imported by the grader
            names.append(info.name)
    return names


@pytest.mark.parametrize("module_name", _modules(geodl_ref) + _modules(graders))
def test_doctests(module_name):
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {module_name}"
