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


def test_gpu_only_wrong_variants_are_loaded_and_marked():
    """``variants/<exercise>/gpu/*.py`` are wrong variants that only a GPU worker can catch."""
    variants = load_variants(load_chapter("ch07"))
    gpu = [v for v in variants if v.gpu]
    assert [v.id for v in gpu] == ["ch07.train_digits_cnn:data_left_on_cpu"]
    assert all(not v.gpu for v in variants if v.path.parent.name != "gpu")
    assert not any(v.gpu for v in load_variants(load_chapter("ch07"), "alternative"))


CLASS_PROBE = """
import json, sys
import torch
sys.path.insert(0, sys.argv[1])
from ch13.flow import AffineCoupling
layer = AffineCoupling(torch.tensor([1.0, 0.0]), 4).double()
x = torch.tensor([[0.5, -1.0], [2.0, 3.0]], dtype=torch.float64)
y, logdet = layer(x)
print(json.dumps({"y": y.tolist(), "logdet": logdet.tolist(), "inverse": layer.inverse(x).tolist()}))
"""


@pytest.mark.parametrize("kind", ["zeros", "first_input"])
def test_a_class_the_exercise_asks_for_degenerates_its_public_methods(tmp_path, kind):
    for rel, data in degenerate_files(load_chapter("ch13"), "ch13.realnvp_moons", kind).items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    out = subprocess.run([sys.executable, "-c", CLASS_PROBE, str(tmp_path)], capture_output=True, text=True, check=True)
    got = json.loads(out.stdout)
    x = [[0.5, -1.0], [2.0, 3.0]]
    if kind == "zeros":       # forward (through nn.Module.__call__) and inverse both degenerate
        assert got["y"] == [[0.0, 0.0], [0.0, 0.0]] and got["logdet"] == [0.0, 0.0] and got["inverse"] == got["y"]
    else:                     # the first input after self
        assert got["inverse"] == x
