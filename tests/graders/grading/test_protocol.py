"""graders/protocol.py: replies are validated field by field; anything off names the field."""
from __future__ import annotations

import pytest

from graders.errors import ProtocolError
from graders.grading.protocol import ErrorInfo, Reply, Target


def test_a_good_reply_validates():
    reply = Reply.from_json({"id": 3, "ok": True, "value": [1, 2], "duration_s": 0.5, "output": "hi"}, expected_id=3)
    assert reply.ok and reply.value == [1, 2] and reply.output == "hi"


def test_an_error_reply_carries_error_info():
    raw = {"id": 1, "ok": False,
           "error": {"kind": "student", "type": "ValueError", "message": "bad", "location": "ch06/mlp.py:3 in f"}}
    reply = Reply.from_json(raw, expected_id=1)
    assert reply.error == ErrorInfo("student", "ValueError", "bad", "ch06/mlp.py:3 in f", "")
    assert reply.error.one_line() == "ValueError: bad at ch06/mlp.py:3 in f"


@pytest.mark.parametrize("raw, field", [
    ([], "a reply should be a dict"),
    ({"id": 2, "ok": True}, "'id' should be 1"),
    ({"id": True, "ok": True}, "'id' should be 1"),
    ({"id": 1, "ok": "yes"}, "'ok' should be a bool"),
    ({"id": 1, "ok": True, "duration_s": -1}, "'duration_s'"),
    ({"id": 1, "ok": True, "duration_s": float("nan")}, "'duration_s'"),
    ({"id": 1, "ok": True, "output": b"bytes"}, "'output' should be a string"),
    ({"id": 1, "ok": True, "forbidden": "numpy.kron"}, "'forbidden'"),
    ({"id": 1, "ok": False, "error": "boom"}, "'error' should be a dict"),
    ({"id": 1, "ok": False, "error": {"message": 3}}, "'error.message' should be a string"),
])
def test_malformed_replies_name_the_field(raw, field):
    with pytest.raises(ProtocolError, match=field):
        Reply.from_json(raw, expected_id=1)


def test_long_texts_are_capped():
    reply = Reply.from_json({"id": 1, "ok": True, "output": "x" * 100_000}, expected_id=1)
    assert len(reply.output) == 8192


def test_target_needs_exactly_one_of_module_or_handle():
    assert Target(module="ch06.mlp", path=("mlp_forward",)).to_json() == {"module": "ch06.mlp", "path": ["mlp_forward"]}
    with pytest.raises(ValueError, match="exactly one"):
        Target()
    with pytest.raises(ValueError, match="exactly one"):
        Target(module="m", handle=1)
