"""graders/worker.py's warden: what it works out for each session before the fork."""
from __future__ import annotations

import sys

from graders import inprocess  # noqa: F401  (makes graders.wire importable as the session's sibling, "wire")
from graders import session as session_module


def test_a_session_inherits_the_module_names_the_warden_noted_before_forking(monkeypatch):
    """The warden notes ``sys.modules`` before each fork (again once it has grown), and a
    session's record of what it inherited is that set; without a warden (in-process), the
    session takes ``sys.modules`` itself."""
    monkeypatch.setattr(session_module, "INHERITED_MODULES", None)
    without_warden = session_module.Session(None, 1, "/tmp", 0, {})
    assert without_warden.inherited_modules == frozenset(sys.modules)
    session_module.note_inherited_modules()
    noted = session_module.INHERITED_MODULES
    assert noted == frozenset(sys.modules)
    session_module.note_inherited_modules()
    assert session_module.INHERITED_MODULES is noted  # unchanged: not built again
    monkeypatch.setitem(sys.modules, "geodl_test_newly_imported", object())
    session_module.note_inherited_modules()
    assert "geodl_test_newly_imported" in session_module.INHERITED_MODULES
    assert session_module.Session(None, 2, "/tmp", 0, {}).inherited_modules is session_module.INHERITED_MODULES
