"""graders/wire.py: plain data round-trips; everything else is refused on arrival, unpickled never."""
from __future__ import annotations

import pickle
import socket
import struct
import tracemalloc

import msgpack
import numpy as np
import pytest

from graders.worker import wire


def roundtrip(value):
    return wire.Decoder().decode(wire.Encoder().encode(value))


@pytest.mark.parametrize("value", [
    None, True, 3, -2**63, 2.5, float("inf"), "text", b"bytes", [1, [2, [3]]], {"a": {"b": [1.0]}},
    (1, 2), (), {1: "int key", (2, 3): "tuple key"}, 1 + 2j,
])
def test_plain_values_roundtrip(value):
    assert roundtrip(value) == value
    assert type(roundtrip(value)) is type(value)


@pytest.mark.parametrize("dtype", ["f8", "f4", "f2", "i8", "i4", "u1", "b1", "c16", "c8"])
def test_arrays_roundtrip_with_dtype_and_shape(dtype):
    array = (np.arange(24).reshape(2, 3, 4) % 3).astype(dtype)
    back = roundtrip(array)
    assert back.dtype == array.dtype and back.shape == (2, 3, 4)
    np.testing.assert_array_equal(back, array)
    assert back.flags.writeable


def test_big_endian_and_non_contiguous_arrays_arrive_native_and_equal():
    array = np.arange(12, dtype=">f8").reshape(3, 4)[:, ::2]
    back = roundtrip(array)
    assert back.dtype == np.dtype("<f8")
    np.testing.assert_array_equal(back, array)


@pytest.mark.parametrize("array", [
    np.array(2.0), np.zeros((0, 3)), np.asfortranarray(np.arange(6.0).reshape(2, 3)),
    np.arange(10, dtype="i4")[::3], np.ones((1,) * wire.MAX_NDIM, dtype="u1"),
], ids=["0-d", "empty", "fortran", "strided", "max-ndim"])
def test_arrays_arrive_as_fresh_writable_c_order_arrays(array):
    back = roundtrip(array)
    assert back.shape == array.shape and back.dtype == array.dtype
    np.testing.assert_array_equal(back, array)
    assert back.flags.c_contiguous and back.flags.writeable and back.base is None


def test_too_many_dimensions_are_refused_both_ways():
    with pytest.raises(wire.WireError, match="more than 32 dimensions"):
        wire.Encoder().encode(np.ones((1,) * (wire.MAX_NDIM + 1)))
    with pytest.raises(wire.WireError, match="33 dimensions"):
        wire.Decoder().decode(_array_ext(F8, [1] * (wire.MAX_NDIM + 1), b"\0" * 8))


def test_numpy_scalars_become_python_numbers():
    assert roundtrip(np.float64(1.5)) == 1.5 and type(roundtrip(np.float64(1.5))) is float
    assert type(roundtrip(np.int32(3))) is int
    assert roundtrip(np.bool_(True)) is True


def test_object_arrays_are_refused_when_encoding():
    with pytest.raises(wire.WireError, match="dtype object"):
        wire.Encoder().encode(np.array([object()], dtype=object))


def _ext(code, fields):
    return msgpack.packb(msgpack.ExtType(code, msgpack.packb(fields, use_bin_type=True)), use_bin_type=True)


def _array_ext(code, shape, raw):
    payload = struct.pack(f"<BB{len(shape)}q", code, len(shape), *shape) + raw
    return msgpack.packb(msgpack.ExtType(wire.EXT_NDARRAY, payload), use_bin_type=True)


F8 = wire._DTYPE_LIST.index("<f8")


def test_object_array_on_the_wire_is_refused_without_unpickling(monkeypatch):
    payload = pickle.dumps(np.array([1, "x"], dtype=object))
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: pytest.fail("the decoder unpickled"))
    monkeypatch.setattr(np, "load", lambda *a, **k: pytest.fail("the decoder used np.load"))
    with pytest.raises(wire.WireError, match="dtype code 17 is not allowed"):
        wire.Decoder().decode(_array_ext(17, [2], payload))
    with pytest.raises(wire.WireError):  # a pickle is no valid array payload either
        wire.Decoder().decode(msgpack.packb(msgpack.ExtType(wire.EXT_NDARRAY, payload), use_bin_type=True))


@pytest.mark.parametrize("dtype", ["|O", "<U5", "|S3", "<M8[s]", "V8", ">f8"])
def test_disallowed_dtypes_are_refused_when_sending(dtype):
    with pytest.raises(wire.WireError, match="cannot be sent"):
        wire.Encoder().encode(np.zeros(2, dtype=dtype) if dtype != ">f8" else np.zeros(2, dtype=">f8").view("V8"))


def test_shape_must_match_the_bytes():
    with pytest.raises(wire.WireError, match="has 8 bytes, shape \\(2,\\) needs 16"):
        wire.Decoder().decode(_array_ext(F8, [2], b"\0" * 8))
    with pytest.raises(wire.WireError, match="non-negative ints"):
        wire.Decoder().decode(_array_ext(F8, [-1], b""))
    with pytest.raises(wire.WireError, match="truncated"):
        wire.Decoder().decode(msgpack.packb(msgpack.ExtType(wire.EXT_NDARRAY, bytes([F8, 3, 0])), use_bin_type=True))


def test_oversized_arrays_are_refused_before_allocation():
    decoder = wire.Decoder(max_array_bytes=1024)
    with pytest.raises(wire.WireError, match="exceeds 1024 bytes"):
        decoder.decode(_array_ext(F8, [1000], b"\0" * 8000))
    # a claimed shape of 10^12 elements with almost no data is refused on the claim alone
    with pytest.raises(wire.WireError, match="exceeds"):
        wire.Decoder().decode(_array_ext(F8, [10**6, 10**6], b""))


def test_deep_nesting_is_refused():
    value = ()
    for _ in range(wire.MAX_DEPTH + 5):
        value = (value,)
    with pytest.raises(wire.WireError, match="nests deeper"):
        wire.Encoder().encode(value)
    data = msgpack.packb([], use_bin_type=True)
    for _ in range(wire.MAX_DEPTH + 5):
        data = msgpack.packb(msgpack.ExtType(wire.EXT_TUPLE, data), use_bin_type=True)
    with pytest.raises(wire.WireError, match="nests deeper"):
        wire.Decoder().decode(data)


@pytest.mark.parametrize("payload", [b"\xc1", b"\x92\x01", b"\x81\x01", b"\xd4\x63\x00", b"\xc4\xff"])
def test_malformed_msgpack_raises_wire_error(payload):
    with pytest.raises(wire.WireError):
        wire.Decoder().decode(payload)


def test_unknown_extension_and_bad_dict_keys_are_refused():
    with pytest.raises(wire.WireError, match="unknown extension type 99"):
        wire.Decoder().decode(_ext(99, []))
    with pytest.raises(wire.WireError, match="unhashable type"):
        wire.Decoder().decode(b"\x81\x92\x01\x02\xa1x")  # {[1, 2]: "x"}


def test_objects_are_not_plain_data_unless_the_encoder_keeps_them():
    class Thing:
        pass
    with pytest.raises(wire.WireError, match="Thing object is not plain data"):
        wire.Encoder().encode({"x": Thing()})
    with pytest.raises(wire.WireError, match="64 bits"):
        wire.Encoder().encode(2**70)
    handle = wire.Handle(1, 7, "Thing", False)
    encoded = wire.Encoder(on_object=lambda v: handle).encode([Thing()])
    assert wire.Decoder().decode(encoded) == [handle]


def test_subclasses_of_builtins_are_not_taken_for_builtins():
    class SneakyFloat(float):
        def __eq__(self, other):
            return True
    with pytest.raises(wire.WireError, match="SneakyFloat"):
        wire.Encoder().encode(SneakyFloat(1.0))


def test_tensor_data_roundtrip():
    tensor = wire.TensorData(np.ones((2, 2), dtype=np.float32), "float32", "cuda:0", True)
    back = roundtrip(tensor)
    assert back.dtype == "float32" and back.device == "cuda:0" and back.requires_grad
    np.testing.assert_array_equal(back.array, tensor.array)


def test_frame_header_limits():
    assert wire.parse_header(wire.HEADER.pack(10, wire.SESSION)) == (10, wire.SESSION)
    with pytest.raises(wire.WireError, match="unknown channel"):
        wire.parse_header(wire.HEADER.pack(10, 9))
    with pytest.raises(wire.WireError, match="exceeds the limit"):
        wire.parse_header(wire.HEADER.pack(wire.MAX_FRAME_BYTES + 1, wire.SESSION))


def test_an_encoded_list_spliced_into_a_request_decodes_as_the_request():
    """A request can carry a list encoded once and sent many times (a plan's calls)."""
    items = [{"target": {"module": "m", "path": ["f"]}, "args": [np.arange(k, dtype=float)]} for k in range(20)]
    encoder = wire.Encoder()
    head = encoder.encode({"id": 3, "op": "stream", "quiet": True, "calls": []})
    decoded = wire.Decoder().decode(wire.splice_last(head, wire.encode_list_of([encoder.encode(i) for i in items])))
    assert decoded["id"] == 3 and decoded["quiet"] is True and len(decoded["calls"]) == 20
    assert all(np.array_equal(got["args"][0], want["args"][0]) for got, want in zip(decoded["calls"], items))
    with pytest.raises(wire.WireError, match="empty list"):
        wire.splice_last(encoder.encode({"calls": [1]}), b"\x90")


# --------------------------------------------------------------------------- the decoding budget
def _list(count: int) -> bytes:
    return b"\xdd" + struct.pack(">I", count)


def _map(count: int) -> bytes:
    return b"\xdf" + struct.pack(">I", count)


def _lists_of(item: bytes, count: int, per: int = 200) -> bytes:
    """A list of lists of ``per`` items holding ``count`` copies of ``item`` in all (short lists: a frame
    of at most DIRECT_FRAME_BYTES holding them is decoded straight away)."""
    full, rest = divmod(count, per)
    parts = [_list(per) + item * per] * full + ([_list(rest) + item * rest] if rest else [])
    return _list(len(parts)) + b"".join(parts)


def _ext32(code: int, payload: bytes) -> bytes:
    return b"\xc9" + struct.pack(">I", len(payload)) + bytes([code]) + payload


def _reply(value: bytes) -> bytes:
    """A reply dict whose value is ``value`` (already encoded)."""
    return wire.splice_last(wire.Encoder().encode({"id": 1, "ok": True, "duration_s": 0.1, "output": "",
                                                   "value": []}), value)


def _int_keys(count: int) -> bytes:
    return b"".join(b"\xd2" + struct.pack(">i", k - 10**6) + b"\xc0" for k in range(count))


def _nested_tuples(value: bytes, levels: int = wire.MAX_DEPTH - 2) -> bytes:
    for _ in range(levels):
        value = _ext32(wire.EXT_TUPLE, b"\x91" + value)
    return value


_SMALL_ARRAY = wire.Encoder().encode(np.arange(3.0))
_BOOL_SCALAR = b"\xc7\x03" + bytes([wire.EXT_NDARRAY, wire._DTYPE_LIST.index("|b1"), 0, 1])
_HUGE_SHAPE = b"\xc7" + bytes([34, wire.EXT_NDARRAY, F8, 2]) + struct.pack("<2q", 10**6, 10**6) + b"\0" * 16

#: frames built to make a decoder allocate far more than their size, by name: a function of the
#: frame's rough size n
ADVERSARIAL = {
    "empty dicts": lambda n: _lists_of(b"\x80", n),
    "empty lists": lambda n: _lists_of(b"\x90", n),
    "one-entry dicts in one-entry dicts": lambda n: _lists_of(b"\x81\x00" * 40 + b"\xc0", n // 81),
    "ints outside the cache": lambda n: _lists_of(b"\xe0", n),
    "two-character strings": lambda n: _lists_of(b"\xa2ab", n // 3),
    "tuples in tuples around empty dicts": lambda n: _nested_tuples(_lists_of(b"\x80", n)),
    "tuples in tuples around bytes": lambda n: _nested_tuples(b"\xc6" + struct.pack(">I", n) + b"\0" * n),
    "many 0-d arrays": lambda n: _lists_of(_BOOL_SCALAR, n // len(_BOOL_SCALAR)),
    "huge shapes with 16-byte payloads": lambda n: _lists_of(_HUGE_SHAPE, n // len(_HUGE_SHAPE)),
    "a dict of many int keys": lambda n: _map(n // 6) + _int_keys(n // 6),
    "a dict of many str keys": lambda n: _map(n // 10) + b"".join(b"\xa8%08d\xc0" % k for k in range(n // 10)),
    "the same string again and again": lambda n: _lists_of(msgpack.packb("x" * 1000), n // 1003),
    "the same array again and again": lambda n: _lists_of(_SMALL_ARRAY, n // len(_SMALL_ARRAY)),
    "the same tuple again and again": lambda n: _lists_of(wire.Encoder().encode((1.5, "ab", None)), n // 12),
    "lists that never come (length 2^32 - 1)": lambda n: b"\xdd\xff\xff\xff\xff" * (n // 5),
    "lists that never come (length 200)": lambda n: b"\xdc\x00\xc8" * (n // 3),
}


def _peak_decoding(data: bytes) -> tuple[int, BaseException | None]:
    """tracemalloc's peak while decoding ``data`` (``data`` itself aside), and what it raised."""
    decoder = wire.Decoder()
    tracemalloc.start()
    try:
        decoder.decode(data)
        error = None
    except wire.WireError as exc:
        error = exc
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak, error


@pytest.mark.parametrize("size, slack", [(30_000, None), (250_000, 64 * 2**10)],
                         ids=["decoded-straight-away", "walked-first-with-64-KiB-slack"])
@pytest.mark.parametrize("build", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_decoding_any_frame_allocates_at_most_its_budget(build, size, slack, monkeypatch):
    """Decoding a frame of N bytes allocates at most 8 N + 8 MiB (tracemalloc's peak), however the
    frame is built: the frames here make msgpack, or the decoder before the budget, allocate up to
    100 times their size (the red team's 24 MiB frame took the grader from 242 MiB to 2.1 GiB).
    Walked frames are held to 8 N + 64 KiB, so that the slack hides nothing of what they cost."""
    if slack is not None:
        monkeypatch.setattr(wire, "DECODE_SLACK_BYTES", slack)
    data = _reply(build(size))
    assert len(data) > wire.DIRECT_FRAME_BYTES or slack is None
    peak, error = _peak_decoding(data)
    assert peak <= wire.decode_budget(len(data)), (peak, len(data), error)
    assert error is None or "\n" not in str(error)


def test_a_frame_over_its_budget_is_refused_saying_so_and_within_it():
    data = _reply(_lists_of(b"\x80", 600_000))
    peak, error = _peak_decoding(data)
    assert isinstance(error, wire.WireError) and "would allocate more than its budget" in str(error)
    assert peak < 0.1 * wire.decode_budget(len(data)), "refused while walking, before msgpack built anything"
    # tuples nested in each other: each level's payload is a copy, and the copies count
    nested = _reply(_nested_tuples(b"\xc6" + struct.pack(">I", 1_000_000) + b"\0" * 1_000_000, levels=20))
    with pytest.raises(wire.WireError, match="would allocate more than its budget"):
        wire.Decoder().decode(nested)


#: honest values of every kind, some large (the walk and the direct decoding must agree on them)
HONEST = {
    "scalars": [None, True, False, 0, -5, 300, -(2**63), 2**64 - 1, 1.5, float("nan"), "", "é", "text", b"", b"x",
                1 + 2j],
    "a reply of arrays": {"W": np.ones((64, 32)), "b": np.arange(5, dtype="i4"), "mask": np.zeros((3, 3), bool)},
    "nested tuples": ((np.arange(3.0), (1, (2.5, "x"))), ()),
    "small ints": list(range(-5, 128)) * 2000,
    "large ints": list(range(10**6, 10**6 + 30_000)),
    "floats": [float(k) / 7 for k in range(50_000)],
    "bools and None": [True, False, None] * 20_000,
    "strings": [f"item {k}" for k in range(20_000)],
    "dicts": [{"ok": True, "value": np.full(3, float(k)), k: (k, "x")} for k in range(3000)],
    "tensors, handles, functions": [wire.TensorData(np.ones((2, 3), np.float32), "float32"),
                                    wire.Handle(1, 2, "Net", True), wire.FuncSource("lambda x: x")],
}


@pytest.mark.parametrize("value", HONEST.values(), ids=HONEST.keys())
def test_honest_values_decode_alike_straight_away_and_walked_first(value, monkeypatch):
    data = wire.Encoder().encode({"id": 1, "ok": True, "value": value})
    direct = wire.Decoder().decode(data)
    monkeypatch.setattr(wire, "DIRECT_FRAME_BYTES", -1)
    walked = wire.Decoder().decode(data)
    assert _same(walked, direct) and _same(walked["value"], value)


def _same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and np.array_equal(a, b)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, wire.TensorData):
        return _same(a.array, b.array) and (a.dtype, a.device) == (b.dtype, b.device)
    if isinstance(a, float) and a != a:
        return b != b
    return a == b


@pytest.mark.parametrize("value", HONEST.values(), ids=HONEST.keys())
def test_the_walk_charges_at_least_what_decoding_allocates(value):
    """The walk's figures (what each element costs) are upper bounds: decoding allocates no
    more than the walk charged (tracemalloc's peak), on honest values too."""
    data = wire.Encoder().encode({"id": 1, "ok": True, "value": value})
    decoder = wire.Decoder()
    decoder._size = len(data)
    charged = decoder._walk(data, 0, len(data), 1, wire.decode_budget(len(data)))
    peak, error = _peak_decoding(data)
    assert error is None and peak <= charged + 4096, (peak, charged)
    assert charged <= wire.decode_budget(len(data))


@pytest.mark.parametrize("data, message", [
    (_list(10) + b"\xc0" * 9, "truncated"),
    (b"\xc0\xc0", "1 bytes after the value"),
    (b"\x91\xc1", "byte 0xc1"),
    (b"\xdb\x00\x00\x00\x10abc", "truncated"),
    (b"\x91" * 1001 + b"\xc0", "nests deeper than 1000 levels"),
    (_list(1_000_001), "at most 1000000"),
    (_map(1_000_001), "at most 1000000"),
    (_ext32(wire.EXT_TUPLE, b"\x90\xc0"), "1 bytes after the value"),
    (_ext32(wire.EXT_TUPLE, b"\x92\xc0"), "truncated"),
], ids=["list-short", "extra", "never-used-byte", "string-short", "deep-lists", "long-list", "long-dict",
        "tuple-extra", "tuple-short"])
def test_the_walk_refuses_malformed_frames_without_building_them(data, message, monkeypatch):
    monkeypatch.setattr(wire, "DIRECT_FRAME_BYTES", -1)
    with pytest.raises(wire.WireError, match=message):
        wire.Decoder().decode(data)


@pytest.mark.parametrize("walk_first", [False, True])
def test_what_decoding_straight_away_refuses_the_walk_refuses_too(walk_first, monkeypatch):
    if walk_first:
        monkeypatch.setattr(wire, "DIRECT_FRAME_BYTES", -1)
    with pytest.raises(wire.WireError, match="unknown extension type 99"):
        wire.Decoder().decode(_ext(99, []))
    with pytest.raises(wire.WireError, match="unhashable type"):
        wire.Decoder().decode(b"\x81\x92\x01\x02\xa1x")
    with pytest.raises(wire.WireError, match="nests deeper than 48"):
        wire.Decoder().decode(_nested_tuples(b"\x90", levels=wire.MAX_DEPTH + 1))
    with pytest.raises(wire.WireError, match="has 8 bytes, shape \\(2,\\) needs 16"):
        wire.Decoder().decode(_array_ext(F8, [2], b"\0" * 8))
    assert wire.Decoder().decode(msgpack.packb(msgpack.Timestamp(3, 500_000_000))) == 3.5  # never an object


def test_a_long_list_in_a_small_frame_is_walked_then_decoded():
    """A frame decoded straight away holds lists of at most DIRECT_MAX_LIST_LEN items (msgpack
    allocates a list's slots before its items arrive); a longer one is walked first, and decodes."""
    value = list(range(wire.DIRECT_MAX_LIST_LEN + 1))
    assert wire.Decoder().decode(wire.Encoder().encode([value, (value,)])) == [value, (value,)]


def test_a_decoder_refuses_a_frame_over_its_cap():
    decoder = wire.Decoder(max_frame_bytes=100)
    assert decoder.decode(msgpack.packb("x" * 90)) == "x" * 90
    with pytest.raises(wire.WireError, match="frame of 102 bytes exceeds the limit 100"):
        decoder.decode(msgpack.packb("x" * 100))


def test_a_frame_over_the_readers_cap_is_refused_at_its_header():
    """The header alone is read: nothing of the frame's body is waited for, let alone buffered."""
    ours, theirs = socket.socketpair()
    try:
        reader = wire.FrameReader(ours, max_frame_bytes=1000)
        theirs.sendall(wire.HEADER.pack(1001, wire.SESSION) + b"\0" * 10)
        with pytest.raises(wire.WireError, match="frame of 1001 bytes exceeds the limit 1000"):
            reader.read()
        theirs.sendall(wire.frame(wire.SESSION, b"\xc0"))
        fresh = wire.FrameReader(ours, max_frame_bytes=1000)
        assert fresh.read() == (wire.SESSION, b"\xc0")
    finally:
        ours.close()
        theirs.close()


def test_a_trusted_decoder_skips_the_budget_not_the_checks():
    """A session decodes what the grader sent (trusted): no budget, no walk; the rest is checked."""
    value = {"calls": [{"args": [np.arange(3.0), (1, "x")]}] * 3000, "ints": list(range(1000))}
    data = wire.Encoder().encode(value)
    trusted = wire.Decoder(trusted=True)
    assert _same(trusted.decode(data), value)
    assert _same(trusted.decode(wire.Encoder().encode([(1, 2)] * 100_000)), [(1, 2)] * 100_000)
    with pytest.raises(wire.WireError, match="would allocate more than its budget"):
        wire.Decoder().decode(wire.Encoder().encode([(1, 2)] * 100_000))
    with pytest.raises(wire.WireError, match="dtype code 17 is not allowed"):
        trusted.decode(_array_ext(17, [2], b"\0" * 16))


def test_an_answer_reference_roundtrips_and_marks_the_value_special():
    ref = wire.AnswerRef(3, ("o", 1))
    decoder = wire.Decoder()
    assert decoder.decode(wire.Encoder().encode({"args": [ref, 2.0]})) == {"args": [ref, 2.0]}
    assert decoder.special
    assert decoder.decode(wire.Encoder().encode([1.0])) == [1.0] and not decoder.special


@pytest.mark.parametrize("fields", [[-1, []], [1], ["1", []], [1, [1.5]], [1, "o"]])
def test_a_malformed_answer_reference_is_refused(fields):
    frame = msgpack.packb(msgpack.ExtType(wire.EXT_ANSWER, msgpack.packb(fields)))
    with pytest.raises(wire.WireError, match="answer reference"):
        wire.Decoder().decode(frame)


def test_a_zero_dimensional_tensor_keeps_its_shape():
    back = roundtrip(wire.TensorData(np.array(1.5), "float64", "cpu", False))
    assert isinstance(back, wire.TensorData) and back.array.shape == () and back.array == 1.5
