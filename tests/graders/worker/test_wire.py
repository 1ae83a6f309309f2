"""graders/wire.py: plain data round-trips; everything else is refused on arrival, unpickled never."""
from __future__ import annotations

import pickle
import struct

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
