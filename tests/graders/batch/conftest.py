"""Fixtures of the class-side tests: a private PostgreSQL server (session-scoped: it starts once)."""
from __future__ import annotations

from typing import Iterator

import pytest

from tests.support.postgres import PostgresUnavailable, PrivateServer, start_private_server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PrivateServer]:
    """A private PostgreSQL cluster on a unix socket (see :mod:`tests.support.postgres`), with the
    psycopg driver; the test is skipped, saying why, where either is missing or it cannot start."""
    try:
        import psycopg  # noqa: F401
    except ImportError as error:
        pytest.skip(f"the PostgreSQL driver psycopg is not installed ({error}): run scripts/install")
    try:
        server = start_private_server()
    except PostgresUnavailable as error:
        pytest.skip(str(error))
    yield server
    server.stop()
