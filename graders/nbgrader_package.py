"""nbgrader's package, imported without running its ``__init__``: for the gradebook.

``nbgrader/__init__.py`` imports its four Jupyter server extensions, and with them its apps,
its exchange, nbconvert and jupyter_server: 0.3-0.4 s of the 0.55-0.7 s of CPU that
``import nbgrader.api`` costs. The batch's own process pays that as it opens the gradebook,
while the grading processes want the cores, and needs none of it. Importing this module first
(``graders.nbgrader_bridge`` does) puts nbgrader's package in place as Python would, its
``__path__`` and ``__version__`` set, but without running its ``__init__``: every module of
nbgrader still imports as usual, found by the package's ``__path__``. Missing is only what a
Jupyter server asks of the package (its extension points), and no geodl process is one.

Where nbgrader is imported already, this changes nothing.
"""
from __future__ import annotations

import importlib.util
import sys


def import_package_alone(name: str = "nbgrader") -> None:
    """Put package ``name`` in ``sys.modules`` without running its ``__init__``, with its
    ``__version__`` from its ``_version`` module where it has one; no-op where it is imported
    already or is not a package."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    try:
        version = importlib.import_module(f"{name}._version")
    except ImportError:
        return
    package.__version__ = getattr(version, "__version__", None)


import_package_alone()
