"""graders/client.py + graders/worker.py through the process backend: calls, handles, grader
functions, tensors, text answers, errors, and a lost session that is replaced."""
from __future__ import annotations

import re
import time

import numpy as np
import pytest

from graders.errors import WorkerLost
from graders.worker.wire import FuncSource, Handle, TensorData

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

def fail_in_bytes():
    raise ValueError(bytes([99, 97, 102, 233]).decode("utf-8", "surrogateescape"))

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
    session.request("load", {"files": {"ch99/c.py": b"import os, signal\ndef die():\n"
                                                    b"    os.kill(os.getpid(), signal.SIGSEGV)\n"}},
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

    from graders.grading.client import Worker
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


def test_a_quiet_stream_answers_every_call_at_once_then_ends(session):
    """A quiet stream's replies arrive together, after its end marker; the session is in step
    for the next request."""
    calls = [{"target": {"module": "ch99.m", "path": ["double"]}, "args": [np.full(2, float(k))]} for k in range(40)]
    replies = session.quiet_stream(calls, timeout_s=lambda calls=1: 10)
    assert [float(r.value[0]) for r in replies] == [2.0 * k for k in range(40)]
    assert all(r.output.startswith("doubling") for r in replies)
    assert session.request("ping", {"payload": 7}, timeout_s=10).value == 7, "no stray frame is left behind"


def test_a_quiet_stream_larger_than_the_socket_buffer_wakes_the_grader_to_read(session):
    """Replies that do not fit in the socket's buffer make the session wake the grader instead
    of both waiting for each other."""
    calls = [{"target": {"module": "ch99.m", "path": ["double"]}, "args": [np.ones(50_000)]} for _ in range(12)]
    replies = session.quiet_stream(calls, timeout_s=lambda calls=1: 10)
    assert len(replies) == 12 and all(r.value.shape == (50_000,) for r in replies)


def test_a_quiet_stream_stops_at_a_failure_and_at_its_time_budget(process_worker):
    session = process_worker.open_session()
    body = (b"import time\ndef slow(k):\n    time.sleep(0.05)\n"
            b"    if k == 9:\n        raise ValueError('nine')\n    return k\n")
    session.request("load", {"files": {"ch99/s.py": body}}, timeout_s=10)
    calls = [{"target": {"module": "ch99.s", "path": ["slow"]}, "args": [k]} for k in range(12)]
    failing = session.quiet_stream(calls, timeout_s=lambda calls=1: 10)
    assert [r.ok for r in failing] == [True] * 9 + [False] and failing[-1].error.type == "ValueError"
    budgeted = session.quiet_stream(calls, timeout_s=lambda calls=1: 10, budget_s=0.12)
    assert 2 <= len(budgeted) <= 4 and all(r.ok for r in budgeted), [r.value for r in budgeted]
    assert session.request("ping", {"payload": 7}, timeout_s=10).value == 7
    session.close()


@pytest.mark.parametrize("fault, status, message", [
    ("while True:\n            pass", "timeout", "0.5 s"),
    ("import os, signal\n        os.kill(os.getpid(), signal.SIGSEGV)", "crashed", "segmentation fault"),
])
def test_a_quiet_stream_names_the_call_that_hung_or_crashed(process_worker, fault, status, message):
    """Each call keeps its own time limit (a run of quick calls does not use it up), and a loss
    is reported against the call that was running, although the replies before it were never
    waited for one by one."""
    session = process_worker.open_session()
    body = f"import time\ndef f(k):\n    time.sleep(0.02)\n    if k == 30:\n        {fault}\n    return k\n"
    session.request("load", {"files": {"ch99/q.py": body.encode()}}, timeout_s=10)
    calls = [{"target": {"module": "ch99.q", "path": ["f"]}, "args": [k]} for k in range(40)]
    with pytest.raises(WorkerLost) as lost:
        session.quiet_stream(calls, timeout_s=lambda calls=1: 0.5)  # 30 calls of 20 ms take longer than one limit
    assert lost.value.status == status and message in lost.value.message
    assert lost.value.index == 30
    assert process_worker.open_session().request("ping", timeout_s=5).ok


def test_student_code_writing_to_the_wake_up_pipe_or_closing_it_changes_nothing(process_worker):
    """The session's code can reach the write end of the grader's wake-up pipe: bytes written
    there, or the pipe closed, leave the stream's replies and its time limits as they were."""
    session = process_worker.open_session()
    body = b'''import os, stat, time
def pipes():
    return [fd for fd in range(3, 64) if _is_pipe(fd)]
def _is_pipe(fd):
    try:
        return stat.S_ISFIFO(os.fstat(fd).st_mode)
    except OSError:
        return False
def noisy(k):
    for fd in pipes():
        for _ in range(20):
            os.write(fd, b"x" * 100)
    time.sleep(0.01)
    return k
def close_pipes():
    for fd in pipes():
        os.close(fd)
'''
    session.request("load", {"files": {"ch99/n.py": body}}, timeout_s=10)
    noisy = [{"target": {"module": "ch99.n", "path": ["noisy"]}, "args": [k]} for k in range(5)]
    assert [r.value for r in session.quiet_stream(noisy, timeout_s=lambda calls=1: 10)] == list(range(5))
    assert session.request("call", {"target": {"module": "ch99.n", "path": ["close_pipes"]}}, timeout_s=10).ok
    assert [r.value for r in session.quiet_stream(noisy, timeout_s=lambda calls=1: 10)] == list(range(5))
    session.close()


def test_a_closed_session_is_cleaned_up_before_the_next_one_opens(process_worker):
    """Closing does not wait for the warden's cleanup (the grader goes on meanwhile); the next
    session opens only once it is done, so it never sees what the last one left."""
    first = process_worker.open_session()
    first.request("load", {"files": {"ch99/w.py": b"import os\ndef leave():\n    open('left.txt', 'w').write('x')\n"
                                                  b"def look():\n    return sorted(os.listdir('.'))\n"}}, timeout_s=10)
    assert first.request("call", {"target": {"module": "ch99.w", "path": ["leave"]}}, timeout_s=10).ok
    first.close()
    assert process_worker.closing == {first.id}
    second = process_worker.open_session()
    assert not process_worker.closing
    second.request("load", {"files": {"ch99/w.py": b"import os\ndef look():\n    return sorted(os.listdir('.'))\n"}},
                   timeout_s=10)
    assert second.request("call", {"target": {"module": "ch99.w", "path": ["look"]}}, timeout_s=10).value == ["ch99"]
    assert second.close(wait=True)["killed"] >= 1 and not process_worker.closing


def test_a_worker_speaking_another_protocol_is_refused(monkeypatch):
    """A worker image built from older (or newer) graders is stopped at its start, with a hint,
    rather than misreading streams later."""
    from graders.errors import GeodlError
    from graders.grading.client import Worker
    from graders.sandbox import WorkerOptions, get_sandbox
    from graders.worker import wire
    speaks = wire.PROTOCOL_VERSION
    monkeypatch.setattr(wire, "PROTOCOL_VERSION", speaks + 97)
    worker = Worker(get_sandbox("process"), options=WorkerOptions(preload=()), slot=10)
    with pytest.raises(GeodlError, match=f"protocol {speaks}, the graders {speaks + 97}") as refused:
        worker.start()
    assert refused.value.reference == "worker-protocol-mismatch" and "rebuild" in refused.value.hint
    assert worker.process is None


@pytest.mark.parametrize("quiet", [False, True])
def test_a_stream_cut_short_by_the_exercise_budget_ends_its_session(process_worker, quiet):
    """When the exercise's budget runs out between a stream's calls, the session ends with the
    stream unread, so that no later request reads the stream's leftover replies."""
    session = process_worker.open_session()
    session.request("load", {"files": {"ch99/t.py": b"import time\ndef f(k):\n    time.sleep(0.03)\n    return k\n"}},
                    timeout_s=10)
    calls = [{"target": {"module": "ch99.t", "path": ["f"]}, "args": [k]} for k in range(6)]
    asked = []

    def budget(calls=1):
        asked.append(calls)
        if len(asked) > 1:
            raise WorkerLost("timeout", "the exercise used up its 1 s time budget")
        return 0.05  # a quiet stream's grader wakes at this deadline, finds a reply, asks for the next limit
    with pytest.raises(WorkerLost, match="time budget"):
        if quiet:
            session.quiet_stream(calls, timeout_s=budget)
        else:
            list(session.stream(calls, timeout_s=budget))
    assert session.closed
    fresh = process_worker.open_session()
    assert fresh.request("ping", {"payload": 3}, timeout_s=5).value == 3
    fresh.close()


# --------------------------------------------------------------------------- forged replies and the grader's clock
FORGER = b'''
import struct, sys, time
import numpy as np

def _server_and_request():
    """The session server running this call, and the request it answers (found up the stack)."""
    frame = sys._getframe(1)
    while frame is not None:
        server, request = frame.f_locals.get("self"), frame.f_locals.get("request")
        if hasattr(server, "encoder") and hasattr(server, "sock") and isinstance(request, dict) and "id" in request:
            return server, request
        frame = frame.f_back

def quick(k):
    return k

def forge_then_hang(k, duration):
    """Send this call's reply itself, saying the call took ``duration`` s, then never return."""
    server, request = _server_and_request()
    wire = sys.modules[type(server).__module__].wire
    reply = {"id": request["id"], "ok": True, "value": k, "duration_s": duration, "output": ""}
    server.sock.sendall(wire.frame(wire.SESSION, server.encoder.encode(reply)))
    while True:
        time.sleep(3600)

def header_then_hang(length):
    server, _ = _server_and_request()
    server.sock.sendall(struct.pack(">IB", length, 1) + bytes(100))
    while True:
        time.sleep(3600)

def freeze_the_clock(k):
    """The session's stream budget is kept on its own clock: stop that clock."""
    now = time.perf_counter()
    time.perf_counter = lambda: now
    time.sleep(0.1)
    return k

def zeros(n):
    return np.zeros(n)
'''


@pytest.fixture()
def forger(process_worker):
    session = process_worker.open_session()
    assert session.request("load", {"files": {"ch99/forger.py": FORGER}}, timeout_s=10).ok
    assert session.request("import", {"module": "ch99.forger"}, timeout_s=10).ok
    yield session
    session.close()


def _forger_call(name, *args):
    return {"target": {"module": "ch99.forger", "path": [name]}, "args": list(args)}


LIMIT_S = 0.5
#: how late the grader may notice that a call outlived its limit: a poll of the socket (1/8 of the
#: limit) and time for a loaded machine
LATE_S = LIMIT_S / 8 + 0.75


@pytest.mark.parametrize("duration", [1e9, float("inf"), 1e300, 0.0])
def test_a_quiet_stream_keeps_its_deadlines_whatever_durations_the_session_reports(forger, duration):
    """A session that sends a reply of its own claiming its call took 10^9 s (or any other
    duration), then hangs, is still timed out at the grader's limit: deadlines come from the
    grader's clock (when it saw a reply arrive), never from what the session reports. The forged
    reply's duration is cut to what the grader saw pass."""
    calls = [_forger_call("quick", 0), _forger_call("quick", 1), _forger_call("forge_then_hang", 2, duration),
             _forger_call("quick", 3)]
    start = time.monotonic()
    with pytest.raises(WorkerLost) as lost:
        forger.quiet_stream(calls, timeout_s=lambda calls=1: LIMIT_S)
    elapsed = time.monotonic() - start
    assert lost.value.status == "timeout" and f"exceeded the {LIMIT_S:g} s time limit" in lost.value.message
    assert lost.value.index == 3 and [r.value for r in lost.value.replies] == [0, 1, 2]
    assert sum(r.duration_s for r in lost.value.replies) <= elapsed
    assert LIMIT_S <= elapsed <= LIMIT_S + LATE_S, elapsed


@pytest.mark.parametrize("duration", [-1.0, float("nan")])
def test_a_reply_with_a_meaningless_duration_ends_the_stream_at_once(forger, duration):
    """A negative or NaN duration is malformed (graders.grading.protocol): the session is lost
    as soon as it comes, long before any limit."""
    calls = [_forger_call("quick", 0), _forger_call("forge_then_hang", 1, duration), _forger_call("quick", 2)]
    start = time.monotonic()
    with pytest.raises(WorkerLost) as lost:
        forger.quiet_stream(calls, timeout_s=lambda calls=1: 2.0)
    assert lost.value.status == "crashed" and "duration_s" in lost.value.message and lost.value.index == 1
    assert time.monotonic() - start < 2.0


def test_a_request_keeps_its_deadline_and_a_forged_duration_is_cut(forger):
    start = time.monotonic()
    reply = forger.request("call", _forger_call("forge_then_hang", 7, 1e9), timeout_s=10)
    assert reply.value == 7 and reply.duration_s <= time.monotonic() - start
    with pytest.raises(WorkerLost) as lost:  # the session still runs the call that never returns
        forger.request("ping", timeout_s=LIMIT_S)
    assert lost.value.status == "timeout"
    assert time.monotonic() - start < 5


def test_a_stream_whose_session_ignores_its_budget_is_still_held_to_it(forger):
    """A session stops a quiet stream once its calls have taken ``budget_s`` on its own clock; one
    whose clock the student's code stopped goes on, but the grader takes no call to have begun later
    than the budget (and STREAM_START_SLACK_S) after the stream was sent: the call running then is
    timed out at its limit."""
    from graders.grading.client import STREAM_START_SLACK_S
    calls = [_forger_call("freeze_the_clock", k) for k in range(100)]
    start = time.monotonic()
    with pytest.raises(WorkerLost) as lost:
        forger.quiet_stream(calls, timeout_s=lambda calls=1: LIMIT_S, budget_s=0.2)
    elapsed = time.monotonic() - start
    assert lost.value.status == "timeout" and lost.value.index >= 5
    assert elapsed <= 0.2 + STREAM_START_SLACK_S + LIMIT_S + LATE_S, elapsed


def test_a_reply_over_the_reply_limit_is_refused_at_its_header(process_worker, monkeypatch):
    """The grader tells each session its reply limit (the session's encoder keeps to it) and
    refuses a frame that says it is longer as soon as its header is in, without waiting for (or
    buffering) its body."""
    monkeypatch.setattr(process_worker, "max_reply_bytes", 2**20)
    session = process_worker.open_session()
    session.request("load", {"files": {"ch99/forger.py": FORGER}}, timeout_s=10)
    too_big = session.request("call", _forger_call("zeros", 2**17 + 1), timeout_s=10)  # 8 bytes each: over 1 MiB
    assert not too_big.ok and too_big.error.kind == "unsendable"
    assert session.request("call", _forger_call("zeros", 2**17 - 100), timeout_s=10).value.shape == (2**17 - 100,)
    start = time.monotonic()
    with pytest.raises(WorkerLost) as lost:
        session.request("call", _forger_call("header_then_hang", 2**20 + 1), timeout_s=10)
    assert lost.value.status == "crashed" and "frame of 1048577 bytes exceeds the limit 1048576" in lost.value.message
    assert time.monotonic() - start < 2


def test_a_large_reply_is_received_in_place(session):
    """A reply longer than one receive's worth is received into a buffer of its own size."""
    value = np.arange(3_000_000, dtype=np.float64)
    reply = call(session, "double", value)
    np.testing.assert_array_equal(reply.value, 2 * value)
    channel = session.channel
    assert channel._large is None and not channel.partial()
    assert call(session, "double", np.ones(2)).value.tolist() == [2.0, 2.0]


def _peak_rss_since_reset() -> int | None:
    """Bytes of this process's peak resident memory since the last reset (None where Linux
    cannot reset it)."""
    try:
        with open("/proc/self/status") as status:
            return int(re.search(r"VmHWM:\s+(\d+) kB", status.read()).group(1)) * 1024  # type: ignore[union-attr]
    except (OSError, AttributeError):
        return None


def _reset_peak_rss() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
        return True
    except OSError:
        return False


@pytest.mark.sandbox
def test_grading_huge_reply_frames_keeps_the_graders_memory_bounded(bwrap_worker):
    """samples/hostile/huge_reply_frame.py writes forged frames of 256 MiB, 64 MiB and deeply
    nested ones into the session socket: grading it raises the grading process's peak resident
    memory by no more than its memory before and the reply limit (a 24 MiB frame once took it from
    242 MiB to 2.1 GiB)."""
    import psutil

    from graders.authoring.samples import hostile_files, load_hostile
    from graders.authoring.stubs import chapter_sources
    from graders.chapters import load_chapter
    from graders.grading.engine import grade
    from graders.grading.settings import get_profile
    from graders.grading.submission import Submission

    hostile = {h.name: h for h in load_hostile()}["huge_reply_frame"]
    chapter = load_chapter(hostile.chapter)
    settings = get_profile("grading").replace(call_timeout_s=3.0, exercise_timeout_s=12.0, max_examples=5)
    solution = {path: source.encode() for path, source in
                chapter_sources(chapter.id, chapter.modules, solution=True).items()}
    # first the worked solution, so that what grading the exercise loads (torch, its oracles...) is loaded
    honest = grade(Submission(chapter.id, solution), chapter, bwrap_worker, settings, exercises=[hostile.attacks])
    assert honest.exercise(hostile.attacks).score == honest.exercise(hostile.attacks).max_score
    before = psutil.Process().memory_info().rss
    if not _reset_peak_rss():
        pytest.skip("this kernel cannot reset a process's peak resident memory")
    result = grade(Submission(chapter.id, hostile_files(hostile)), chapter, bwrap_worker, settings,
                   exercises=[hostile.attacks])
    peak = _peak_rss_since_reset()
    limit = bwrap_worker.max_reply_bytes
    assert peak is not None and peak <= 2 * before + limit, (peak >> 20, before >> 20)
    # tighter: a frame at the limit is received once (in place), and these are refused while walked
    assert peak - before <= 2 * limit, (peak >> 20, before >> 20)
    checks = result.exercise(hostile.attacks).checks
    assert {c.status for c in checks} <= {"crashed", "student_error"} and all("\n" not in c.message for c in checks)


def test_the_reply_limit_is_a_sandbox_limit():
    from graders.grading.client import Worker
    from graders.sandbox import SandboxLimits, get_sandbox
    from graders.worker import wire

    limits = SandboxLimits(reply_bytes=3 * 2**20)
    assert limits.session_limits()["max_reply_bytes"] == 3 * 2**20
    assert Worker(get_sandbox("process"), limits=limits).max_reply_bytes == 3 * 2**20
    assert Worker(get_sandbox("process")).max_reply_bytes == wire.MAX_REPLY_BYTES


def test_an_error_message_utf8_cannot_carry_still_reaches_the_grader(session):
    """A lone surrogate in an exception's message is escaped, not the reason the reply is lost."""
    reply = call(session, "fail_in_bytes")
    assert not reply.ok and reply.error.kind == "student"
    assert "caf\\udce9" in reply.error.message
