"""graders/sandbox: the bwrap command line and worker environment, and the docker flags (the
docker backend against a real engine: test_docker.py)."""
from __future__ import annotations

import os

import pytest

from graders.errors import ConfigurationError
from graders.sandbox import SandboxLimits, WorkerOptions, get_sandbox
from graders.sandbox.bwrap import BwrapSandbox
from graders.sandbox.docker import DockerSandbox
from graders.sandbox.environment import allowed_distributions, current_layout


def test_worker_environment_offers_numerics_but_no_grader_side_oracles():
    names = {n.lower() for n in allowed_distributions(("numpy", "scipy", "torch", "sympy", "msgpack"))}
    assert {"numpy", "scipy", "torch", "sympy", "msgpack", "mpmath"} <= names
    assert not names & {"scikit-learn", "pot", "networkx", "nbgrader", "hypothesis", "geodl", "pytest"}
    entries = {p.name for p in current_layout().site_entries}
    assert "numpy" in entries and "sklearn" not in entries and "geodl_ref" not in entries and "graders" not in entries


def test_a_distributions_top_level_entries_come_from_its_record(tmp_path):
    """Each installed file's first path component, once, if it exists next to the dist-info:
    a quoted name with a comma, a data file outside the site directory, caches and .pth files
    are handled as the path-by-path reading handled them."""
    import importlib.metadata as metadata

    from graders.sandbox.environment import _top_level_entries
    info = tmp_path / "demo-1.0.dist-info"
    info.mkdir()
    for name in ("demo/__init__.py", "demo/sub/x.py", "demo_ext.so", "odd,name.py", "demo.pth"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    (info / "RECORD").write_text("demo/__init__.py,sha256=x,1\ndemo/sub/x.py,,\ndemo_ext.so,,\n\"odd,name.py\",,\n"
                                 "demo.pth,,\n__pycache__/demo.cpython.pyc,,\n../../bin/demo,,\nmissing/file.py,,\n"
                                 "demo-1.0.dist-info/RECORD,,\n")
    entries = _top_level_entries(metadata.PathDistribution(info))
    assert {p.name for p in entries} == {"demo", "demo_ext.so", "odd,name.py", "demo-1.0.dist-info"}
    assert all(p.parent == tmp_path.resolve() for p in entries)


def test_bwrap_command_isolates_the_worker():
    argv = BwrapSandbox().command(WorkerOptions(preload=("numpy",)), SandboxLimits(), slot=3, rlimit_nproc=False,
                                  control_fd=9)
    text = " ".join(argv)
    for flag in ("--unshare-pid", "--unshare-net", "--die-with-parent", "--cap-drop ALL", "--tmpfs /tmp",
                 "--proc /proc"):
        assert flag in text
    assert "geodl_ref" not in text and "/graders/chapters" not in text and "solutions" not in text
    assert "--control-fd 9" in text and "--pidns" in text
    if os.geteuid() == 0:
        assert "--reuid=61003" in text and "--no-new-privs" in text and "--bounding-set=-all" in text
    assert "/dev/nvidia" not in text


def test_docker_command_has_the_limits_as_flags():
    limits = SandboxLimits(memory_bytes=2 * 2**30, pids=64, cpus=1.5, gpu=True)
    argv = DockerSandbox().command(WorkerOptions(preload=("numpy",)), limits, name="w", socket_dir="/tmp/s", slot=3)
    text = " ".join(argv)
    for flag in ("--network none", "--read-only", "--pids-limit 64", f"--memory {2 * 2**30}", "--cpus 1.5",
                 "--cap-drop ALL", "--security-opt no-new-privileges", "--user 62003:62003", "--gpus all", "--rm",
                 "--ipc private", "--log-driver none", "type=bind,source=/tmp/s,target=/geodl-control,readonly"):
        assert flag in text, flag
    assert "seccomp" not in text and "--privileged" not in text  # Docker's default seccomp profile holds
    assert "geodl_ref" not in text and "/graders/chapters" not in text and "solutions" not in text


def test_docker_command_shows_only_the_distributions_a_chapter_allows():
    """The image's folders outside the chapter's closure are covered, the others are the warden's
    --site folders (as bwrap binds only the allowed ones)."""
    from graders.chapters import load_chapter
    image = ("filelock", "fsspec", "jinja2", "markupsafe", "mpmath", "msgpack", "numpy", "scipy", "sympy", "torch",
             "typing-extensions")
    ch06 = load_chapter("ch06")
    argv = DockerSandbox().command(WorkerOptions(preload=ch06.warm_preload, packages=ch06.sandbox_packages),
                                   SandboxLimits(), name="w", socket_dir="/tmp/s", distributions=image)
    sites = {argv[i + 1].rsplit("/", 1)[1] for i, arg in enumerate(argv) if arg == "--site"}
    covered = {argv[i + 1].split(":")[0].rsplit("/", 1)[1] for i, arg in enumerate(argv)
               if arg == "--tmpfs" and argv[i + 1].startswith("/opt/geodl/dist/")}
    assert sites == {"numpy", "scipy", "sympy", "mpmath", "msgpack"}
    assert covered == {"torch", "filelock", "fsspec", "jinja2", "markupsafe", "typing-extensions"}
    assert all(":ro," in argv[i + 1] for i, arg in enumerate(argv) if arg == "--tmpfs" and "dist" in argv[i + 1])
    everything = DockerSandbox().command(WorkerOptions(), SandboxLimits(), name="w", socket_dir="/tmp/s",
                                         distributions=image)
    assert not [a for a in everything if a.startswith("/opt/geodl/dist/") and ":ro," in a]


def test_without_a_docker_cli_or_engine_the_reason_is_one_line(monkeypatch, tmp_path):
    from graders.sandbox import docker
    reason = DockerSandbox(docker=str(tmp_path / "no-docker")).unavailable_reason()
    assert reason is not None and "docker CLI is not installed" in reason and "\n" not in reason
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/none.sock")
    docker.find_engine.cache_clear()
    try:
        reason = DockerSandbox().unavailable_reason()
    finally:
        docker.find_engine.cache_clear()
    assert reason is not None and "\n" not in reason, reason
    assert "no Docker engine answers" in reason or "docker CLI is not installed" in reason, reason


def test_unknown_backend_gets_a_suggestion():
    with pytest.raises(ConfigurationError, match="did you mean 'bwrap'"):
        get_sandbox("bwarp")


def _binds(argv: list[str]) -> set[str]:
    """The names bound into the sandbox's site folder."""
    return {argv[i + 2].rsplit("/", 1)[1] for i, arg in enumerate(argv[:-2])
            if arg == "--ro-bind" and argv[i + 2].startswith("/geodl/site/")}


def test_only_the_packages_a_chapter_allows_are_bound():
    from graders.chapters import load_chapter
    ch06, ch01 = load_chapter("ch06"), load_chapter("ch01")
    assert ch06.sandbox_packages == ("numpy", "scipy", "sympy", "msgpack")
    assert ch01.sandbox_packages == ("numpy", "scipy", "torch", "sympy", "msgpack")  # ch01 forbids no worker package

    def bound(options: WorkerOptions) -> set[str]:
        return _binds(BwrapSandbox().command(options, SandboxLimits(), slot=3, rlimit_nproc=False, control_fd=9))

    everything = bound(WorkerOptions(packages=ch01.sandbox_packages))
    no_torch = bound(WorkerOptions(preload=ch06.warm_preload, packages=ch06.sandbox_packages))
    assert {"numpy", "scipy", "sympy", "msgpack", "torch"} <= everything
    assert {"numpy", "scipy", "sympy", "msgpack"} <= no_torch
    assert not {n for n in no_torch if n.split("-")[0] in ("torch", "functorch", "torchgen", "triton")}, no_torch
    assert bound(WorkerOptions()) == everything                      # the default preload names every package
    assert bound(WorkerOptions(preload=("numpy",))) == bound(WorkerOptions(packages=()))  # numpy and msgpack alone
    assert "torch" not in bound(WorkerOptions(preload=("numpy",))) and "numpy" in bound(WorkerOptions(packages=()))


def test_worker_options_name_the_sandbox_packages():
    assert WorkerOptions(preload=("numpy", "scipy.linalg", "torch.nn")).sandbox_packages() == (
        "numpy", "scipy", "torch", "msgpack")
    assert WorkerOptions(preload=("numpy", "torch"), packages=("sympy",)).sandbox_packages() == (
        "numpy", "sympy", "msgpack")  # packages, when given, rule (the preload then imports what it can)
    with pytest.raises(ValueError, match="sklearn is not a worker distribution"):
        WorkerOptions(packages=("numpy", "sklearn"))
    with pytest.raises(ValueError, match="is not a worker distribution"):
        current_layout(packages=("pot",))


def test_a_chapter_drops_only_what_every_exercise_forbids():
    from graders.batch.preload import WardenSpec
    from graders.grading.spec import Chapter
    chapter = Chapter("ch99", title="t")
    assert chapter.sandbox_packages == ("numpy", "scipy", "torch", "sympy", "msgpack")  # no exercise: none banned
    chapter.exercise("ch99.a", module="ch99.a", functions=("f",), forbidden=("torch", "scipy.sparse", "numpy"))
    chapter.exercise("ch99.b", module="ch99.b", functions=("f",), forbidden=("torch", "sympy", "numpy.kron", "numpy"))
    assert chapter.sandbox_packages == ("numpy", "scipy", "sympy", "msgpack")  # numpy always; scipy.sparse: not scipy
    chapter.exercise("ch99.c", module="ch99.c", functions=("f",))
    assert chapter.sandbox_packages == ("numpy", "scipy", "torch", "sympy", "msgpack")  # ch99.c allows torch
    assert WardenSpec.of(chapter).packages == chapter.sandbox_packages
    assert WardenSpec.of(chapter, ("numpy",)).packages == chapter.sandbox_packages  # the preload does not narrow it


def test_bwrap_command_installs_the_seccomp_filter_from_an_inherited_fd():
    options, limits = WorkerOptions(preload=("numpy",)), SandboxLimits()
    argv = BwrapSandbox().command(options, limits, slot=3, rlimit_nproc=False, control_fd=9, seccomp_fd=11)
    assert argv[argv.index("--seccomp") + 1] == "11"
    assert argv.index("--seccomp") < argv.index("--")  # a bwrap option, not the worker's
    assert "--seccomp" not in BwrapSandbox().command(options, limits, slot=3, rlimit_nproc=False, control_fd=9)


def _interpreter_for_others() -> str | None:
    """A Python of this version that an unprivileged user can run (not one under /root)."""
    import shutil
    import subprocess
    import sys

    found = shutil.which(f"python{sys.version_info[0]}.{sys.version_info[1]}", path="/usr/local/bin:/usr/bin")
    if found is None or os.path.realpath(found).startswith("/root"):
        return None
    probe = subprocess.run([found, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True, text=True)
    return found if probe.stdout.strip() == str(tuple(sys.version_info[:2])) else None


PRIVATE_PROBE = b'''
import os

def whoami(secret):
    try:
        with open(secret) as fh:
            seen = fh.read()
    except PermissionError:
        seen = "denied"
    return [os.getuid(), os.getgid(), seen]
'''


@pytest.mark.skipif(os.geteuid() != 0, reason="dropping to another user needs root")
def test_the_process_worker_of_a_root_grader_runs_as_the_user_it_is_told(tmp_path, monkeypatch):
    """Gradescope runs the grader as root; without bwrap the process backend would run student
    code as root too, able to read the answers. GEODL_PROCESS_USER drops the worker to that user."""
    import pwd

    from graders.grading.client import Worker
    from graders.sandbox.process import worker_user

    python = _interpreter_for_others()
    if python is None:
        pytest.skip("no interpreter of this Python version outside /root for an unprivileged user to run")
    secret = tmp_path / "answers.txt"
    secret.write_text("the reference solution")
    secret.chmod(0o600)
    monkeypatch.setenv("GEODL_PROCESS_USER", "nobody")
    monkeypatch.setenv("GEODL_PROCESS_PYTHON", python)
    nobody = pwd.getpwnam("nobody")
    assert worker_user() == (nobody.pw_uid, nobody.pw_gid)
    with Worker(get_sandbox("process"), options=WorkerOptions(preload=("numpy",)), slot=21) as worker:
        session = worker.open_session()
        session.request("load", {"files": {"ch99/probe.py": PRIVATE_PROBE}}, timeout_s=20)
        assert session.request("import", {"module": "ch99.probe"}, timeout_s=20).ok
        reply = session.request("call", {"target": {"module": "ch99.probe", "path": ["whoami"]},
                                         "args": [str(secret)], "kwargs": {}}, timeout_s=20)
        session.close(wait=True)
    assert reply.ok, reply
    assert reply.value == [nobody.pw_uid, nobody.pw_gid, "denied"]


def test_an_unknown_or_root_process_user_is_refused(monkeypatch):
    from graders.sandbox.process import worker_user

    monkeypatch.setenv("GEODL_PROCESS_USER", "no-such-user-here")
    if os.geteuid() != 0:
        assert worker_user() is None
        return
    with pytest.raises(ConfigurationError, match="is not a user of this system"):
        worker_user()
    monkeypatch.setenv("GEODL_PROCESS_USER", "root")
    with pytest.raises(ConfigurationError, match="is root"):
        worker_user()
    monkeypatch.delenv("GEODL_PROCESS_USER")
    assert worker_user() is None
