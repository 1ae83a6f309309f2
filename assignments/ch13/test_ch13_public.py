"""Public self-check of ch13: Generative models and unsupervised learning.

Run ``pytest ch13`` in the folder that holds ch13/ (README.md says how to install it). Every
public check runs against the code in this folder, in a separate worker process, with the reference's
values frozen in .geodl/ when the release was made; the hidden checks run only when your submission
is graded.
"""
import sys
from pathlib import Path

_RUNTIME = Path(__file__).resolve().with_name(".geodl")  # the self-check's runtime, written with the release
if not _RUNTIME.is_dir():
    raise ImportError(f"{_RUNTIME} is missing: this folder is not a whole release (the course staff makes one "
                      "with `geodl release ch13 OUT`)")
sys.path.insert(0, str(_RUNTIME))

from geodl_selfcheck import public_tests  # noqa: E402

public_tests("ch13", __file__, globals())
