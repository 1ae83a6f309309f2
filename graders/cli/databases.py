"""Database URLs as a TA gives them (``--db``, ``--gradebook``): checked before anything is
written, one line and a hint for a mistake. Apart from :mod:`graders.cli.options` because it
needs SQLAlchemy, which ``geodl grade`` (and a Gradescope bundle) never imports."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from graders.cli.options import shown
from graders.errors import ConfigurationError

if TYPE_CHECKING:
    from graders.batch.store import ResultStore


def database_url(value: str, *, option: str, existing: bool) -> str:
    """The SQLAlchemy URL ``option`` (``--db``, ``--gradebook``) names, once it parses and its
    database and driver are installed: a value without ``://`` is a SQLite file's path. A SQLite
    URL must name a file (not a host, not ``:memory:``) in a folder that exists; with
    ``existing``, the file itself must exist (reading never creates an empty database).
    Raises :class:`~graders.errors.ConfigurationError` naming the value and the fix.

    >>> database_url("results.db", option="--db", existing=False).startswith("sqlite:////")
    True
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    url_text = value if "://" in value else f"sqlite:///{Path(value).resolve()}"
    example = "sqlite:///geodl-out/results.db (a relative path) or postgresql://user@host/geodl"
    try:
        url = make_url(url_text)
    except (ArgumentError, ValueError) as exc:
        raise ConfigurationError(f"{option}={shown(value)} is not a SQLAlchemy URL ({exc})",
                                 reference="bad-database-url", hint=f"write e.g. {example}") from None
    try:
        dialect = url.get_dialect()
    except NoSuchModuleError:
        raise ConfigurationError(f"{option}={shown(value)} names an unknown database {url.drivername!r}",
                                 reference="bad-database-url", hint=f"write e.g. {example}") from None
    try:
        dialect.import_dbapi()
    except ImportError as exc:
        raise ConfigurationError(f"{option}={shown(value)} needs the Python package {exc.name or url.drivername!r}, "
                                 "which is not installed", reference="database-driver-missing",
                                 hint="install it, or use a SQLite file (sqlite:///geodl-out/results.db)") from None
    if url.get_backend_name() == "sqlite":
        _check_sqlite(url.host, url.database, value=value, option=option, existing=existing)
    return url_text


def _check_sqlite(host: str | None, database: str | None, *, value: str, option: str, existing: bool) -> None:
    if host:
        raise ConfigurationError(f"{option}={shown(value)} names a host ({host!r}); a SQLite URL names a file",
                                 reference="bad-database-url",
                                 hint=f"three slashes before a relative path (sqlite:///{host}/{database or ''}), "
                                      f"four before an absolute one (sqlite:////{host}/{database or ''})")
    if not database or database == ":memory:":
        raise ConfigurationError(f"{option}={shown(value)} is an in-memory SQLite database, which keeps nothing",
                                 reference="bad-database-url", hint="name a file: sqlite:///geodl-out/results.db")
    path = Path(database)
    if existing and not path.is_file():
        raise ConfigurationError(f"there is no results store at {shown(database)}", reference="no-results-store",
                                 hint="run 'geodl batch' first, or pass the --db it wrote (OUT/results.db)")
    if not path.parent.is_dir():
        raise ConfigurationError(f"{option}={shown(value)}: the folder {shown(str(path.parent))} does not exist",
                                 reference="database-folder-missing",
                                 hint="create the folder first, or choose a path in an existing one")


def open_results_store(url: str, *, named: str, verb: str, hint: str) -> ResultStore:
    """The results store at the SQLAlchemy ``url``; a database that cannot be reached or is not a
    results store is a :class:`~graders.errors.ConfigurationError`: "the results store ``named``
    cannot be ``verb``: <the database's reason>", with ``hint``."""
    from sqlalchemy.exc import SQLAlchemyError

    from graders.batch.store import ResultStore
    try:
        return ResultStore(url)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise ConfigurationError(f"the results store {shown(named)} cannot be {verb}: {reason}",
                                 reference="results-store-unavailable", hint=hint) from None
