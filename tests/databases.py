"""Test databases for Clerk: every store test runs on SQLite *and* PostgreSQL.

Loaded as a pytest plugin from tests/conftest.py::

    pytest_plugins = ["tests.databases"]

Fixtures
    database_url            parametrized [sqlite, postgresql]: a SQLAlchemy URL of a
                            fresh, empty database that is removed after the test.
    postgres_database_url   a fresh PostgreSQL database only (no SQLite variant).

Marker
    @pytest.mark.postgres_only   run only the `postgresql` variant of database_url.
    The postgresql variant carries the `postgresql` marker, so `-m "not postgresql"`
    deselects it.

Environment
    CLERK_TEST_POSTGRES_URL  SQLAlchemy URL of a server where the tests may CREATE and
                             DROP databases, e.g.
                             postgresql+psycopg://clerk:clerk@127.0.0.1:5432/postgres
                             (`python3 tasks.py test` sets it when that server answers).
                             Unset: the PostgreSQL variants are skipped, loudly.
    CLERK_REQUIRE_POSTGRES=1 a missing CLERK_TEST_POSTGRES_URL fails instead of skipping.
"""
from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator

import pytest

ENV_URL = "CLERK_TEST_POSTGRES_URL"
ENV_REQUIRE = "CLERK_REQUIRE_POSTGRES"
DATABASE_PREFIX = "clerk_t_"

# The terminal summary counts skips whose reason contains this text.
SKIP_TAG = "PostgreSQL not configured"
SKIP_REASON = (f"{SKIP_TAG}: set {ENV_URL}=postgresql+psycopg://user:pw@host:5432/postgres "
               "or run `python3 tasks.py test` with a local server")


def postgres_required() -> bool:
    return os.environ.get(ENV_REQUIRE, "").strip() == "1"


def postgres_server_url() -> str:
    """CLERK_TEST_POSTGRES_URL, or skip (fail when CLERK_REQUIRE_POSTGRES=1) if unset."""
    url = os.environ.get(ENV_URL, "").strip()
    if url:
        return url
    if postgres_required():
        pytest.fail(f"{ENV_REQUIRE}=1 but {ENV_URL} is not set", pytrace=False)
    pytest.skip(SKIP_REASON)


def _connect_kwargs(url) -> dict:
    kwargs = {"host": url.host or "localhost", "port": url.port or 5432,
              "dbname": url.database or "postgres", "autocommit": True,
              "connect_timeout": 10}
    if url.username:
        kwargs["user"] = url.username
    if url.password is not None:
        kwargs["password"] = url.password
    kwargs.update({k: v for k, v in url.query.items() if isinstance(v, str)})
    return kwargs


@contextlib.contextmanager
def new_postgres_database(server_url: str | None = None,
                          prefix: str = DATABASE_PREFIX) -> Iterator[str]:
    """Create an empty database `<prefix><random hex>` and yield its SQLAlchemy URL.

    `server_url` defaults to CLERK_TEST_POSTGRES_URL (skipping/failing the calling test
    when unset, see postgres_server_url()).  The maintenance connection goes to the
    database named in that URL (normally `postgres`).  The database is dropped WITH
    (FORCE) on exit, so engines the test forgot to dispose of do not block the drop.
    """
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    server = make_url(server_url or postgres_server_url())
    if server.get_backend_name() != "postgresql":
        raise ValueError(f"{ENV_URL} must be a postgresql URL, not {server.drivername}")
    name = f"{prefix}{secrets.token_hex(6)}"
    admin = _connect_kwargs(server)

    with psycopg.connect(**admin) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'")
                     .format(sql.Identifier(name)))
    try:
        yield (server.set(drivername="postgresql+psycopg", database=name)
               .render_as_string(hide_password=False))
    finally:
        _drop(admin, name)


def _drop(admin: dict, name: str, tries: int = 20) -> None:
    """Drop a test database. An autovacuum worker inside it can make FORCE fail for a role without
    pg_signal_backend; it finishes in moments, so wait and try again."""
    import time

    import psycopg
    from psycopg import sql

    for attempt in range(tries):
        try:
            with psycopg.connect(**admin) as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            return
        except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectInUse):
            if attempt == tries - 1:
                raise
            time.sleep(0.25)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """SQLAlchemy URL of a fresh, empty database (ids: sqlite, postgresql)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/clerk.db"
    else:
        with new_postgres_database() as url:
            yield url


@pytest.fixture
def postgres_database_url() -> Iterator[str]:
    """SQLAlchemy URL of a fresh, empty PostgreSQL database."""
    with new_postgres_database() as url:
        yield url


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "postgresql: the PostgreSQL variant of a database_url test")
    config.addinivalue_line(
        "markers", "postgres_only: run only the postgresql variant of database_url")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    keep, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        if (item.get_closest_marker("postgres_only") is not None and callspec is not None
                and callspec.params.get("database_url") == "sqlite"):
            dropped.append(item)
        else:
            keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr or "")


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    skipped = [r for r in terminalreporter.stats.get("skipped", [])
               if SKIP_TAG in _skip_reason(r)]
    if not skipped:
        return
    lines = [
        f"{len(skipped)} PostgreSQL test(s) SKIPPED: {ENV_URL} is not set.",
        "Only SQLite was tested. To test PostgreSQL too, either",
        "  - run `python3 tasks.py test` with a server on 127.0.0.1:5432 and a role",
        "    clerk/clerk that has CREATEDB, or",
        f"  - export {ENV_URL}=postgresql+psycopg://user:pw@host:5432/postgres",
        f"CI sets {ENV_REQUIRE}=1, which turns these skips into failures.",
    ]
    width = max(len(line) for line in lines) + 6
    terminalreporter.write_line("")
    terminalreporter.write_line("!" * width, red=True, bold=True)
    for line in lines:
        terminalreporter.write_line(f"!! {line}".ljust(width - 2) + "!!", red=True, bold=True)
    terminalreporter.write_line("!" * width, red=True, bold=True)
