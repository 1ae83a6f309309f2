# target: ch06/optim.py
# kind: single
# attacks: ch06.optimizers
# outcome: loses-points
# statuses: crashed student_error
# message: malformed reply \((frame of \d+ bytes exceeds the limit|decoding this \d+-byte frame would allocate)
"""Each function writes a forged frame into the session socket, ahead of its real reply:
momentum_step one that says it is just under 256 MiB (the grader's old cap) and streams a
256 MiB bytes object after it; adam_step one just over 256 MiB; momentum_unrolled a small one
(4 MiB) holding four million empty dicts inside 46 tuples nested in each other; minibatch_grad
one just under 64 MiB (the reply limit) holding 60 MiB of bytes and four million empty dicts.
The grader must refuse the first two at their header and the others within its decoding budget."""
import os
import stat
import struct

_OLD_CAP = 256 * 2**20
_REPLY_LIMIT = 64 * 2**20
_CHUNK = 2**20


def _sockets():
    found = []
    for fd in range(3, 64):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                found.append(fd)
        except OSError:
            pass
    return found


def _send(pieces):
    """Write the frame made of ``pieces`` (bytes, or (byte, count) runs) into every socket."""
    for fd in _sockets():
        try:
            for piece in pieces:
                if isinstance(piece, tuple):
                    byte, count = piece
                    chunk = byte * _CHUNK
                    while count > 0:
                        count -= os.write(fd, chunk[:min(count, _CHUNK)])
                else:
                    view = memoryview(piece)
                    while view:
                        view = view[os.write(fd, view):]
        except OSError:  # the grader hung up, as it should
            pass


def _header(length):
    return struct.pack(">IB", length, 1)  # channel 1: the session's


def _array_header(count):
    return b"\xdd" + struct.pack(">I", count)


def _tuple(payload):
    return b"\xc9" + struct.pack(">I", len(payload)) + b"\x02" + payload


def momentum_step(theta, V, grad, eta, beta):
    body = _OLD_CAP - 16
    _send([_header(body), b"\xc6" + struct.pack(">I", body - 5), (b"\0", body - 5)])
    return theta, V


def adam_step(theta, m, v, grad, t, lr, b1=0.9, b2=0.999, eps=1e-8):
    _send([_header(_OLD_CAP + 1), (b"\0", _OLD_CAP + 1)])
    return theta, m, v


def momentum_unrolled(grads, eta, beta):
    value = _array_header(8) + (_array_header(2**19) + b"\x80" * 2**19) * 8  # 4 Mi empty dicts, in 8 lists
    for _ in range(46):
        value = _tuple(b"\x91" + value)
    _send([_header(len(value)), value])
    return grads[-1]


def minibatch_grad(per_sample, idx):
    lists, dicts = 8, 2**19  # 4 Mi empty dicts, in 8 lists
    blob = _REPLY_LIMIT - 64 - lists * (5 + dicts) - 16
    pieces = [b"\x92\xc6" + struct.pack(">I", blob), (b"\0", blob), _array_header(lists)]
    for _ in range(lists):
        pieces += [_array_header(dicts), (b"\x80", dicts)]
    length = sum(len(piece) if isinstance(piece, bytes) else piece[1] for piece in pieces)
    _send([_header(length)] + pieces)
    return per_sample[0]
