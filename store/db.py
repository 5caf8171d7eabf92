"""Engine, sessions and migrations.

SQLite is the embedded default: WAL, a busy timeout, and BEGIN IMMEDIATE so that two writers
queue instead of failing with "database is locked" when one upgrades a read to a write.
PostgreSQL is production: migrations run under an advisory lock so replicas starting together
do not race.
"""
from __future__ import annotations

import contextlib
import os
import random
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DataError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")
MIGRATIONS = Path(__file__).with_name("migrations")
_MIGRATION_LOCK = 74_18  # any constant shared by every replica


def make_engine(url: str, *, writer: bool = True, autocheckpoint: bool = True) -> Engine:
    """writer=False: transactions that only read (BEGIN DEFERRED on SQLite: they never wait on writers).
    autocheckpoint=False: a background thread checkpoints the SQLite WAL (see checkpoint()), so no
    request pays for it."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            dbapi_conn.isolation_level = None  # let SQLAlchemy, not pysqlite, open transactions
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if not autocheckpoint:
                cur.execute("PRAGMA wal_autocheckpoint=0")
            cur.close()

        _render_from_hints(engine.dialect)

        @event.listens_for(engine, "begin")
        def _begin(conn):
            if writer:
                _begin_immediate(conn)
            else:
                conn.exec_driver_sql("BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


BUSY_TIMEOUT_MS = 30_000


def _render_from_hints(dialect) -> None:
    """SQLAlchemy's SQLite compiler drops a statement's FROM hints (`Select.with_hint`); SQLite's
    `INDEXED BY` is one, and this engine writes it. An engine made elsewhere drops it again, which
    changes a plan, never an answer."""
    class Compiler(dialect.statement_compiler):
        def get_from_hint_text(self, table, text):
            return text

    dialect.statement_compiler = Compiler


def _begin_immediate(conn, wait: float = BUSY_TIMEOUT_MS / 1000) -> None:
    """Take SQLite's write lock, waiting for another process's writer (the outbox sender) finely.

    SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25 … ms between its tries, so a command
    that arrives while the sender holds the lock for one millisecond loses 10-40 ms. Here the
    wait is a poll every 0.2-2 ms, for `wait` seconds in all (SQLite's own timeout, as before); the
    last try goes through SQLAlchemy, so the error (if any) is the one it always raised."""
    raw = conn.connection.driver_connection
    raw.execute("PRAGMA busy_timeout=0")
    try:
        deadline, delay = time.monotonic() + wait, 0.0002
        while time.monotonic() < deadline:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    break
            time.sleep(delay)
            delay = min(delay * 1.5, 0.002)
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # the last try, at once: its error is SQLAlchemy's, as ever
    finally:
        raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


class KeptReader:
    """One small read asked by every command (the directory's version), on a connection each
    thread keeps, outside any transaction: on PostgreSQL one round trip instead of a pool
    check-out with its ping, BEGIN and ROLLBACK; on SQLite one statement in autocommit (5 us,
    where a pooled connection's BEGIN, read and ROLLBACK take 0.1 ms). Each read runs to its
    end and its cursor is closed, so the kept connection holds no snapshot between reads (on
    SQLite one would stop the WAL being folded back). A kept connection that fails (the server
    restarted, SQLite busy) is closed and the read is asked again on a fresh pooled one, so a
    restart costs no command anything."""

    def __init__(self, engine: Engine, sql: str):
        from sqlalchemy.pool import NullPool

        self.engine, self.sql = engine, sql
        self._sqlite = sqlite = engine.dialect.name == "sqlite"
        self.kept = not sqlite or engine.url.database not in (None, "", ":memory:")  # a file: others see it
        # the kept connections come from an engine of their own, so they take no place in the pool
        # (on SQLite closable from any thread: close() runs in the one stopping Clerk)
        self._own = create_engine(engine.url, poolclass=NullPool,
                                  connect_args={"check_same_thread": False} if sqlite else {}) if self.kept else None
        self._local = threading.local()
        self._all: list = []  # every thread's, closed by close() or when this reader goes
        weakref.finalize(self, _close_all, self._all)

    def scalar(self):
        if self.kept:
            try:
                return self._on_kept()
            except Exception:  # noqa: BLE001 - a dead connection: dropped, and asked again below
                self._drop()
        with self.engine.connect() as conn:
            return conn.exec_driver_sql(self.sql).scalar()

    def _on_kept(self):
        raw = getattr(self._local, "raw", None)
        if raw is None:
            fairy = self._own.raw_connection()
            fairy.detach()  # this thread's own, outside any pool
            raw = fairy.dbapi_connection
            if self._sqlite:
                raw.isolation_level = None  # autocommit: pysqlite opens no transaction
            else:
                raw.autocommit = True  # no transaction, so no snapshot is held
            self._local.raw = raw
            self._all.append(raw)
        cursor = raw.cursor()
        try:
            rows = cursor.execute(self.sql).fetchall()  # to its end: the statement holds nothing after
        finally:
            cursor.close()
        return rows[0][0] if rows else None

    def _drop(self) -> None:
        raw, self._local.raw = getattr(self._local, "raw", None), None
        if raw is not None:
            with contextlib.suppress(ValueError):
                self._all.remove(raw)
            _close_all([raw])

    def close(self) -> None:
        _close_all(self._all)


def _close_all(raws: list) -> None:
    while raws:
        with contextlib.suppress(Exception):
            raws.pop().close()


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    from store.imports import hide_unfinished

    return hide_unfinished(sessionmaker(engine, expire_on_commit=False))


_SQLITE_WRITERS: dict[str, threading.RLock] = {}


@contextlib.contextmanager
def unit_of_work(sessions: sessionmaker[Session], *, serializable: bool = False) -> Iterator[Session]:
    """One transaction: everything in it commits together or not at all.

    On SQLite, writers of one process queue on a lock first: SQLite's own busy handler sleeps
    and retries in no particular order, which made the slowest command wait seconds; BEGIN
    IMMEDIATE then makes every write transaction see the last one whole.

    `serializable`: a change that decides from what is stored (is it still open? is there another
    secretary?) runs, on PostgreSQL, as a SERIALIZABLE transaction: of two that conflict, one is
    stopped (`conflicted`) and the caller runs it again, when it sees the other's change, so the
    answer is the one it would get in sequence. SQLite's writers are one at a time anyway."""
    bind = sessions.kw.get("bind")
    lock = None
    if bind is not None and bind.dialect.name == "sqlite":
        lock = _SQLITE_WRITERS.setdefault(str(bind.url), threading.RLock())
    with lock or contextlib.nullcontext():
        with sessions() as session, session.begin():
            if serializable and bind is not None and bind.dialect.name == "postgresql":
                session.connection(execution_options={"isolation_level": "SERIALIZABLE"})
            yield session


# SQLSTATEs of a transaction that lost a race and is worth running again: serialization failure,
# deadlock, and a unique key taken meanwhile (PostgreSQL may report a serializable transaction's
# conflict that way).
RETRYABLE = frozenset(("40001", "40P01", "23505"))


def sqlstate(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", exc)
    return getattr(orig, "sqlstate", None) or getattr(getattr(orig, "diag", None), "sqlstate", None)


def conflicted(exc: BaseException) -> bool:
    """A transaction another one beat to the same rows: run it again and it sees the other's change."""
    return sqlstate(exc) in RETRYABLE


def serially(sessions: sessionmaker[Session], work: Callable[[Session], T], *, attempts: int = 8,
             serializable: bool = True) -> T:
    """`work` in a `serializable` unit of work, run again (after a short, growing pause) while it
    loses a race to another change: it then sees that change, and decides as it would in sequence.
    serializable=False for work that only adds (its unique keys still make it run again on a clash)."""
    for attempt in range(1, attempts + 1):
        try:
            with unit_of_work(sessions, serializable=serializable) as s:
                return work(s)
        except DBAPIError as exc:
            if not conflicted(exc) or attempt == attempts:
                raise
            time.sleep(random.uniform(0.002, 0.01) * attempt)
    raise AssertionError("unreachable")


def unstorable(exc: BaseException) -> bool:
    """A value the database will not store (PostgreSQL's class 22: a NUL byte, a string too long)."""
    return isinstance(exc, DataError) or (sqlstate(exc) or "").startswith("22")


@contextlib.contextmanager
def reading(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A transaction that only reads (pass the sessionmaker of a writer=False engine)."""
    with sessions() as session, session.begin():
        yield session


def checkpoint(engine: Engine) -> tuple[int, int, int] | None:
    """Fold the SQLite WAL back into the database, off the request path (no-op elsewhere).
    Returns SQLite's (busy, frames in the WAL, frames checkpointed)."""
    if engine.dialect.name != "sqlite":
        return None
    conn = engine.raw_connection()  # outside a transaction: a checkpoint cannot run inside one
    try:
        return tuple(conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone())
    finally:
        conn.close()


def alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


class UnsuitableDatabase(Exception):
    """The database cannot run Clerk's statements (start-up says so in one line)."""


SQLITE_NEEDED = (3, 35, 0)  # UPDATE/INSERT ... RETURNING


def check_sqlite(version: tuple[int, ...], conn) -> None:
    """SQLite 3.35 or later (RETURNING), with its JSON functions (lists pass their ids as one JSON
    array): built into SQLite from 3.38, and into every current Python build before that."""
    if tuple(version) < SQLITE_NEEDED:
        raise UnsuitableDatabase(f"SQLite {'.'.join(map(str, version))} is too old: Clerk needs "
                                 f"{'.'.join(map(str, SQLITE_NEEDED))} or later")
    try:
        conn.exec_driver_sql("SELECT count(*) FROM json_each('[1]')").scalar()
    except Exception:  # noqa: BLE001 - any failure here means the same thing
        raise UnsuitableDatabase("this SQLite has no JSON functions (json_each), which Clerk needs: "
                                 "use a Python built with SQLite 3.38 or later") from None


def revisions() -> list[str]:
    """Every schema revision, oldest first (the migrations' own order)."""
    from alembic.script import ScriptDirectory

    cfg = alembic_config(None)
    return [r.revision for r in reversed(list(ScriptDirectory.from_config(cfg).walk_revisions()))]


def upgrade(engine: Engine, to: str = "head") -> None:
    """Apply migrations up to `to` (head by default; idempotent)."""
    from alembic import command

    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _MIGRATION_LOCK})
            try:
                _refuse_newer(conn)
                cfg = alembic_config(engine)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, to)
                conn.commit()
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _MIGRATION_LOCK})
                conn.commit()
    else:
        # One transaction for the whole upgrade (alembic treats SQLite DDL as non-transactional and
        # would commit step by step): the writer engine's BEGIN IMMEDIATE makes a second process
        # starting at the same time wait, then find the database up to date.
        with engine.begin() as conn:
            check_sqlite(sqlite3.sqlite_version_info, conn)
            _refuse_newer(conn)
            cfg = alembic_config(engine)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, to)


# -- where the database lives, and whether it can be written (start-up and /healthz) -----------

READ_ONLY_STATES = frozenset(("25006",))  # PostgreSQL: read_only_sql_transaction (a standby, a read-only default)


def read_only(exc: BaseException) -> bool:
    """The database refused a write because it is read-only (SQLite's SQLITE_READONLY family, a
    PostgreSQL standby or read-only transaction), not because it was busy or the value was bad."""
    orig = getattr(exc, "orig", None) or exc
    if isinstance(orig, sqlite3.Error):
        return (getattr(orig, "sqlite_errorname", "") or "").startswith("SQLITE_READONLY") \
            or "readonly database" in str(orig)
    return (sqlstate(exc) or "") in READ_ONLY_STATES


def sqlite_file(url: str) -> Path | None:
    """The file an SQLite URL names (None for memory, or another database)."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:" or \
            u.database.startswith("file:"):
        return None
    return Path(u.database)


def check_place(url: str) -> None:
    """Before the first connection: the folder of an SQLite file exists and may be written (SQLite
    writes its -wal and -shm files beside the database), and so may the file. One line when not."""
    path = sqlite_file(url)
    if path is None:
        return
    folder = path.absolute().parent
    if not folder.is_dir():
        raise UnsuitableDatabase(f"the folder {folder} does not exist: create it, or mount a volume there, "
                                 "or point DATABASE_URL at another file")
    if path.exists() and not os.access(path, os.W_OK):
        raise UnsuitableDatabase(f"the database file {path} is read-only for this user (uid {os.getuid()}): "
                                 "make it writable, or run Clerk as its owner")
    if not os.access(folder, os.W_OK):
        raise UnsuitableDatabase(f"the folder {folder} is read-only for this user (uid {os.getuid()}): SQLite "
                                 "writes its journal beside the database, so the folder must be writable")


def write_problem(engine: Engine, wait: float = 2.0) -> str | None:
    """A cheap write that is rolled back: None when the database takes writes, else why not
    ("read-only", "busy", or the error's name). Never waits on a busy database longer than `wait`."""
    try:
        if engine.dialect.name == "sqlite":
            raw = engine.raw_connection()
            try:
                raw.execute(f"PRAGMA busy_timeout={int(wait * 1000)}")
                raw.execute("BEGIN IMMEDIATE")
                try:
                    raw.execute("UPDATE alembic_version SET version_num = version_num")
                finally:
                    raw.execute("ROLLBACK")
            finally:
                raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                raw.close()
        else:
            with engine.connect() as conn, conn.begin() as tx:
                conn.execute(text(f"SET LOCAL lock_timeout = {int(wait * 1000)}"))
                conn.execute(text("UPDATE alembic_version SET version_num = version_num"))
                tx.rollback()
    except Exception as exc:  # noqa: BLE001 - health reports, never raises
        if read_only(exc):
            return "read-only"
        if "locked" in str(exc) or (sqlstate(exc) or "") == "55P03":
            return "busy"
        return type(getattr(exc, "orig", None) or exc).__name__
    return None


def schema_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (None before the first migration)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _refuse_newer(conn) -> None:
    """A database a newer Clerk migrated is left as it is, with one line saying so."""
    from alembic.runtime.migration import MigrationContext

    have = MigrationContext.configure(conn).get_current_revision()
    if have is not None and have not in revisions():
        raise UnsuitableDatabase(NEWER.format(have=have))


NEWER = ("the database is at schema revision {have}, which this Clerk does not know: it was written by a newer "
         "Clerk. Run that version (or newer), or restore a backup made by this one")


def schema_problem(engine: Engine) -> str | None:
    """None when the database's schema is this code's; else what is wrong, in words."""
    have, known = schema_revision(engine), revisions()
    if have == known[-1]:
        return None
    if have is not None and have not in known:
        return NEWER.format(have=have)
    return f"migrations are not applied (at {have or 'none'}, code needs {known[-1]}): run python bot.py db upgrade"
