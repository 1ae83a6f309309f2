"""Ctrl-C during a long command: the first interrupt stops the work, later ones do not cut short
the teardown it started (workers stopped, the results store closed, the resume command printed)."""
from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator


@contextlib.contextmanager
def first_interrupt_stops(note: str) -> Iterator[None]:
    """Within the block, the first SIGINT raises :class:`KeyboardInterrupt` as usual; each later
    one writes ``note`` (one line) to standard error and is otherwise ignored, so the clean-up the
    first one began runs to its end. The previous handler is back on leaving. Outside the main
    thread (where Python delivers no signal) the block runs unchanged.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    interrupted = False
    line = (note.rstrip("\n") + "\n").encode("utf-8", "replace")

    def on_sigint(signum: int, frame: object) -> None:
        nonlocal interrupted
        if interrupted:
            os.write(2, line)  # async-signal-safe, unlike print
            return
        interrupted = True
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
