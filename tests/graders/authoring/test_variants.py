"""graders/authoring/variants.py: the degenerate implementations the gate builds from the worked
solution, and the kinds of variant folders."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from graders.authoring.variants import DEGENERATE_KINDS, degenerate_files, load_variants
from graders.chapters import load_chapter

PROBE = """
import json, sys
import numpy as np
sys.path.insert(0, sys.argv[1])
from ch03.logistic import softmax, softmax_xent
Z = np.array([[1.0, 2.0], [3.0, -1.0]])
P = softmax(Z)
answer = softmax_xent(np.ones((2, 2)), np.zeros(2), Z, np.eye(2))
loss, dW = answer[:2] if isinstance(answer, tuple) else (None, answer)
print(json.dumps({"P": np.asarray(P).tolist(), "dtype": str(np.asarray(P).dtype), "loss": loss,
                  "loss_type": type(loss).__name__, "dW": np.asarray(dW).tolist()}))
"""


def _probe(tmp_path, kind):
    for rel, data in degenerate_files(load_chapter("ch03"), "ch03.softmax_regression", kind).items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    out = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("kind", DEGENERATE_KINDS)
def test_every_function_of_the_exercise_degenerates_at_once_keeping_shapes_and_types(tmp_path, kind):
    got = _probe(tmp_path, kind)
    if kind == "first_input":
        assert got["P"] == [[1.0, 2.0], [3.0, -1.0]] and got["dW"] == [[1.0, 1.0], [1.0, 1.0]]
        return
    assert got["dtype"] == "float64" and got["loss_type"] == "float"
    assert len(got["P"]) == 2 and len(got["P"][0]) == 2 and len(got["dW"]) == 2
    if kind == "zeros":
        assert got["P"] == [[0.0, 0.0], [0.0, 0.0]] and got["loss"] == 0.0
    elif kind == "constant":
        assert got["P"] == [[0.5, 0.5], [0.5, 0.5]] and got["loss"] == 0.5
    else:  # random: not the reference's values, not a constant
        assert len({v for row in got["P"] for v in row}) == 4
        assert abs(sum(row[0] for row in got["P"]) - 1.0) > 1e-6


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="should be one of zeros"):
        degenerate_files(load_chapter("ch03"), "ch03.softmax_regression", "ones")
    with pytest.raises(ValueError, match="should be 'wrong' or 'alternative'"):
        load_variants(load_chapter("ch03"), "degenerate")


def test_wrong_variants_and_alternatives_are_told_apart():
    chapter = load_chapter("ch06")
    assert {v.kind for v in load_variants(chapter)} == {"wrong"}
    assert all(v.kind == "alternative" for v in load_variants(chapter, "alternative"))
