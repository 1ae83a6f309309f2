"""POT (``import ot``), the grader's optimal-transport oracle, imported on first use.

POT's backend module imports torch when it is installed (about 1 s more per grading process);
the numpy backend is all these oracles need, so torch's backend is switched off for the import
unless torch is loaded already. Only the import reads the variable: it is restored at once."""
from __future__ import annotations

import os
import sys
from types import ModuleType

_KEY = "POT_BACKEND_DISABLE_PYTORCH"


def pot() -> ModuleType:
    """The ``ot`` module."""
    if "ot" in sys.modules or "torch" in sys.modules:
        import ot

        return ot
    before = os.environ.get(_KEY)
    os.environ[_KEY] = "1"
    try:
        import ot
    finally:
        if before is None:
            del os.environ[_KEY]
        else:
            os.environ[_KEY] = before
    return ot
