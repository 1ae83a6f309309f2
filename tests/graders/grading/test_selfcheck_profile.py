"""The ``selfcheck`` profile (graders/grading/settings.py, engine.py): a property that fails on a
replayed example ends there, its counterexample that example unshrunk, with no hypothesis run
(which would ask the reference about inputs a release never recorded); its verdict is the one the
``local`` profile gives after shrinking."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring.checks import as_array, assert_close
from graders.grading.engine import grade
from graders.grading.settings import get_profile
from graders.grading.spec import Chapter
from graders.grading.submission import Submission

chapter = Chapter("ch95", title="selfcheck profile test chapter")
toy = chapter.exercise("ch95.toy", module="ch95.toy", functions=("double",), reference="math")
SEEN: list[list[int]] = []


@toy.check(points=2, given={"x": st.lists(st.integers(0, 100), min_size=1, max_size=8)}, max_examples=40)
def doubles_any_vector(ctx, x):
    """double(x) = 2x for integer vectors."""
    SEEN.append(list(x))
    x = np.array(x, dtype=float)
    assert_close(as_array(ctx.call("double", x), name="double(x)", shape=x.shape), 2 * x, rtol=1e-12, name="double(x)")


BUGGY = "import numpy as np\n\ndef double(x):\n    x = np.asarray(x)\n    return 2 * x if x.max() < 50 else x\n"


def _graded(profile: str, worker):
    SEEN.clear()
    result = grade(Submission("ch95", {"ch95/toy.py": BUGGY.encode()}), chapter, worker, get_profile(profile))
    return result.exercises[0].checks[0], list(SEEN)


def test_a_self_check_reports_the_replayed_example_unshrunk(process_worker):
    local, local_seen = _graded("local", process_worker)
    checked, checked_seen = _graded("selfcheck", process_worker)
    assert (local.status, checked.status) == ("failed", "failed")
    first_failing = next(x for x in checked_seen if max(x) >= 50)
    assert checked_seen[-1] == first_failing, "the self-check ran examples after the first failing one"
    assert len(local_seen) > len(checked_seen), "local shrinks: it runs more examples"
    assert str(first_failing[0]) in checked.counterexample or str(float(first_failing[0])) in checked.counterexample
    assert local.counterexample != checked.counterexample  # shrunk vs as replayed
