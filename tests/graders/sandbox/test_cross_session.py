"""Students in one warm worker cannot reach each other: whatever a submission leaves behind
(read-only residue, a poisoned bytecode cache, System V IPC objects: the ``cross-session``
samples of samples/hostile/), the next one starts in a scratch space and an IPC namespace
proved empty, grades exactly as in a fresh worker, and a later accomplice finds nothing of it; on
both isolating backends (bwrap, and docker in the slow run)."""
from __future__ import annotations

import pytest

from graders.authoring.samples import hostile_files, load_hostile
from graders.authoring.stubs import chapter_sources
from graders.chapters import load_chapter
from graders.grading.engine import grade
from graders.grading.settings import get_profile
from graders.grading.submission import Submission
from tests.graders.sandbox._backends import start_worker

pytestmark = pytest.mark.sandbox

SETTINGS = get_profile("grading").replace(call_timeout_s=3.0, exercise_timeout_s=12.0, max_examples=5)
HOSTILE = {h.name: h for h in load_hostile()}
CROSS_SESSION = sorted(name for name, h in HOSTILE.items() if h.kind == "cross-session")
#: What the honest classmate's files carry (a comment: it changes no verdict), and what no one else may see.
MARKER = "classmate-secret-5b81e0c2"
#: Entries of a normal session's scratch space the warden removes: session/, output.txt, work/,
#: ch06/ and its five modules.
NORMAL_SESSION_ENTRIES = 9

#: Looks at everything a session can reach that another session may have left: the scratch
#: space, /dev/shm, /dev/mqueue and the System V IPC objects, and reads all of it for ``marker``.
PROBE = b'''
import ctypes, os

def look(marker):
    marker = marker.encode()
    own = {os.path.abspath(__file__), os.path.abspath("/tmp/session/output.txt")}
    entries, leaks = [], []
    for top in ("/tmp", "/dev/shm", "/dev/mqueue"):
        if not os.path.isdir(top):
            continue
        for root, dirs, files in os.walk(top, onerror=lambda exc: leaks.append(f"unreadable: {exc}")):
            for name in dirs + files:
                path = os.path.join(root, name)
                if path in own:
                    continue
                entries.append(path)
                if name in files and not os.path.islink(path):
                    try:
                        with open(path, "rb") as fh:
                            if marker in fh.read():
                                leaks.append(path)
                    except OSError:
                        pass
    ipc = {}
    for kind in ("shm", "sem", "msg"):
        with open(f"/proc/sysvipc/{kind}") as fh:
            ipc[kind] = [" ".join(line.split()[:3]) for line in fh.readlines()[1:]]
    libc = ctypes.CDLL(None, use_errno=True)
    libc.shmat.restype = ctypes.c_void_p
    libc.shmat.argtypes = (ctypes.c_int, ctypes.c_void_p, ctypes.c_int)
    for line in ipc["shm"]:
        address = libc.shmat(int(line.split()[1]), None, 0o10000)  # SHM_RDONLY
        if address not in (None, ctypes.c_void_p(-1).value) and marker in ctypes.string_at(address, 4096):
            leaks.append(line)
    return {"entries": sorted(entries), "ipc": ipc, "leaks": leaks}
'''
EXPECTED_AT_START = ["/tmp/session", "/tmp/session/work"]


def _probe(worker) -> dict:
    """What a fresh session sees of other sessions (its own files apart)."""
    session = worker.open_session()
    try:
        session.request("load", {"files": {"geodl_probe.py": PROBE}}, timeout_s=10)
        assert session.request("import", {"module": "geodl_probe"}, timeout_s=10).ok
        reply = session.request("call", {"target": {"module": "geodl_probe", "path": ["look"]}, "args": [MARKER]},
                                timeout_s=10)
    finally:
        session.close()
    assert reply.ok, reply.error
    return reply.value


def _checks(result) -> list[tuple]:
    return [(e.id, c.name, c.passed, c.points, c.status, c.message) for e in result.exercises for c in e.checks]


@pytest.fixture(scope="module")
def chapter():
    return load_chapter("ch06")


@pytest.fixture(scope="module")
def classmate(chapter) -> dict[str, bytes]:
    """The worked solution, every file marked as this classmate's own."""
    files = chapter_sources("ch06", chapter.modules, solution=True)
    return {rel: f"{source}\n# {MARKER}\n".encode() for rel, source in files.items()}


@pytest.fixture(scope="module")
def fresh_result(backend, chapter, classmate):
    """What the classmate gets in a worker of the module's backend that no one else used."""
    worker = start_worker(backend, slot=12)
    try:
        result = grade(Submission("ch06", classmate), chapter, worker, SETTINGS)
    finally:
        worker.stop()
    assert result.score == result.max_score == load_chapter("ch06").max_points
    return result


@pytest.fixture
def reports(sandbox_worker, monkeypatch) -> list[dict]:
    """Every cleanup report (``closed``, ``session_lost``) the warden sends from now on."""
    seen: list[dict] = []
    note = sandbox_worker._note

    def keep(message: dict) -> None:
        if message.get("op") in ("closed", "session_lost"):
            seen.append(message)
        note(message)

    monkeypatch.setattr(sandbox_worker, "_note", keep)
    return seen


@pytest.mark.parametrize("name", CROSS_SESSION)
def test_a_classmate_graded_after_an_attacker_grades_as_in_a_fresh_worker(name, sandbox_worker, chapter, classmate,
                                                                         fresh_result, reports):
    hostile = HOSTILE[name]
    starts = sandbox_worker.starts

    # the attacker, on the exercise whose function plants its residue
    attacker = grade(Submission("ch06", hostile_files(hostile)), chapter, sandbox_worker, SETTINGS,
                     exercises=[hostile.attacks])
    attacked = attacker.exercise(hostile.attacks)
    if hostile.outcome == "full-marks":
        assert attacked.score == attacked.max_score, [c.message for c in attacked.checks if not c.passed]
    assert all(not hostile.statuses or c.status in hostile.statuses for c in attacked.checks)
    sandbox_worker.settle()
    after_attacker = list(reports)
    assert after_attacker and all(r["clean"] for r in after_attacker), after_attacker
    planted = (max(r.get("removed", 0) for r in after_attacker), max(r.get("ipc_removed", 0) for r in after_attacker))
    assert planted[0] > NORMAL_SESSION_ENTRIES or planted[1] >= 4, f"{name} planted nothing: {after_attacker}"

    # what the next session finds: nothing but its own files
    seen = _probe(sandbox_worker)
    assert seen["entries"] == EXPECTED_AT_START and seen["ipc"] == {"shm": [], "sem": [], "msg": []}, seen

    # the honest classmate: check by check what a fresh worker gives
    result = grade(Submission("ch06", classmate), chapter, sandbox_worker, SETTINGS)
    assert _checks(result) == _checks(fresh_result)
    assert result.score == result.max_score == load_chapter("ch06").max_points

    # an accomplice graded later (the attacker again, and a probe) finds nothing of the classmate
    again = grade(Submission("ch06", hostile_files(hostile)), chapter, sandbox_worker, SETTINGS,
                  exercises=[hostile.attacks])
    text = " ".join(c.message + c.output for e in again.exercises for c in e.checks)
    assert MARKER not in text and "stolen" not in text and "residue of an earlier session" not in text, text[:500]
    seen = _probe(sandbox_worker)
    assert seen["leaks"] == [] and seen["entries"] == EXPECTED_AT_START, seen
    sandbox_worker.settle()
    assert all(r["clean"] for r in reports), reports
    assert sandbox_worker.starts == starts, "the sandbox restarted: its warden could not clean up"

