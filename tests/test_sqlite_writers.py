"""SQLite: a command's writer waits for another process's writer (the outbox sender's process) by
polling for the lock (store.db._begin_immediate), and then writes; it is never refused for it."""
import sqlite3
import threading
import time

from sqlalchemy import text

from store import db
from store.db import BUSY_TIMEOUT_MS, make_engine


def test_a_writer_waits_for_another_processes_write_lock_then_writes_after_it(tmp_path, monkeypatch):
    path = tmp_path / "w.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE said (who TEXT)"))
    other = sqlite3.connect(path, isolation_level=None)  # as the sender's process holds it
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO said VALUES ('sender')")
    waiting, failed = threading.Event(), []
    real_sleep = time.sleep

    def sleep(seconds):  # store.db sleeps only between tries of a lock someone else holds
        waiting.set()
        real_sleep(seconds)

    monkeypatch.setattr(db.time, "sleep", sleep)

    def command():
        try:
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO said VALUES ('command')"))
                failed.append(conn.exec_driver_sql("PRAGMA busy_timeout").scalar())
        except Exception as exc:  # noqa: BLE001 - what the test reports
            failed.append(exc)

    worker = threading.Thread(target=command)
    worker.start()
    assert waiting.wait(timeout=30)  # it found the lock taken and is polling for it
    other.execute("COMMIT")
    worker.join(timeout=30)
    assert failed == [BUSY_TIMEOUT_MS]  # no error, and SQLite's own timeout back for the statements after
    with engine.connect() as conn:
        assert [r[0] for r in conn.execute(text("SELECT who FROM said ORDER BY rowid"))] == ["sender", "command"]
    other.close()
    engine.dispose()
