"""graders/worker.py's warden: its heap on huge pages before it forks sessions, and what it
works out for each session before the fork."""
from __future__ import annotations

import ctypes
import mmap
import sys

import pytest

from graders.grading.client import Worker
from graders.sandbox import WorkerOptions, get_sandbox
from graders.worker import session as session_module

MADV_COLLAPSE = 25  # Linux's madvise(2) advice
HUGE_PAGE_BYTES = 2 * 2**20


def kernel_collapses_huge_pages() -> bool:
    """Whether this kernel backs a range with huge pages on ``MADV_COLLAPSE`` (Linux 6.1+, with
    transparent huge pages built in): tried on a 4 MB mapping of this process's own."""
    size = 4 * 2**20
    region = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    try:
        region.write(b"\1" * size)
        address = ctypes.addressof(ctypes.c_char.from_buffer(region))
        aligned = -(-address // HUGE_PAGE_BYTES) * HUGE_PAGE_BYTES
        libc = ctypes.CDLL(None, use_errno=True)
        libc.madvise.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
        return libc.madvise(aligned, HUGE_PAGE_BYTES, MADV_COLLAPSE) == 0
    finally:
        region.close()


@pytest.mark.parametrize("backend", ["process", "bwrap"])
def test_the_warden_puts_its_heap_on_huge_pages_unless_told_not_to(backend):
    """Where the kernel can, the warden's heap is on huge pages by the time it is ready; with
    ``huge_pages=False`` it is left alone. Sessions work either way, and where the kernel cannot."""
    sandbox = get_sandbox(backend)
    if reason := sandbox.unavailable_reason():
        pytest.skip(f"the {backend} sandbox is not available here: {reason}")
    on_huge_pages = {}
    for huge_pages in (True, False):
        with Worker(sandbox, options=WorkerOptions(preload=("numpy",), huge_pages=huge_pages), slot=11) as worker:
            on_huge_pages[huge_pages] = worker.info["huge_page_kb"]
            session = worker.open_session()
            assert session.request("ping", {"payload": [1, 2]}, timeout_s=10).value == [1, 2]
            session.close(wait=True)
    if kernel_collapses_huge_pages():  # elsewhere only the kernel's own choice (THP "always") puts memory there
        assert on_huge_pages[True] >= 2048 and on_huge_pages[True] > on_huge_pages[False]


def test_small_pages_is_a_warden_argument_only_when_asked_for():
    assert "--small-pages" not in WorkerOptions(preload=("numpy",)).warden_args()
    assert WorkerOptions(preload=("numpy",), huge_pages=False).warden_args()[-1] == "--small-pages"


def test_a_session_inherits_the_module_names_the_warden_noted_before_forking(monkeypatch):
    """The warden notes ``sys.modules`` before each fork (again once it has grown), and a
    session's record of what it inherited is that set; without a warden (in-process), the
    session takes ``sys.modules`` itself."""
    monkeypatch.setattr(session_module, "INHERITED_MODULES", None)
    without_warden = session_module.SessionServer(None, 1, "/tmp", 0, {})
    assert without_warden.inherited_modules == frozenset(sys.modules)
    session_module.note_inherited_modules()
    noted = session_module.INHERITED_MODULES
    assert noted == frozenset(sys.modules)
    session_module.note_inherited_modules()
    assert session_module.INHERITED_MODULES is noted  # unchanged: not built again
    monkeypatch.setitem(sys.modules, "geodl_test_newly_imported", object())
    session_module.note_inherited_modules()
    assert "geodl_test_newly_imported" in session_module.INHERITED_MODULES
    assert session_module.SessionServer(None, 2, "/tmp", 0, {}).inherited_modules is session_module.INHERITED_MODULES
