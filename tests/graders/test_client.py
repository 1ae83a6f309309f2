"""graders/client.py + graders/worker.py through the process backend: calls, handles, grader
functions, tensors, text answers, errors, and a lost session that is replaced."""
from __future__ import annotations

import numpy as np
import pytest

from graders.errors import WorkerLost
from graders.wire import FuncSource, Handle, TensorData

MODULE = b'''
import numpy as np

class Counter:
    def __init__(self, start):
        self.value = start
    def add(self, k):
        self.value += k
        return self.value

def make_adder(k):
    return lambda x: x + k

def apply(f, x):
    return f(x)

def double(x):
    print("doubling", x.shape)
    return 2 * x

def tensor_double(t):
    return t * 2

def as_formula():
    import sympy as sp
    u = sp.Symbol("u", positive=True)
    return u * sp.log(u) - u

def identity_formula():
    import sympy as sp
    return sp.Identity(3) + sp.MatrixSymbol("B", 3, 3)

def fail():
    raise ValueError("bad input shape")

def stub():
    raise NotImplementedError()

def mutate(x):
    x[0] = 99.0
    return None
'''


@pytest.fixture()
def session(process_worker):
    session = process_worker.open_session()
    assert session.request("load", {"files": {"ch99/m.py": MODULE}}, timeout_s=10).ok
    assert session.request("import", {"module": "ch99.m"}, timeout_s=10).ok
    yield session
    session.close()


def call(session, name, *args, want="auto", target=None):
    target = target or {"module": "ch99.m", "path": [name]}
    return session.request("call", {"target": target, "args": list(args), "want": want}, timeout_s=10)


def test_arrays_go_in_and_come_out_with_printed_output(session):
    reply = call(session, "double", np.arange(3.0))
    np.testing.assert_array_equal(reply.value, [0.0, 2.0, 4.0])
    assert reply.output == "doubling (3,)\n"


def test_objects_stay_in_the_worker_behind_handles(session):
    counter = call(session, "Counter", 5, want="handle").value
    assert isinstance(counter, Handle) and counter.type_name.endswith("Counter")
    assert call(session, None, 3, target={"handle": counter.id, "path": ["add"]}).value == 8
    assert call(session, None, 4, target={"handle": counter.id, "path": ["add"]}).value == 12
    adder = call(session, "make_adder", 10).value  # a returned closure is not data: a handle
    assert isinstance(adder, Handle) and adder.is_callable
    assert call(session, "apply", adder, 1.5).value == 11.5


def test_grader_functions_are_compiled_in_the_worker(session):
    assert call(session, "apply", FuncSource("lambda x: float(np.sum(x ** 3))"), np.array([1.0, 2.0])).value == 9.0


def test_tensors_cross_the_boundary_as_tensor_data(session):
    reply = call(session, "tensor_double", TensorData(np.ones(2, dtype=np.float32), "float32"))
    assert isinstance(reply.value, TensorData) and reply.value.dtype == "float32"
    np.testing.assert_array_equal(reply.value.array, [2.0, 2.0])


def test_formula_answers_come_back_as_text(session):
    assert call(session, "as_formula", want="text").value == "u*log(u) - u"
    assert call(session, "identity_formula", want="text").value == "Identity(3) + B"
    reply = call(session, "double", np.ones(1), want="text")
    assert not reply.ok and "should be a sympy expression or a string" in reply.error.message


def test_student_errors_are_reported_with_type_message_and_location(session):
    reply = call(session, "fail")
    assert not reply.ok and reply.error.type == "ValueError" and reply.error.message == "bad input shape"
    line = MODULE.decode().splitlines().index('    raise ValueError("bad input shape")') + 1
    assert reply.error.location == f"ch99/m.py:{line} in fail"
    stub = call(session, "stub")
    assert stub.error.message == "not implemented yet (this is still the stub)"
    missing = call(session, "nothing_here")
    assert missing.error.type == "AttributeError" and "does not exist" in missing.error.message


def test_inputs_are_copies(session):
    x = np.zeros(2)
    call(session, "mutate", x)
    assert x[0] == 0.0


def test_a_timeout_ends_the_session_and_the_next_one_works(process_worker):
    session = process_worker.open_session()
    session.request("load", {"files": {"ch99/h.py": b"def spin():\n    while True:\n        pass\n"}}, timeout_s=10)
    with pytest.raises(WorkerLost) as lost:
        session.request("call", {"target": {"module": "ch99.h", "path": ["spin"]}}, timeout_s=0.5)
    assert lost.value.status == "timeout" and "0.5 s" in lost.value.message
    with pytest.raises(WorkerLost):
        session.request("ping", timeout_s=1)  # the lost session stays lost
    fresh = process_worker.open_session()
    assert fresh.request("ping", {"payload": 7}, timeout_s=5).value == 7
    fresh.close()


def test_a_crash_is_described(process_worker):
    session = process_worker.open_session()
    session.request("load", {"files": {"ch99/c.py": b"import os, signal\ndef die():\n    os.kill(os.getpid(), signal.SIGSEGV)\n"}},
                    timeout_s=10)
    with pytest.raises(WorkerLost) as lost:
        session.request("call", {"target": {"module": "ch99.c", "path": ["die"]}}, timeout_s=10)
    assert lost.value.status == "crashed" and "segmentation fault" in lost.value.message
    assert process_worker.open_session().request("ping", timeout_s=5).ok


def test_a_stream_stops_at_the_first_failing_reply_even_an_unsendable_one(session):
    """The session runs no call after one whose reply is not ``ok`` (an unsendable value
    included), so the stream's frames and the grader's reading stay in step."""
    target = {"module": "ch99.m", "path": ["apply"]}
    big = {"target": target, "args": [FuncSource("lambda x: 2 ** 70"), 1]}
    later = {"target": {"module": "ch99.m", "path": ["double"]}, "args": [np.ones(2)]}
    replies = list(session.stream([later, big, later], timeout_s=lambda: 10))
    assert [r.ok for r in replies] == [True, False]
    assert replies[1].error.kind == "unsendable"
    assert session.request("ping", {"payload": 7}, timeout_s=10).value == 7, "no stray frame is left behind"


def test_a_launched_worker_preloads_while_the_caller_works_then_keeps_to_its_core():
    """``launch`` returns at once and ``start`` waits for the same warden; with ``core`` the
    warden (and every session it forks) keeps to that CPU once it has preloaded."""
    import os

    from graders.client import Worker
    from graders.sandbox import WorkerOptions
    from graders.sandbox.process import ProcessSandbox
    core = max(os.sched_getaffinity(0))
    with Worker(ProcessSandbox(), options=WorkerOptions(preload=("numpy",), core=core), slot=9) as worker:
        pass  # started and stopped: a plain start still works with a core
    worker = Worker(ProcessSandbox(), options=WorkerOptions(preload=("numpy",), core=core), slot=9)
    try:
        worker.launch()
        assert not worker.alive  # launched, not waited for
        worker.launch()
        info = worker.start()
        assert worker.starts == 1 and worker.alive
        assert os.sched_getaffinity(info["pid"]) == {core}
        session = worker.open_session()
        assert os.sched_getaffinity(session.pid) == {core}
        session.close()
    finally:
        worker.stop()
