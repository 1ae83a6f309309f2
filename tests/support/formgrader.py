"""nbgrader's formgrader on a course folder, for tests and benchmarks: a Jupyter server with the
formgrader extension alone, on loopback (a free port, a random token), run from the course folder
with a HOME and Jupyter folders of its own (nothing of the user's is read or written), and
stopped when the ``with`` block ends. HTTP goes to it directly, never through a proxy the
environment names; a fresh headless Chromium logs in with the token (:meth:`Formgrader.page`).

API::

    with formgrader(course, home) as server:       # raises FormgraderUnavailable where it cannot start
        status, data = server.api("GET", "/formgrader/api/submissions/ch06")
        html = dom(server.page("/formgrader/manage_submissions/ch06"))
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Iterator

#: Extensions installed beside nbgrader's formgrader, kept off (they slow the start and touch nothing here).
_OTHER_EXTENSIONS = ("jupyterlab", "notebook", "jupyter_lsp", "jupyter_server_terminals", "notebook_shim",
                     "nbgrader.server_extensions.validate_assignment", "nbgrader.server_extensions.assignment_list",
                     "nbgrader.server_extensions.course_list")
#: How long the server may take to answer.
START_TIMEOUT_S = 90
#: HTTP to the loopback server, never through a proxy.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
#: What a Chromium run waits, in virtual time, for a page's scripts to fetch their tables.
SCRIPT_BUDGET_MS = 10_000


class FormgraderUnavailable(RuntimeError):
    """The server did not start (the message, one line, says why)."""


@dataclasses.dataclass(frozen=True)
class Formgrader:
    url: str
    token: str

    def api(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """``method path`` (token-authenticated, as a script calls it): the status, and the body
        (parsed JSON under ``/formgrader/api``, else text); status 0 where nothing answers."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        try:
            with _DIRECT.open(request, timeout=120) as response:
                text = response.read().decode()
                return response.status, json.loads(text) if path.startswith("/formgrader/api") else text
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")
        except urllib.error.URLError as error:
            return 0, str(error.reason)

    def page(self, path: str) -> str:
        """A URL that logs a fresh browser in with the token and lands on ``path`` (formgrader's
        own pages set their login cookie for their own path only, so their scripts' API calls
        would not be logged in)."""
        return f"{self.url}/login?" + urllib.parse.urlencode({"token": self.token, "next": path})


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def formgrader(course: Path, home: Path) -> Iterator[Formgrader]:
    """Formgrader on ``course`` (its nbgrader_config.py read, as nbgrader reads it from the
    folder it runs in), its Jupyter folders and nbgrader's exchange under ``home``."""
    config = home / "jupyter-config"
    config.mkdir(parents=True, exist_ok=True)
    extensions = {**{name: False for name in _OTHER_EXTENSIONS}, "nbgrader.server_extensions.formgrader": True}
    (config / "jupyter_server_config.json").write_text(json.dumps({"ServerApp": {"jpserver_extensions": extensions}}))
    exchange = home / "exchange"  # formgrader warns where nbgrader's exchange is not a writable folder
    exchange.mkdir(exist_ok=True)
    exchange.chmod(0o777)
    (config / "nbgrader_config.py").write_text(f"c = get_config()\nc.Exchange.root = {str(exchange)!r}\n")
    port, token = _free_port(), os.urandom(16).hex()
    env = {**os.environ, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(config), "JUPYTER_DATA_DIR": str(home / "data"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "IPYTHONDIR": str(home / "ipython")}
    for name in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH"):
        env.pop(name, None)
    log_path = home / "server.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyter_server", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
             "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", "--ServerApp.open_browser=False",
             f"--ServerApp.root_dir={course}", "--allow-root"],
            cwd=course, env=env, stdout=log, stderr=subprocess.STDOUT)
        server = Formgrader(f"http://127.0.0.1:{port}", token)
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while server.api("GET", "/formgrader/api/status")[0] != 200:
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = log_path.read_text(errors="replace").strip().splitlines()[-1:]
                    raise FormgraderUnavailable("the Jupyter server with nbgrader's formgrader did not start: "
                                                + (" ".join(tail) or "no output"))
                time.sleep(0.25)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _chromium_run(url: str, *args: str) -> str:
    from tests.support import browser
    with tempfile.TemporaryDirectory(prefix="geodl-chromium-") as scratch:
        command = [browser.chromium(), *browser.FLAGS, f"--user-data-dir={scratch}/profile",
                   f"--virtual-time-budget={SCRIPT_BUDGET_MS}", *args, url]
        return subprocess.run(command, capture_output=True, text=True, timeout=browser.TIMEOUT_S, check=True).stdout


def screenshot(url: str, path: Path, width: int = 1280, height: int = 900) -> Path:
    """:func:`tests.support.browser.screenshot`'s Chromium, given time for the page's scripts to
    fill its tables from formgrader's API (``--virtual-time-budget``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _chromium_run(url, f"--window-size={width},{height}", f"--screenshot={path}")
    if not path.is_file():
        raise RuntimeError(f"chromium wrote no screenshot of {url} to {path}")
    return path


def dom(url: str, width: int = 1280, height: int = 900) -> str:
    """The page's DOM once its scripts have filled it (``--dump-dom``)."""
    return _chromium_run(url, f"--window-size={width},{height}", "--dump-dom")
