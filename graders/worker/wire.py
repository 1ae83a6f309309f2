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
    7       ``AnswerRef``   ``[index, path]``: an earlier answer of the same stream, or part of it
                            (grader to session only; see :class:`AnswerRef`)
    ======  ==============  ====================================================================

Map keys may be any hashable plain value (``str``, numbers, ``None``, tuples of those). A msgpack
timestamp arrives as a float (seconds).

Decoding never unpickles and never builds an object array: a dtype outside the allow-list, a
shape that does not match the byte count, a payload over the size caps or nesting deeper than
``MAX_DEPTH`` raises :class:`WireError` naming what was wrong. Nor does it allocate more than
its budget: decoding a frame of ``N`` bytes allocates at most ``8 N + 8 MiB``
(:func:`decode_budget`, :class:`Decoder`), however the frame is built.
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
MAX_FRAME_BYTES = 256 * 2**20      # hard cap on one frame, either direction (the grader's requests: files...)
#: A session's replies, unless the grader says otherwise when it opens the session (``max_reply_bytes``
#: in its limits): its encoder refuses to send a larger one, and the grader refuses a larger frame.
MAX_REPLY_BYTES = 64 * 2**20
MAX_DEPTH = 48                     # nesting of lists/dicts/tuples
MAX_NDIM = 32
MAX_CONTAINER_LEN = 1_000_000      # elements in one list or dict
MAX_STR_BYTES = 16 * 2**20

EXT_NDARRAY, EXT_TUPLE, EXT_TENSOR, EXT_HANDLE, EXT_FUNC, EXT_COMPLEX, EXT_ANSWER = range(1, 8)

#: dtypes allowed on the wire: bool, integers, floats and complex, little-endian or 1-byte; an
#: array's dtype travels as its index in this list.
_DTYPE_LIST = ("|b1", "|i1", "|u1", "<i2", "<u2", "<i4", "<u4", "<i8", "<u8", "<f2", "<f4", "<f8", "<c8", "<c16")
_NUMPY_DTYPES = tuple(np.dtype(name) for name in _DTYPE_LIST)
_DTYPE_COUNT = len(_DTYPE_LIST)
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


@dataclasses.dataclass(frozen=True)
class AnswerRef:
    """An argument that is an earlier answer of the same stream, or part of it: the value at
    ``path`` (dict keys and list or tuple indices) in the answer of the stream's call ``index``,
    as the session sent it. Only the grader creates these, in a stream's calls: the session puts
    in the value a fresh decoding of its own answer, what the grader would have sent had it
    passed that answer back itself, so that a stream sent ahead carries no answer of the grader's."""

    index: int
    path: tuple = ()

    def __repr__(self) -> str:
        return f"<answer {self.index}{''.join(f'[{p!r}]' for p in self.path)}>"


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
        if kind is AnswerRef:
            return _ext(EXT_ANSWER, msgpack.packb([value.index, list(value.path)]))
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
    array = np.require(_little_endian(array), requirements="C")   # keeps a 0-d array 0-d (ascontiguousarray would not)
    return [array.dtype.str, list(array.shape), array.tobytes()]


# --------------------------------------------------------------------------- decoding
#: What decoding one frame may allocate, at most: this many bytes per byte of the frame...
DECODE_BYTES_PER_BYTE = 8
#: ... plus this much (what a small frame may cost whatever it holds).
DECODE_SLACK_BYTES = 8 * 2**20
#: Frames up to this size are decoded straight away (the most their plain data can cost is charged
#: up front); larger ones are walked first, allocating nothing, and charged element by element.
DIRECT_FRAME_BYTES = 32 * 2**10
#: The longest list a frame decoded straight away may hold (a longer one: the frame is walked first).
#: msgpack allocates a list's slots as soon as it reads its length, before its items arrive.
DIRECT_MAX_LIST_LEN = 256
#: Nesting of lists and dicts the walk accepts (msgpack's own limit is 1024).
MAX_PLAIN_DEPTH = 1000

# What decoding allocates (CPython 3.11, numpy 2, tracemalloc's count; upper bounds, a little to
# spare). Every figure is in bytes; tests/graders/worker/test_wire.py measures them.
_PLAIN_PER_BYTE = 112   # the most plain data one byte can build: {0: {0: ...}}, a 224-byte dict per 2 bytes
_OPEN_LIST = 64 + 8 * DIRECT_MAX_LIST_LEN  # a list allocated, never filled (1024 levels at most, 3 bytes each)
_LIST, _SLOT = 64, 10   # a list, and each of its items (slots, and their growth past 10000 items)
_SMALL_DICT = 232       # a dict of up to 5 entries (its first table)
_DICT, _ENTRY = 224, 96  # a larger dict, and each of its entries (its table, resizes included)
_INT, _BIG_INT, _FLOAT = 32, 40, 24  # ints outside [-5, 256] (beyond 2**60: _BIG_INT), floats
_STR, _STR_PER_BYTE = 80, 4  # a str of k > 1 UTF-8 bytes: at most 4 bytes a character
_BYTES = 40             # + k: a bytes object of k > 1 bytes
_COPY = 40              # + k: the copy of an extension's payload msgpack hands the hook
_ARRAY, _ARRAY_PER_DIM = 144, 16  # + nbytes: an ndarray (object, shape and strides, views while made)
_TUPLE = 56             # + 8 per item
_OBJECT = 400           # a TensorData, Handle, FuncSource or complex (an array of its own aside)

#: by first byte: the size of a fixed-size msgpack element (0: not one) and what decoding it costs
_SIZES = [0] * 256
_COSTS = [0] * 256
for _byte in range(256):
    if _byte < 0x80 or _byte >= 0xFB or _byte in (0xC0, 0xC2, 0xC3):  # cached ints, None, bools
        _SIZES[_byte] = 1
    elif _byte >= 0xE0:  # negative fixints -32..-6
        _SIZES[_byte], _COSTS[_byte] = 1, _INT
    elif 0xA0 <= _byte < 0xC0:  # fixstr
        _SIZES[_byte] = 1 + (_byte & 0x1F)
        _COSTS[_byte] = _STR + _STR_PER_BYTE * (_byte & 0x1F) if _byte & 0x1F > 1 else 0
for _byte, (_size, _cost) in {0xCA: (5, _FLOAT), 0xCB: (9, _FLOAT), 0xCC: (2, 0), 0xCD: (3, _INT), 0xCE: (5, _INT),
                              0xCF: (9, _BIG_INT), 0xD0: (2, _INT), 0xD1: (3, _INT), 0xD2: (5, _INT),
                              0xD3: (9, _BIG_INT)}.items():
    _SIZES[_byte], _COSTS[_byte] = _size, _cost
#: the one-byte elements that allocate nothing (a run of them in a list is walked at once)
_FREE_BYTES = bytes(b for b in range(256) if _SIZES[b] == 1 and not _COSTS[b])
_FIXEXT_SIZES = {0xD4: 1, 0xD5: 2, 0xD6: 4, 0xD7: 8, 0xD8: 16}
_U16, _U32 = struct.Struct(">H"), struct.Struct(">I")
_NESTED_EXTS = (EXT_TUPLE, EXT_TENSOR, EXT_HANDLE, EXT_FUNC, EXT_COMPLEX, EXT_ANSWER)


_UNLIMITED = 1 << 62  # the budget of a trusted decoder


def decode_budget(size: int) -> int:
    """What decoding a frame of ``size`` bytes may allocate, at most (see :class:`Decoder`)."""
    return DECODE_BYTES_PER_BYTE * size + DECODE_SLACK_BYTES


class _WalkFirst(Exception):
    """A frame decoded straight away broke one of the tight limits of doing so (or is malformed):
    it is walked, then decoded with the usual limits, which say what is wrong if anything is."""


class Decoder:
    """Turns msgpack bytes into plain data, validating everything on arrival, within a budget.

    **The budget.** Decoding a frame of ``N`` bytes allocates at most
    ``decode_budget(N) = DECODE_BYTES_PER_BYTE * N + DECODE_SLACK_BYTES`` bytes (8 N + 8 MiB;
    tracemalloc's peak, the frame itself aside), whatever the frame holds: one budget per frame,
    covering every container and its items, every string, bytes object, array and extension,
    and the copy msgpack makes of each extension's payload (nested ones: one copy per level), at
    every depth. A frame that would cost more raises :class:`WireError` before that is allocated.
    How:

    - a frame of at most ``DIRECT_FRAME_BYTES`` (32 KiB: nearly every reply) is decoded at once,
      with lists of at most ``DIRECT_MAX_LIST_LEN`` items. The most its plain data can cost
      (``_PLAIN_PER_BYTE`` per byte, and the lists msgpack allocates before their items arrive,
      at most 1024 levels of them) is charged up front, at most 5.6 MiB; its extensions and
      arrays are charged as they are decoded, each before its array is allocated. A frame that
      breaks those limits (or is malformed) is walked instead;
    - a larger frame is first walked, allocating nothing: every element is charged what decoding
      it allocates, and the frame is refused as soon as the total passes the budget, before
      msgpack builds anything. The walk checks the structure too (lengths that fit, nesting), so
      msgpack never allocates a list for items that are not there.

    The figures are upper bounds measured on CPython 3.11 and numpy 2 (tests/graders/worker/test_wire.py
    holds decoding to them on adversarial frames, and checks that the walk charges at least what
    honest values cost). Arrays cost their bytes and a header, so a frame of arrays costs about
    twice its size; a list of n small ints (1 byte each) or floats costs 10 n or 34 n. What is
    refused is what really costs more than 8 times its size: many tiny containers (more than
    about 50,000 two-item tuples, 100,000 two-item lists or 30,000 one-entry dicts in one reply).

    Parameters
    ----------
    max_array_bytes : int, optional
        Largest array (in bytes) accepted; larger ones raise :class:`WireError`. Default: ``max_frame_bytes``.
    max_frame_bytes : int
        Largest frame accepted.
    trusted : bool
        For frames the grader encoded itself, and only for them (a session reading its requests):
        no budget, and so no walk before a large frame is decoded. Every other check stays.
    """

    def __init__(self, max_array_bytes: int | None = None, *, max_frame_bytes: int = MAX_FRAME_BYTES,
                 trusted: bool = False):
        self.max_frame_bytes = max_frame_bytes
        self._max_array_bytes = max_frame_bytes if max_array_bytes is None else max_array_bytes
        self._trusted = trusted
        self._hook = self._ext_hook  # bound once: msgpack gets it on every decode
        self._depth = 0
        self._direct = False
        self._size = 0  #: the size of the frame under way
        #: what decoding it may still allocate (None until its first extension: most frames hold none)
        self._budget: int | None = None
        #: whether the last decoded value held handles, tensors or functions (which need converting)
        self.special = False

    def decode(self, data: bytes | bytearray) -> Any:
        size = len(data)
        if size > self.max_frame_bytes:
            raise WireError(f"frame of {size} bytes exceeds the limit {self.max_frame_bytes}")
        self._size = size
        self._budget = None
        self.special = False
        if size <= DIRECT_FRAME_BYTES and not self._trusted:
            self._direct = True
            self._depth = 1
            try:
                return msgpack.unpackb(data, raw=False, strict_map_key=False, ext_hook=self._hook,
                                       max_array_len=DIRECT_MAX_LIST_LEN, timestamp=1)
            except WireError:
                raise
            except (_WalkFirst, ValueError, TypeError):  # a list too long to decode straight away, or malformed
                self._budget = None
                self.special = False
        if self._trusted:
            limit = _UNLIMITED
        else:
            limit = decode_budget(size)
            self._walk(data, 0, size, 1, limit)  # raises unless it is well formed and within the budget
        self._direct = False
        self._depth = 0
        self._budget = limit
        return self._unpack(data)

    def _start_budget(self) -> int:
        """The frame's budget as its first extension is decoded: all of it, less, for a frame
        decoded straight away, the most its plain data can cost (charged up front)."""
        size = self._size
        if self._direct:
            return ((DECODE_BYTES_PER_BYTE - _PLAIN_PER_BYTE) * size + DECODE_SLACK_BYTES
                    - (size // 3 + 1 if size < 3069 else 1024) * _OPEN_LIST)
        return _UNLIMITED if self._trusted else decode_budget(size)

    def _over_budget(self) -> WireError:
        return WireError(f"decoding this {self._size}-byte frame would allocate more than its budget of "
                         f"{decode_budget(self._size)} bytes ({DECODE_BYTES_PER_BYTE} per byte + "
                         f"{DECODE_SLACK_BYTES / 2**20:g} MiB): send numpy arrays rather than many small "
                         f"lists, dicts or tuples")

    def _charge(self, cost: int) -> None:
        budget = self._budget
        self._budget = budget = (self._start_budget() if budget is None else budget) - cost
        if budget < 0:
            raise self._over_budget()

    def _unpack(self, data: bytes | bytearray) -> Any:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise WireError(f"value nests deeper than {MAX_DEPTH} levels")
        try:
            if self._direct:  # lengths default to len(data): no string, map or extension longer than the frame
                value = msgpack.unpackb(data, raw=False, strict_map_key=False, ext_hook=self._hook,
                                        max_array_len=DIRECT_MAX_LIST_LEN, timestamp=1)
            else:
                value = msgpack.unpackb(
                    data,
                    raw=False,
                    strict_map_key=False,  # keys: str, numbers, None, tuples; an unhashable one fails
                    ext_hook=self._hook,
                    max_str_len=MAX_STR_BYTES,
                    max_array_len=MAX_CONTAINER_LEN,
                    max_map_len=MAX_CONTAINER_LEN,
                    timestamp=1,  # a msgpack timestamp arrives as a float (seconds), never as an object
                )
        except WireError:
            raise
        except (ValueError, TypeError, msgpack.ExtraData, msgpack.FormatError, msgpack.StackError) as exc:
            if self._direct:
                raise _WalkFirst from None
            raise WireError(f"malformed msgpack payload ({type(exc).__name__}: {exc})") from None
        finally:
            self._depth -= 1
        return value

    def _ext_hook(self, code: int, payload: bytes) -> Any:
        if code == EXT_NDARRAY:  # the most frequent, first (and inline: it is the hot path)
            size = len(payload)
            if size < 2:
                raise WireError("array payload is truncated")
            dtype_code, ndim = payload[0], payload[1]
            if dtype_code >= _DTYPE_COUNT:
                raise WireError(f"array dtype code {dtype_code} is not allowed")
            if ndim > MAX_NDIM:
                raise WireError(f"array of {ndim} dimensions; at most {MAX_NDIM} are allowed")
            start = 2 + 8 * ndim
            if size < start:
                raise WireError("array payload is truncated")
            shape = _SHAPES[ndim].unpack_from(payload, 2)
            if ndim == 1:
                count = shape[0]
                if count < 0:
                    raise _negative_shape(shape)
            else:
                if ndim and min(shape) < 0:
                    raise _negative_shape(shape)
                count = math.prod(shape)
            dtype = _NUMPY_DTYPES[dtype_code]
            nbytes = count * dtype.itemsize
            if nbytes > self._max_array_bytes:
                raise WireError(f"array of shape {shape} and dtype {dtype.str} exceeds {self._max_array_bytes} bytes")
            if size - start != nbytes:
                raise WireError(f"array data has {size - start} bytes, shape {shape} needs {nbytes}")
            # the payload's copy (msgpack's), then the array: charged before it is allocated
            budget = self._budget
            budget = (self._start_budget() if budget is None else budget) - (
                _COPY + _ARRAY + _ARRAY_PER_DIM * ndim + size + nbytes)
            if budget < 0:
                raise self._over_budget()
            self._budget = budget
            array = np.frombuffer(payload, dtype, count, start)
            return (array if ndim == 1 else array.reshape(shape)).copy()
        self._charge(_COPY + len(payload))  # the copy msgpack just made (nested ones add up)
        fields = self._unpack(payload)
        if code in (EXT_TENSOR, EXT_HANDLE, EXT_FUNC, EXT_ANSWER):
            self.special = True
        if code == EXT_TUPLE:
            _expect(isinstance(fields, list), "tuple payload should be a list")
            self._charge(_TUPLE + 8 * len(fields))
            return tuple(fields)
        if code in _NESTED_EXTS:
            self._charge(_OBJECT)
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
        if code == EXT_ANSWER:
            _expect(isinstance(fields, list) and len(fields) == 2 and type(fields[0]) is int and fields[0] >= 0
                    and isinstance(fields[1], list) and all(type(p) in (int, str) for p in fields[1]),
                    "answer reference payload should be [index, path of ints and strings]")
            return AnswerRef(fields[0], tuple(fields[1]))
        if code == EXT_COMPLEX:
            _expect(
                isinstance(fields, list) and len(fields) == 2 and all(type(f) is float for f in fields),
                "complex payload should be [real, imag]",
            )
            return complex(*fields)
        raise WireError(f"unknown extension type {code}")

    def _array(self, dtype: Any, shape: Any, raw: Any) -> np.ndarray:
        """An array from msgpack-decoded fields (tensors), validated field by field."""
        _expect(isinstance(dtype, str) and dtype in ALLOWED_DTYPES, f"array dtype {dtype!r} is not allowed")
        _expect(isinstance(shape, list) and len(shape) <= MAX_NDIM and all(type(n) is int for n in shape),
                f"array shape {shape!r} should be a list of at most {MAX_NDIM} non-negative ints")
        _expect(isinstance(raw, (bytes, memoryview)), "array data should be bytes")
        return self._checked_array(np.dtype(dtype), tuple(shape), raw, 0)

    def _checked_array(self, dtype: np.dtype, shape: tuple, raw, offset: int) -> np.ndarray:
        """A fresh, writable C-order array of ``shape`` from ``raw[offset:]``, which must hold
        exactly its bytes (checked, and charged to the budget, before anything is allocated)."""
        if shape and min(shape) < 0:
            raise _negative_shape(shape)
        count = math.prod(shape)
        size = count * dtype.itemsize
        if size > self._max_array_bytes:
            raise WireError(f"array of shape {shape} and dtype {dtype.str} exceeds {self._max_array_bytes} bytes")
        if len(raw) - offset != size:
            raise WireError(f"array data has {len(raw) - offset} bytes, shape {shape} needs {size}")
        self._charge(_ARRAY + _ARRAY_PER_DIM * len(shape) + size)
        return np.frombuffer(raw, dtype, count, offset).reshape(shape).copy()

    def _walk(self, data: bytes | bytearray, pos: int, end: int, depth: int, budget: int) -> int:
        """What decoding the one msgpack value that fills ``data[pos:end]`` allocates (an upper
        bound, see the class's docstring); :class:`WireError` if that passes ``budget``, or if the
        value is malformed, truncated, followed by more bytes, or nests too deep. Allocates
        nothing but a stack of counts, at most ``MAX_PLAIN_DEPTH`` long (and short slices while
        it skips a run of plain numbers in a list)."""
        if depth > MAX_DEPTH:
            raise WireError(f"value nests deeper than {MAX_DEPTH} levels")
        sizes, costs = _SIZES, _COSTS
        cost = 0
        stack: list[int] = []  # what is left to read of each enclosing container
        left = 1  # what is left to read of the innermost one (at first: the value itself)
        try:
            while True:
                if pos >= end:
                    raise _truncated()
                byte = data[pos]
                size = sizes[byte]
                if size:  # a number, None, a bool or a short string
                    pos += size
                    cost += costs[byte]
                elif 0x80 <= byte < 0xA0 or 0xDC <= byte <= 0xDF:  # a list or a dict
                    if byte < 0xA0:
                        count, pos = byte & 0x0F, pos + 1
                    elif byte & 1:
                        count, pos = _U32.unpack_from(data, pos + 1)[0], pos + 5
                    else:
                        count, pos = _U16.unpack_from(data, pos + 1)[0], pos + 3
                    is_map = byte < 0x90 or byte >= 0xDE
                    if count > MAX_CONTAINER_LEN:
                        raise WireError(f"a {'dict' if is_map else 'list'} of {count} items; "
                                        f"at most {MAX_CONTAINER_LEN} are allowed")
                    items = 2 * count if is_map else count
                    if items > end - pos:
                        raise _truncated()
                    if is_map:
                        cost += _SMALL_DICT if count <= 5 else _DICT + _ENTRY * count
                    else:
                        cost += _LIST + _SLOT * count
                        if count >= 16:  # a run of plain numbers: walked at once
                            if not data[pos:pos + count].translate(None, _FREE_BYTES):
                                pos, items = pos + count, 0
                            elif (data[pos] == 0xCB and pos + 9 * count <= end
                                  and data[pos:pos + 9 * count:9] == b"\xcb" * count):
                                pos, items, cost = pos + 9 * count, 0, cost + _FLOAT * count
                    if items:
                        if len(stack) >= MAX_PLAIN_DEPTH:
                            raise WireError(f"value nests deeper than {MAX_PLAIN_DEPTH} levels")
                        stack.append(left - 1)
                        left = items
                        continue
                elif byte in (0xD9, 0xDA, 0xDB, 0xC4, 0xC5, 0xC6):  # a str or bytes with its length
                    if byte == 0xD9 or byte == 0xC4:
                        length, pos = data[pos + 1], pos + 2
                    elif byte == 0xDA or byte == 0xC5:
                        length, pos = _U16.unpack_from(data, pos + 1)[0], pos + 3
                    else:
                        length, pos = _U32.unpack_from(data, pos + 1)[0], pos + 5
                    if byte >= 0xD9:
                        if length > MAX_STR_BYTES:
                            raise WireError(f"a string of {length} bytes; at most {MAX_STR_BYTES} are allowed")
                        cost += _STR + _STR_PER_BYTE * length if length > 1 else 0
                    else:
                        cost += _BYTES + length if length > 1 else 0
                    pos += length
                elif byte in _FIXEXT_SIZES or 0xC7 <= byte <= 0xC9:  # an extension
                    if byte in _FIXEXT_SIZES:
                        length, pos = _FIXEXT_SIZES[byte], pos + 1
                    elif byte == 0xC7:
                        length, pos = data[pos + 1], pos + 2
                    elif byte == 0xC8:
                        length, pos = _U16.unpack_from(data, pos + 1)[0], pos + 3
                    else:
                        length, pos = _U32.unpack_from(data, pos + 1)[0], pos + 5
                    code = data[pos]
                    start, pos = pos + 1, pos + 1 + length
                    if pos > end:
                        raise _truncated()
                    cost += _COPY + length
                    if code == EXT_NDARRAY:
                        ndim = data[start + 1] if length > 1 else 0
                        cost += _ARRAY + _ARRAY_PER_DIM * ndim + length
                    elif code in _NESTED_EXTS:
                        cost += self._walk(data, start, pos, depth + 1, budget - cost)
                        if code == EXT_TUPLE:
                            cost += _TUPLE + 8 * _list_length(data, start, pos)
                        else:
                            cost += _OBJECT
                            if code == EXT_TENSOR:
                                cost += _ARRAY + _ARRAY_PER_DIM * MAX_NDIM + length
                    elif code == 0xFF:  # a msgpack timestamp: a float
                        cost += _FLOAT
                else:
                    raise WireError(f"malformed msgpack payload (byte 0x{byte:02x} at {pos} starts no value)")
                if pos > end:
                    raise _truncated()
                if cost > budget:
                    raise self._over_budget()
                left -= 1
                while not left:
                    if not stack:
                        if pos != end:
                            raise WireError(f"malformed msgpack payload ({end - pos} bytes after the value)")
                        return cost
                    left = stack.pop()
        except (IndexError, struct.error):
            raise _truncated() from None


def _negative_shape(shape: tuple) -> WireError:
    return WireError(f"array shape {list(shape)!r} should be a list of at most {MAX_NDIM} non-negative ints")


def _truncated() -> WireError:
    return WireError("malformed msgpack payload (truncated: a length runs past its end)")


def _list_length(data: bytes | bytearray, pos: int, end: int) -> int:
    """The item count of the msgpack list at ``data[pos]`` (0 if it is no list: decoding refuses it)."""
    byte = data[pos]
    if 0x90 <= byte < 0xA0:
        return byte & 0x0F
    if byte == 0xDC:
        return _U16.unpack_from(data, pos + 1)[0]
    if byte == 0xDD:
        return _U32.unpack_from(data, pos + 1)[0]
    return 0


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

    ``fds`` collects file descriptors passed along with the data (SCM_RIGHTS), in order. A frame
    longer than ``max_frame_bytes`` raises :class:`WireError` as soon as its header is in.
    """

    def __init__(self, sock: socket.socket, *, with_fds: bool = False, max_frame_bytes: int = MAX_FRAME_BYTES):
        self.sock = sock
        self.buffer = bytearray()
        self.fds: list[int] = []
        self.with_fds = with_fds
        self.max_frame_bytes = max_frame_bytes

    def pending(self) -> tuple[int, bytes | bytearray] | None:
        """A complete frame already buffered, if any."""
        if len(self.buffer) < HEADER.size:
            return None
        length, channel = parse_header(self.buffer, self.max_frame_bytes)
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

    def read(self) -> tuple[int, bytes | bytearray] | None:
        """The next frame (blocking); None at end of stream."""
        while True:
            frame = self.pending()
            if frame is not None:
                return frame
            if not self.fill():
                return None


def send_frame(sock: socket.socket, channel: int, payload: bytes) -> None:
    sock.sendall(frame(channel, payload))
