"""The reference as a student's release holds it: the values the public checks asked of it,
recorded when the release was made (:mod:`graders.authoring.freeze`), looked up again by the
self-check.

What a release's ``chNN/.geodl/frozen.msgpack`` holds (:class:`FrozenData`):

* the **table** (:class:`Node`), a tree of every value a public check got from ``ctx.ref`` or an
  :func:`~graders.authoring.oracles.oracle`. A value is reached by a path of steps from the
  root: ``m:<reference module>`` then ``a:<name>`` (an attribute), ``i:<digest>`` (an item, by
  its key) and calls (``c:<digest>``, by their arguments); an oracle's calls hang under
  ``o:<module file stem>:<qualified name>``. Arguments are keyed by the SHA-256 of their wire
  encoding (:mod:`graders.worker.wire`) after :func:`canonical`; where no digest matches, a
  call matches by its fingerprint (:class:`Fingerprint`: the same structure, integers and
  strings, and floats within 1e-12 relative), since floats the check computes may differ in
  the last place on the student's machine;
* each public property's known examples and the indices the reference rejected
  (:mod:`graders.grading.replay.examples`), as the TA's public grading draws them;
* what the students received (the stubs' forms, the provided files), so that the self-check
  reads a submission as grading does, and the public checks the release could not record.

The self-check loads the release's copy of the checks with
:func:`graders.authoring.frozen_chapter.load_frozen_chapter`: each exercise's ``ctx.ref`` is a
:class:`FrozenRef` and an oracle a :func:`frozen_oracle`; each answers with the recorded value,
a fresh copy every time, or raises :class:`FrozenMiss` (an internal grader error: the check
cannot be decided without the reference).

Values are plain data (:mod:`graders.worker.wire`) plus, as dicts marked ``{"__geodl__": kind}``
(:func:`canonical`, :func:`restore`): numpy scalars, integers beyond 64 bits, numpy generators,
references (a path), and objects of the chapter's own classes (a ``Case``, a ``Net``), by their
fields and ``<module file stem>:<qualified name>``. Never pickle, never code.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import inspect
from typing import Any, Callable

import numpy as np

from graders.errors import GeodlError
from graders.worker import wire

MARK = "__geodl__"
FORMAT = "geodl.frozen/1"
#: Floats of two calls' arguments match within this, relative to the arguments' norm.
MATCH_RTOL = 1e-12
#: Random projections a fingerprint keeps of its floats.
PROJECTIONS = 4
#: The largest frozen.msgpack a release writes or a self-check reads.
MAX_FILE_BYTES = 256 * 2**20


class FrozenError(GeodlError):
    """A value a release cannot freeze, or frozen data that cannot be read."""

    def __init__(self, message: str, *, hint: str = ""):
        super().__init__(message, reference="frozen-data", hint=hint)


class FrozenMiss(GeodlError):
    """The self-check met a reference call its release did not record."""

    def __init__(self, label: str):
        super().__init__(f"this self-check has no frozen reference value for {label}: the release recorded the "
                         "reference only for the inputs its public checks draw, and this one differs",
                         reference="frozen-miss",
                         hint="the check runs in full when your submission is graded")


# --------------------------------------------------------------------------- canonical data
def type_name(cls: type) -> str:
    """``<module file stem>:<qualified name>``: a class's name on both sides of a release."""
    return f"{cls.__module__.rsplit('.', 1)[-1]}:{cls.__qualname__}"


def canonical(value: Any, label: str = "value") -> Any:
    """``value`` as wire data: containers walked, the kinds in the module docstring marked.
    :class:`FrozenError` names what cannot be frozen (a function, a module, a foreign object)."""
    kind = type(value)
    if value is None or kind in (bool, str, bytes, float, complex):
        return value
    if kind is int:
        return value if -2**63 <= value < 2**64 else {MARK: "int", "hex": hex(value)}
    if kind is np.ndarray:
        if value.dtype.kind not in "biufc":
            raise FrozenError(f"{label} is an array of dtype {value.dtype}, which a release cannot freeze")
        return value
    if isinstance(value, np.generic):
        return {MARK: "scalar", "value": np.asarray(value)}
    if kind is list or kind is tuple:
        return kind(canonical(item, f"{label}[{i}]") for i, item in enumerate(value))
    if kind is dict:
        if MARK in value:
            raise FrozenError(f"{label} is a dict with the key {MARK!r}, which a release keeps for itself")
        return {key: canonical(item, f"{label}[{key!r}]") for key, item in value.items()}
    path = getattr(value, "_geodl_path", None)
    if isinstance(path, tuple):
        return {MARK: "ref", "path": list(path)}
    if isinstance(value, np.random.Generator):
        return {MARK: "generator", "bits": type(value.bit_generator).__name__,
                "state": canonical(value.bit_generator.state, label)}
    return _canonical_object(value, label)


def _canonical_object(value: Any, label: str) -> dict:
    cls = type(value)
    if cls.__module__.split(".")[0] not in _OWN_ROOTS and not cls.__module__.startswith(PACKAGE_PREFIX):
        raise FrozenError(f"{label} is a {cls.__module__}.{cls.__qualname__}, which a release cannot freeze",
                          hint="an oracle's arguments and values, and a check's examples, must be data")
    if dataclasses.is_dataclass(value):
        state = {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
    elif hasattr(value, "__dict__") and not callable(value):
        state = dict(vars(value))
    else:
        raise FrozenError(f"{label} is a {cls.__qualname__}, which a release cannot freeze")
    return {MARK: "object", "type": type_name(cls), "state": canonical(state, f"{label}.{cls.__qualname__}")}


#: Module roots whose classes a release freezes by their fields: the graders (chapters, strategies).
_OWN_ROOTS = ("graders",)
#: Prefix of the packages a self-check loads its frozen chapter under (graders.authoring.frozen_chapter).
PACKAGE_PREFIX = "_geodl_selfcheck_"


def restore(data: Any, resolve: Callable[[str], type]) -> Any:
    """The value :func:`canonical` made ``data`` from (``resolve`` finds a class by its
    :func:`type_name`); a reference comes back as its path, a tuple of steps."""
    kind = type(data)
    if kind is list or kind is tuple:
        return kind(restore(item, resolve) for item in data)
    if kind is not dict:
        return data
    mark = data.get(MARK)
    if mark is None:
        return {key: restore(item, resolve) for key, item in data.items()}
    if mark == "scalar":
        return data["value"][()]
    if mark == "int":
        return int(data["hex"], 16)
    if mark == "ref":
        return tuple(data["path"])
    if mark == "generator":
        generator = np.random.Generator(getattr(np.random, data["bits"])())
        generator.bit_generator.state = restore(data["state"], resolve)
        return generator
    if mark == "object":
        cls: Any = resolve(data["type"])
        obj = cls.__new__(cls)
        for name, item in restore(data["state"], resolve).items():
            object.__setattr__(obj, name, item)
        return obj
    raise FrozenError(f"frozen data holds an unknown kind {mark!r}")


def encode(value: Any, label: str = "value") -> bytes:
    """The wire encoding of ``canonical(value)``."""
    try:
        return wire.Encoder().encode(canonical(value, label))
    except wire.WireError as exc:
        raise FrozenError(f"{label} cannot be frozen: {exc}") from None


def decode(data: bytes, resolve: Callable[[str], type]) -> Any:
    return restore(wire.Decoder(trusted=True).decode(data), resolve)


# --------------------------------------------------------------------------- call keys
@dataclasses.dataclass(frozen=True)
class Fingerprint:
    """A call's arguments for a match within rounding: the SHA-256 of their structure (every
    value but floats, and where floats are not finite), and the norm and :data:`PROJECTIONS`
    random projections of their finite floats."""

    structure: bytes
    norm: float
    projections: tuple[float, ...]

    def distance(self, other: "Fingerprint") -> float | None:
        """How far apart the floats are, relative to their norm; None where the structures differ."""
        if self.structure != other.structure:
            return None
        scale = max(self.norm, other.norm)
        if scale == 0.0:
            return 0.0
        gaps = [abs(self.norm - other.norm)] + [abs(a - b) for a, b in zip(self.projections, other.projections)]
        return max(gaps) / scale

    def to_json(self) -> list:
        return [self.structure, self.norm, list(self.projections)]

    @classmethod
    def from_json(cls, data: list) -> "Fingerprint":
        return cls(bytes(data[0]), float(data[1]), tuple(float(p) for p in data[2]))


def call_key(arguments: Any, label: str = "the arguments") -> tuple[bytes, Fingerprint]:
    """The digest and fingerprint of a call's (canonical) ``arguments``."""
    data = canonical(arguments, label)
    try:
        digest = hashlib.sha256(wire.Encoder().encode(data)).digest()
    except wire.WireError as exc:
        raise FrozenError(f"{label} cannot be frozen: {exc}") from None
    floats: list[np.ndarray] = []
    structure = wire.Encoder().encode(_structure(data, floats))
    vector = np.concatenate(floats) if floats else np.zeros(0)
    norm = float(np.linalg.norm(vector))
    if vector.size:
        basis = np.random.default_rng([vector.size, 1849]).standard_normal((PROJECTIONS, vector.size))
        projections = tuple(float(p) for p in basis @ vector / np.sqrt(vector.size))  # each of the norm's scale
    else:
        projections = (0.0,) * PROJECTIONS
    return digest, Fingerprint(hashlib.sha256(structure).digest(), norm, projections)


def _structure(data: Any, floats: list[np.ndarray]) -> Any:
    """``data`` with its floats moved to ``floats`` (non-finite ones kept in place)."""
    kind = type(data)
    if kind is float or kind is complex:
        parts = np.array([data], dtype=np.complex128 if kind is complex else np.float64)
        return _float_part(parts, floats)
    if kind is np.ndarray and data.dtype.kind in "fc":
        return ["F", data.dtype.str, list(data.shape), _float_part(data, floats)]
    if kind is list or kind is tuple:
        return [kind.__name__, *(_structure(item, floats) for item in data)]
    if kind is dict:
        return ["dict", [[key, _structure(item, floats)] for key, item in data.items()]]
    return data


def _float_part(array: np.ndarray, floats: list[np.ndarray]) -> Any:
    flat = array.reshape(-1)
    flat = flat.view(np.float64) if flat.dtype.kind == "c" else flat.astype(np.float64)
    finite = np.isfinite(flat)
    floats.append(np.where(finite, flat, 0.0))
    if finite.all():
        return "f"
    bad = np.flatnonzero(~finite)
    return ["f", bad.tolist(), flat[bad].tolist()]


# --------------------------------------------------------------------------- the table
class Node:
    """A place in the table: the value recorded there (wire bytes, or None for an object the
    check went on from), its attribute and item steps (``kids``) and its calls."""

    __slots__ = ("kids", "calls", "value")

    def __init__(self) -> None:
        self.kids: dict[str, Node] = {}
        self.calls: dict[bytes, tuple[Fingerprint, Node]] = {}  #: by the digest of the arguments
        self.value: bytes | None = None

    def kid(self, step: str) -> "Node":
        """The node at ``step`` (added if new)."""
        node = self.kids.get(step)
        if node is None:
            node = self.kids[step] = Node()
        return node

    def call(self, digest: bytes, fingerprint: Fingerprint) -> "Node":
        """The node of the call with this digest (added if new)."""
        known = self.calls.get(digest)
        if known is None:
            known = self.calls[digest] = (fingerprint, Node())
        return known[1]

    def find_call(self, digest: bytes, fingerprint: Fingerprint) -> tuple[bytes, "Node"] | None:
        """The recorded call with this digest, else the one nearest ``fingerprint`` within
        :data:`MATCH_RTOL`; with its recorded digest. None if there is none."""
        known = self.calls.get(digest)
        if known is not None:
            return digest, known[1]
        best: tuple[float, bytes, Node] | None = None
        for recorded, (print_, node) in self.calls.items():
            distance = print_.distance(fingerprint)
            if distance is not None and distance <= MATCH_RTOL and (best is None or distance < best[0]):
                best = (distance, recorded, node)
        return None if best is None else (best[1], best[2])

    def to_json(self) -> dict:
        return {"k": {step: node.to_json() for step, node in self.kids.items()},
                "c": [[digest, print_.to_json(), node.to_json()] for digest, (print_, node) in self.calls.items()],
                "v": self.value}

    @classmethod
    def from_json(cls, data: dict) -> "Node":
        node = cls()
        node.kids = {step: cls.from_json(kid) for step, kid in data["k"].items()}
        node.calls = {bytes(digest): (Fingerprint.from_json(print_), cls.from_json(kid))
                      for digest, print_, kid in data["c"]}
        node.value = None if data["v"] is None else bytes(data["v"])
        return node


def item_step(key: Any) -> str:
    return "i:" + hashlib.sha256(encode(key, "an item key")).hexdigest()[:32]


def call_step(digest: bytes) -> str:
    return "c:" + digest.hex()[:32]


class FrozenRef:
    """The self-check's ``ctx.ref`` (and what it returns that is not data): attribute, item and
    call steps down the recorded table; data comes back as a fresh copy of the recorded value.
    ``_geodl_path`` is the path from the root, as :func:`canonical` writes a reference."""

    __slots__ = ("_geodl_node", "_geodl_path", "_geodl_label", "_geodl_resolve")

    def __init__(self, node: Node, path: tuple[str, ...], label: str, resolve: Callable[[str], type]):
        self._geodl_node, self._geodl_path, self._geodl_label, self._geodl_resolve = node, path, label, resolve

    def __repr__(self) -> str:
        return f"<frozen {self._geodl_label}>"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._geodl_step(f"a:{name}", f"{self._geodl_label}.{name}")

    def __getitem__(self, key: Any) -> Any:
        return self._geodl_step(item_step(key), f"{self._geodl_label}[{key!r}]")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from graders.grading.pretty import format_call

        label = format_call(self._geodl_label, args, kwargs, 300, compact=True)
        digest, fingerprint = call_key([list(args), kwargs], f"the arguments of {self._geodl_label}")
        found = self._geodl_node.find_call(digest, fingerprint)
        if found is None:
            raise FrozenMiss(label)
        known, node = found
        return answer(node, (*self._geodl_path, call_step(known)), label, self._geodl_resolve)

    def __iter__(self):
        raise TypeError(f"{self._geodl_label} cannot be iterated in a self-check: index it by key")

    def _geodl_step(self, step: str, label: str) -> Any:
        node = self._geodl_node.kids.get(step)
        if node is None:
            raise FrozenMiss(label)
        return answer(node, (*self._geodl_path, step), label, self._geodl_resolve)


def answer(node: Node, path: tuple[str, ...], label: str, resolve: Callable[[str], type]) -> Any:
    """The recorded value at ``node`` (a fresh copy), or a :class:`FrozenRef` to go on from."""
    if node.value is not None:
        return decode(node.value, resolve)
    return FrozenRef(node, path, label, resolve)


#: The table of each frozen chapter package a self-check loaded, by package name.
TABLES: dict[str, tuple[Node, Callable[[str], type]]] = {}


def frozen_oracle(func: Callable) -> Callable:
    """An oracle in a release's copy of a check (:mod:`graders.authoring.extract` puts it in
    place of :func:`~graders.authoring.oracles.oracle`): answered from the table of the frozen
    chapter it was loaded with, by the arguments bound to its signature, defaults applied, as
    the grader's oracle was recorded."""
    from graders.authoring.oracles import oracle_name

    signature = inspect.signature(func)
    name = oracle_name(func)
    package = func.__module__.rpartition(".")[0]

    @functools.wraps(func)
    def lookup(*args: Any, **kwargs: Any) -> Any:
        if package not in TABLES:
            raise FrozenError(f"the oracle {name} was not loaded with a frozen chapter")
        return TableOracles(*TABLES[package]).oracle(name, signature, args, kwargs)

    return lookup


class TableOracles:
    """Oracle calls answered from a frozen chapter's table, by the arguments bound to the
    oracle's signature, defaults applied, as the grader's oracle was recorded."""

    def __init__(self, root: Node, resolve: Callable[[str], type]):
        self.root, self.resolve = root, resolve

    def find(self, name: str, signature: inspect.Signature, args: tuple, kwargs: dict) -> tuple[bool, Any]:
        """``(True, value)`` where the call was recorded, else ``(False, None)``."""
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        digest, fingerprint = call_key(dict(bound.arguments), f"the arguments of the oracle {name}")
        oracle_node = self.root.kids.get(f"o:{name}")
        found = None if oracle_node is None else oracle_node.find_call(digest, fingerprint)
        if found is None:
            return False, None
        return True, answer(found[1], (f"o:{name}", call_step(found[0])), name, self.resolve)

    def oracle(self, name: str, signature: inspect.Signature, args: tuple, kwargs: dict) -> Any:
        """The recorded value, or :class:`FrozenMiss`."""
        found, value = self.find(name, signature, args, kwargs)
        if not found:
            raise oracle_miss(name, args, kwargs)
        return value


class LoadedTables:
    """The oracles of the checks library (:func:`graders.authoring.checks.symbolic.reference_formula_samples`)
    answered from the table of every frozen chapter this process loaded
    (:class:`graders.authoring.oracles.OracleAnswerer`); :func:`graders.authoring.oracles.answer_from`
    installs it when a release's chapter is loaded."""

    def find(self, name: str, signature: inspect.Signature, args: tuple, kwargs: dict) -> tuple[bool, Any]:
        for root, resolve in list(TABLES.values()):
            found, value = TableOracles(root, resolve).find(name, signature, args, kwargs)
            if found:
                return True, value
        return False, None

    def miss(self, name: str, args: tuple, kwargs: dict) -> Exception:
        return oracle_miss(name, args, kwargs)


def oracle_miss(name: str, args: tuple, kwargs: dict) -> FrozenMiss:
    from graders.grading.pretty import format_call

    return FrozenMiss(format_call(name.rpartition(":")[2], args, kwargs, 300, compact=True))


# --------------------------------------------------------------------------- the file
@dataclasses.dataclass
class FrozenProperty:
    """One public property as the TA's public grading replays it: its example count and seed,
    its known examples (wire bytes of their canonical form) and the indices the reference
    rejected (:mod:`graders.grading.replay.examples`)."""

    exercise: str
    check: str
    count: int
    seed: int
    examples: bytes
    rejected: tuple[int, ...] = ()

    def to_json(self) -> dict:
        return {**dataclasses.asdict(self), "rejected": list(self.rejected)}


@dataclasses.dataclass
class FrozenData:
    """What ``frozen.msgpack`` holds: the chapter, the digest of what it was recorded from
    (:func:`graders.authoring.freeze.input_digest`), the table, the public properties, and what
    the students received (``release``: the fields of a
    :class:`graders.grading.submission.Release`, so that the self-check reads a submission as
    grading does: the stubs' forms, the provided files)."""

    chapter: str
    inputs: str
    table: Node
    properties: list[FrozenProperty]
    release: dict | None = None
    #: ``{"ch01.sym_conjugates::conjugate_of_exp": why}``: the public checks the release could not
    #: record (:func:`graders.authoring.freeze.freeze_chapter`); the self-check skips them.
    unfrozen: dict[str, str] = dataclasses.field(default_factory=dict)

    def to_bytes(self) -> bytes:
        data = {"format": FORMAT, "chapter": self.chapter, "inputs": self.inputs, "table": self.table.to_json(),
                "properties": [p.to_json() for p in self.properties], "release": self.release,
                "unfrozen": self.unfrozen}
        return wire.Encoder(max_bytes=MAX_FILE_BYTES).encode(data)

    @classmethod
    def from_bytes(cls, data: bytes, source: str = "frozen.msgpack") -> "FrozenData":
        try:
            raw = wire.Decoder(trusted=True, max_frame_bytes=MAX_FILE_BYTES).decode(data)
        except wire.WireError as exc:
            raise FrozenError(f"{source} cannot be read: {exc}", hint="make the release again") from None
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            found = raw.get("format") if isinstance(raw, dict) else type(raw).__name__
            raise FrozenError(f"{source} is not {FORMAT} data (format={found!r})", hint="make the release again")
        properties = [FrozenProperty(p["exercise"], p["check"], int(p["count"]), int(p["seed"]), bytes(p["examples"]),
                                     tuple(p["rejected"])) for p in raw["properties"]]
        return cls(raw["chapter"], raw["inputs"], Node.from_json(raw["table"]), properties, raw.get("release"),
                   dict(raw.get("unfrozen") or {}))
