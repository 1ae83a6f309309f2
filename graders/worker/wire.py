"""The wire format between grader and worker: framed msgpack carrying plain data only.

This module is imported on both sides of the trust boundary, so it depends on the standard
library, numpy and msgpack alone (never on the rest of ``graders``) and is bound into the
sandbox next to ``worker.py``.

Frames
    ``[length: u32 big-endian][channel: u8][payload: msgpack]``. The channel separates traffic
    for the worker's warden process (``CONTROL``) from traffic it relays verbatim to the student
    session (``SESSION``).

Values
    ``None``, ``bool``, ``int`` (64-bit), ``float``, ``str``, ``bytes``, ``list``, ``dict`` with
    ``str`` keys, and these msgpack extension types:

    ======  ==============  ====================================================================
    code    Python (decoded) payload
    ======  ==============  ====================================================================
    1       ``ndarray``     ``dtype code (u8), ndim (u8), shape (ndim × i64 LE), raw bytes``;
                            numeric or bool dtypes, little-endian, C order
    2       ``tuple``       a packed list
    3       ``TensorData``  ``[dtype, shape, raw bytes, device, requires_grad]``
    4       ``Handle``      ``[session, id, type name, callable?]``: an object kept in the worker
    5       ``FuncSource``  ``[source]``: grader-authored Python source the worker compiles
    6       ``complex``     ``[real, imag]``
    ======  ==============  ====================================================================

Map keys may be any hashable plain value (``str``, numbers, ``None``, tuples of those).

Decoding never unpickles and never builds an object array: a dtype outside the allow-list, a
shape that does not match the byte count, a payload over the size caps or nesting deeper than
``MAX_DEPTH`` raises :class:`WireError` naming what was wrong.
"""
from __future__ import annotations

import dataclasses
import math
import socket
import struct
from typing import Any

import msgpack
import numpy as np

PROTOCOL_VERSION = 2  #: 2: quiet streams (a wake-up pipe beside the session socket), batch items in streams

CONTROL = 0
SESSION = 1

HEADER = struct.Struct(">IB")
MAX_FRAME_BYTES = 256 * 2**20      # hard cap on one frame, either direction
MAX_DEPTH = 48                     # nesting of lists/dicts/tuples
MAX_NDIM = 32
MAX_CONTAINER_LEN = 1_000_000      # elements in one list or dict
MAX_STR_BYTES = 16 * 2**20

EXT_NDARRAY, EXT_TUPLE, EXT_TENSOR, EXT_HANDLE, EXT_FUNC, EXT_COMPLEX = range(1, 7)

#: dtypes allowed on the wire: bool, integers, floats and complex, little-endian or 1-byte; an
#: array's dtype travels as its index in this list.
_DTYPE_LIST = ("|b1", "|i1", "|u1", "<i2", "<u2", "<i4", "<u4", "<i8", "<u8", "<f2", "<f4", "<f8", "<c8", "<c16")
_NUMPY_DTYPES = tuple(np.dtype(name) for name in _DTYPE_LIST)
#: an array's dtype code by its numpy dtype (the encoder's lookup)
_ARRAY_CODES = {dtype: code for code, dtype in enumerate(_NUMPY_DTYPES)}
ALLOWED_DTYPES = frozenset(_DTYPE_LIST)
#: by ndim: an array payload's header (dtype code, ndim, shape) and its shape alone
_ARRAY_HEADERS = tuple(struct.Struct(f"<BB{n}q") for n in range(MAX_NDIM + 1))
_SHAPES = tuple(struct.Struct(f"<{n}q") for n in range(MAX_NDIM + 1))


class WireError(ValueError):
    """A frame or value that does not follow the wire format. The message names the offender."""


@dataclasses.dataclass(frozen=True)
class TensorData:
    """A torch tensor in transit: its values as an ndarray plus what torch needs to rebuild it.

    ``dtype`` is the torch dtype name (``"float32"``, ``"bfloat16"``...); ``array`` holds the
    values (bfloat16 travels as float32).
    """

    array: np.ndarray
    dtype: str
    device: str = "cpu"
    requires_grad: bool = False


@dataclasses.dataclass(frozen=True)
class Handle:
    """A reference to an object that lives in the worker (an ``nn.Module``, a closure...).

    Only valid in the worker session ``session`` that created it.
    """

    session: int
    id: int
    type_name: str
    is_callable: bool = False

    def __repr__(self) -> str:
        return f"<{self.type_name} object in the worker>"


@dataclasses.dataclass(frozen=True)
class FuncSource:
    """Grader-authored Python source of one expression (e.g. a ``lambda``) for the worker to
    compile, with ``np``, ``math`` and (when available) ``torch`` in scope. Only the grader
    creates these; the worker never sends them."""

    source: str

    def __repr__(self) -> str:
        return self.source


# --------------------------------------------------------------------------- encoding
class Encoder:
    """Turns plain data into msgpack bytes.

    msgpack's C packer walks lists, dicts, strings and numbers; :meth:`_default` is called only
    for what it does not know (arrays, tuples, numpy scalars, the extension types) and for any
    non-plain object, which ``on_object`` must replace (by a :class:`Handle`) or refuse; the
    default refuses with :class:`WireError`.
    """

    def __init__(self, on_object=None, max_bytes: int = MAX_FRAME_BYTES):
        self._on_object = on_object
        self._max_bytes = max_bytes
        self._depth = 0
        self._packers: list[msgpack.Packer] = []  # one per nesting level: a packer is not re-entrant

    def encode(self, value: Any) -> bytes:
        self._depth = 0
        try:
            data = self._packer(0).pack(value)
        except WireError:
            raise
        except OverflowError as exc:
            raise WireError(f"an integer does not fit in 64 bits ({exc})") from None
        except (ValueError, TypeError) as exc:
            raise WireError(f"value cannot be encoded: {exc}") from None
        if len(data) > self._max_bytes:
            raise WireError(f"value is {len(data)} bytes when encoded; the limit is {self._max_bytes}")
        return data

    def _packer(self, depth: int) -> msgpack.Packer:
        """The packer of nesting level ``depth`` (a packer is not re-entrant)."""
        while len(self._packers) <= depth:
            self._packers.append(msgpack.Packer(use_bin_type=True, strict_types=True, default=self._default))
        return self._packers[depth]

    def _nested(self, code: int, fields: Any) -> msgpack.ExtType:
        depth = self._depth + 1
        if depth > MAX_DEPTH:
            raise WireError(f"value nests deeper than {MAX_DEPTH} levels")
        self._depth = depth
        try:
            return _ext(code, self._packer(depth).pack(fields))
        finally:
            self._depth = depth - 1

    def _default(self, value: Any) -> Any:
        kind = type(value)
        if kind is np.ndarray:  # the most frequent, first
            return _ext(EXT_NDARRAY, _array_payload(value))
        if kind is tuple:
            return self._nested(EXT_TUPLE, list(value))
        if kind is int:  # msgpack hands over the integers it cannot pack
            raise WireError(f"integer {value} does not fit in 64 bits")
        if isinstance(value, np.generic):
            return complex(value) if value.dtype.kind == "c" else value.item()
        if kind is complex:
            return _ext(EXT_COMPLEX, msgpack.packb([value.real, value.imag]))
        if kind is TensorData:
            fields = _array_fields(value.array) + [value.device, bool(value.requires_grad)]
            fields[0] = value.dtype
            return _ext(EXT_TENSOR, msgpack.packb(fields, use_bin_type=True))
        if kind is Handle:
            return _ext(EXT_HANDLE, msgpack.packb([value.session, value.id, value.type_name, value.is_callable]))
        if kind is FuncSource:
            return _ext(EXT_FUNC, msgpack.packb([value.source]))
        if self._on_object is None:
            raise WireError(f"a {kind.__name__} object is not plain data")
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise WireError(f"value nests deeper than {MAX_DEPTH} levels")
        try:
            replacement = self._on_object(value)
        finally:
            self._depth -= 1
        if type(replacement) not in (Handle, TensorData, np.ndarray):
            raise WireError(f"a {kind.__name__} object is not plain data")
        return self._default(replacement)  # msgpack calls default once per object


def _ext(code: int, data: bytes) -> msgpack.ExtType:
    """``msgpack.ExtType(code, data)`` without its constructor's checks (``code`` is one of ours,
    ``data`` is bytes): arrays are the most frequent values, and the checks cost more than the rest."""
    return tuple.__new__(msgpack.ExtType, (code, data))


def _little_endian(array: np.ndarray) -> np.ndarray:
    """``array`` itself, or a little-endian copy; refuses dtypes other than bool and numeric."""
    if array.dtype.kind not in "biufc":
        raise WireError(f"arrays of dtype {array.dtype} cannot be sent; only bool and numeric dtypes")
    if array.dtype.byteorder == ">":
        return array.astype(array.dtype.newbyteorder("<"))
    return array


def _array_payload(array: np.ndarray) -> bytes:
    """The compact wire form of an array: dtype code, ndim, shape, then the raw bytes in C order."""
    code = _ARRAY_CODES.get(array.dtype)
    if code is None:  # big-endian, or a dtype that is refused
        array = _little_endian(array)
        code = _ARRAY_CODES.get(array.dtype)
        if code is None:
            raise WireError(f"arrays of dtype {array.dtype} cannot be sent")
    ndim = array.ndim
    if ndim > MAX_NDIM:
        raise WireError(f"arrays of more than {MAX_NDIM} dimensions cannot be sent")
    return _ARRAY_HEADERS[ndim].pack(code, ndim, *array.shape) + array.tobytes()


def _array_fields(array: np.ndarray) -> list:
    """``[dtype, shape, bytes]`` of a numeric or bool array, in C order, little-endian."""
    array = np.ascontiguousarray(_little_endian(array))
    return [array.dtype.str, list(array.shape), array.tobytes()]


# --------------------------------------------------------------------------- decoding
class Decoder:
    """Turns msgpack bytes into plain data, validating everything on arrival.

    Parameters
    ----------
    max_array_bytes : int
        Largest array (in bytes) accepted; larger ones raise :class:`WireError`.
    """

    def __init__(self, max_array_bytes: int = MAX_FRAME_BYTES):
        self._max_array_bytes = max_array_bytes
        self._depth = 0
        #: whether the last decoded value held handles, tensors or functions (which need converting)
        self.special = False

    def decode(self, data: bytes) -> Any:
        if len(data) > MAX_FRAME_BYTES:
            raise WireError(f"frame of {len(data)} bytes exceeds the limit {MAX_FRAME_BYTES}")
        self._depth = 0
        self.special = False
        return self._unpack(data)

    def _unpack(self, data: bytes) -> Any:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise WireError(f"value nests deeper than {MAX_DEPTH} levels")
        try:
            value = msgpack.unpackb(
                data,
                raw=False,
                strict_map_key=False,  # keys: str, numbers, None, tuples; an unhashable one fails
                use_list=True,
                ext_hook=self._ext_hook,
                max_str_len=MAX_STR_BYTES,
                max_bin_len=MAX_FRAME_BYTES,
                max_array_len=MAX_CONTAINER_LEN,
                max_map_len=MAX_CONTAINER_LEN,
                max_ext_len=MAX_FRAME_BYTES,
            )
        except WireError:
            raise
        except (ValueError, TypeError, msgpack.ExtraData, msgpack.FormatError, msgpack.StackError) as exc:
            raise WireError(f"malformed msgpack payload ({type(exc).__name__}: {exc})") from None
        finally:
            self._depth -= 1
        return value

    def _ext_hook(self, code: int, payload: bytes) -> Any:
        if code == EXT_NDARRAY:
            return self._compact_array(payload)
        fields = self._unpack(payload)
        if code in (EXT_TENSOR, EXT_HANDLE, EXT_FUNC):
            self.special = True
        if code == EXT_TUPLE:
            _expect(isinstance(fields, list), "tuple payload should be a list")
            return tuple(fields)
        if code == EXT_TENSOR:
            _expect(isinstance(fields, list) and len(fields) == 5, "tensor payload should have 5 fields")
            torch_dtype, shape, raw, device, requires_grad = fields
            _expect(isinstance(torch_dtype, str) and torch_dtype in TORCH_DTYPES,
                    f"tensor dtype {torch_dtype!r} is not allowed")
            _expect(isinstance(device, str) and len(device) <= 32, "tensor device should be a short string")
            array = self._array(TORCH_DTYPES[torch_dtype], shape, raw)
            return TensorData(array, torch_dtype, device, bool(requires_grad))
        if code == EXT_HANDLE:
            _expect(
                isinstance(fields, list) and len(fields) == 4 and all(type(f) is int for f in fields[:2])
                and isinstance(fields[2], str) and isinstance(fields[3], bool),
                "handle payload should be [session, id, type name, callable]",
            )
            return Handle(fields[0], fields[1], fields[2][:200], fields[3])
        if code == EXT_FUNC:
            _expect(isinstance(fields, list) and len(fields) == 1 and isinstance(fields[0], str),
                    "bad function payload")
            return FuncSource(fields[0])
        if code == EXT_COMPLEX:
            _expect(
                isinstance(fields, list) and len(fields) == 2 and all(type(f) is float for f in fields),
                "complex payload should be [real, imag]",
            )
            return complex(*fields)
        raise WireError(f"unknown extension type {code}")

    def _compact_array(self, payload: bytes) -> np.ndarray:
        if len(payload) < 2:
            raise WireError("array payload is truncated")
        code, ndim = payload[0], payload[1]
        if code >= len(_DTYPE_LIST):
            raise WireError(f"array dtype code {code} is not allowed")
        if ndim > MAX_NDIM:
            raise WireError(f"array of {ndim} dimensions; at most {MAX_NDIM} are allowed")
        start = 2 + 8 * ndim
        if len(payload) < start:
            raise WireError("array payload is truncated")
        shape = _SHAPES[ndim].unpack_from(payload, 2)
        return self._checked_array(_NUMPY_DTYPES[code], shape, payload, start)

    def _array(self, dtype: Any, shape: Any, raw: Any) -> np.ndarray:
        """An array from msgpack-decoded fields (tensors), validated field by field."""
        _expect(isinstance(dtype, str) and dtype in ALLOWED_DTYPES, f"array dtype {dtype!r} is not allowed")
        _expect(isinstance(shape, list) and len(shape) <= MAX_NDIM and all(type(n) is int for n in shape),
                f"array shape {shape!r} should be a list of at most {MAX_NDIM} non-negative ints")
        _expect(isinstance(raw, (bytes, memoryview)), "array data should be bytes")
        return self._checked_array(np.dtype(dtype), tuple(shape), raw, 0)

    def _checked_array(self, dtype: np.dtype, shape: tuple, raw, offset: int) -> np.ndarray:
        """A fresh, writable C-order array of ``shape`` from ``raw[offset:]``, which must hold
        exactly its bytes."""
        if shape and min(shape) < 0:
            raise WireError(f"array shape {list(shape)!r} should be a list of at most {MAX_NDIM} non-negative ints")
        count = math.prod(shape)
        size = count * dtype.itemsize
        if size > self._max_array_bytes:
            raise WireError(f"array of shape {shape} and dtype {dtype.str} exceeds {self._max_array_bytes} bytes")
        if len(raw) - offset != size:
            raise WireError(f"array data has {len(raw) - offset} bytes, shape {shape} needs {size}")
        return np.frombuffer(raw, dtype, count, offset).reshape(shape).copy()


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise WireError(message)


#: torch dtype name -> numpy dtype string of the array that carries its values.
TORCH_DTYPES = {
    "float64": "<f8", "float32": "<f4", "float16": "<f2", "bfloat16": "<f4",
    "int64": "<i8", "int32": "<i4", "int16": "<i2", "int8": "|i1", "uint8": "|u1",
    "bool": "|b1", "complex64": "<c8", "complex128": "<c16",
}


# --------------------------------------------------------------------------- framing
EMPTY_LIST = msgpack.packb([])


def splice_last(encoded: bytes, last: bytes) -> bytes:
    """``encoded``, the encoding of a dict whose last value is an empty list, with ``last``
    (an encoded value) in that list's place: a dict holding something already encoded."""
    if not encoded.endswith(EMPTY_LIST):
        raise WireError("the value to splice into should end with an empty list")
    data = encoded[:-len(EMPTY_LIST)] + last
    if len(data) > MAX_FRAME_BYTES:
        raise WireError(f"value is {len(data)} bytes when encoded; the limit is {MAX_FRAME_BYTES}")
    return data


def encode_list_of(items: list[bytes]) -> bytes:
    """The encoding of a list whose items are already encoded."""
    return msgpack.Packer().pack_array_header(len(items)) + b"".join(items)


def frame(channel: int, payload: bytes) -> bytes:
    """Prefix ``payload`` with its header."""
    return HEADER.pack(len(payload), channel) + payload


def parse_header(header: bytes | bytearray, max_bytes: int = MAX_FRAME_BYTES) -> tuple[int, int]:
    """``(length, channel)`` of the frame header at the start of ``header``, refusing oversized frames and
    unknown channels."""
    length, channel = HEADER.unpack_from(header)
    if channel not in (CONTROL, SESSION):
        raise WireError(f"unknown channel {channel} in frame header")
    if length > max_bytes:
        raise WireError(f"frame of {length} bytes exceeds the limit {max_bytes}")
    return length, channel


# --------------------------------------------------------------------------- sockets
#: bytes per recv: below malloc's mmap threshold, so a small reply does not map a fresh megabyte
RECV_BYTES = 65536


class FrameReader:
    """Buffered frame reader over a socket or pipe: one ``recv`` usually yields a whole frame.

    ``fds`` collects file descriptors passed along with the data (SCM_RIGHTS), in order.
    """

    def __init__(self, sock: socket.socket, *, with_fds: bool = False):
        self.sock = sock
        self.buffer = bytearray()
        self.fds: list[int] = []
        self.with_fds = with_fds

    def pending(self) -> tuple[int, bytes] | None:
        """A complete frame already buffered, if any."""
        if len(self.buffer) < HEADER.size:
            return None
        length, channel = parse_header(self.buffer)
        end = HEADER.size + length
        if len(self.buffer) < end:
            return None
        with memoryview(self.buffer) as view:
            payload = bytes(view[HEADER.size: end])  # one copy (a bytearray slice would make two)
        del self.buffer[:end]
        return channel, payload

    def fill(self) -> bool:
        """Read what is available (blocking once); False at end of stream."""
        while True:
            try:
                if self.with_fds:
                    data, fds, _, _ = socket.recv_fds(self.sock, 1 << 20, 4)
                    self.fds.extend(fds)
                else:
                    data = self.sock.recv(RECV_BYTES)
            except InterruptedError:
                continue
            if not data:
                return False
            self.buffer += data
            return True

    def read(self) -> tuple[int, bytes] | None:
        """The next frame (blocking); None at end of stream."""
        while True:
            frame = self.pending()
            if frame is not None:
                return frame
            if not self.fill():
                return None


def send_frame(sock: socket.socket, channel: int, payload: bytes) -> None:
    sock.sendall(frame(channel, payload))
