"""How long an action-reminders sweep takes: it must follow the number of actions due, not the log's size.

    .venv/bin/python bench/sweep.py [--actions 100000] [--due 1000 10000] [--database-url URL | --postgres-server URL]

Seeds a board with --actions actions (Core inserts), of which N are due for a reminder at the sweep's
instant and the rest are closed or due months ahead; runs jobs.action_reminders.run inside a
transaction that is rolled back, three times per N, and prints the median. On PostgreSQL it also
prints the plan of the sweep's query, to show the index is used. Not part of the test suite."""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from zoneinfo import ZoneInfo  # noqa: E402

from sqlalchemy import insert, select, text, update  # noqa: E402

from jobs import action_reminders  # noqa: E402
from jobs.notify import Notifier  # noqa: E402
from store.calendar import WorkingCalendar  # noqa: E402
from store.db import make_engine, make_sessionmaker, upgrade  # noqa: E402
from store.models import Action, ActionOwner, Board, BoardRole, Person  # noqa: E402

NOW = dt.datetime(2026, 11, 23, 10, tzinfo=dt.timezone.utc)  # a Monday, in working hours
TODAY = NOW.date()
PEOPLE = 40


def seed(engine, n_actions: int) -> list[int]:
    """n_actions actions, none due near TODAY yet; returns the ids of the open ones (to make due)."""
    with engine.begin() as conn:
        conn.execute(insert(Board), [{"name": "P&R", "key": "p&r", "numbering": "calendar-year",
                                      "closure_rule": "direct", "paper_deadline_days": 10, "created": NOW}])
        conn.execute(insert(Person), [{"name": f"Officer {i}", "initials": f"O{i:02d}", "slack_user_id": f"UO{i:04d}",
                                       "created": NOW} for i in range(PEOPLE)])
        conn.execute(insert(BoardRole), [{"board_id": 1, "person_id": 1, "role": "secretary"}])
        rows, owners = [], []
        for i in range(n_actions):
            year = 2016 + i % 11
            is_open = i % 5 == 0  # a fifth open, due months ahead; the rest closed
            rows.append({"id": i + 1, "board_id": 1, "year": year, "number": i // 11 + 1, "title": f"Action {i}",
                         "due": TODAY + dt.timedelta(days=120 + i % 200) if is_open else dt.date(year, 6, 1),
                         "status": "open" if is_open else "closed", "private": False,
                         "raised": dt.date(year, 1, 1), "closed": None if is_open else dt.date(year, 7, 1)})
            owners.append({"action_id": i + 1, "person_id": 1 + i % PEOPLE, "position": 0})
        for start in range(0, n_actions, 10_000):
            conn.execute(insert(Action), rows[start:start + 10_000])
            conn.execute(insert(ActionOwner), owners[start:start + 10_000])
    with engine.connect() as conn:
        return list(conn.scalars(select(Action.id).where(Action.status == "open").order_by(Action.id)))


def make_due(engine, open_ids: list[int], n: int) -> None:
    """The first n open actions fall due (a week from today, or today); the rest back to months ahead."""
    with engine.begin() as conn:
        conn.execute(update(Action).where(Action.status == "open")
                     .values(due=TODAY + dt.timedelta(days=150)))
        for start in range(0, n, 5000):
            chunk = open_ids[start:min(n, start + 5000)]
            conn.execute(update(Action).where(Action.id.in_(chunk[::2])).values(due=TODAY + dt.timedelta(days=7)))
            conn.execute(update(Action).where(Action.id.in_(chunk[1::2])).values(due=TODAY))


def sweep_once(sessions, calendar) -> tuple[float, int]:
    with sessions() as s, s.begin():
        notify = Notifier(s, NOW, calendar, ZoneInfo("Europe/London"))
        t0 = time.perf_counter()
        owed = action_reminders.run(s, NOW, notify)
        elapsed = time.perf_counter() - t0
        s.rollback()
    return elapsed, sum(len(o.occasions) for o in owed)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--actions", type=int, default=100_000)
    p.add_argument("--due", type=int, nargs="+", default=[0, 1000, 10_000])
    p.add_argument("--database-url")
    p.add_argument("--postgres-server", metavar="URL", help="make a throwaway database there")
    args = p.parse_args(argv)
    cleanup = None
    if args.postgres_server:
        import psycopg
        from sqlalchemy.engine import make_url
        server = make_url(args.postgres_server)
        name = f"clerk_bench_{uuid.uuid4().hex[:8]}"
        dsn = server.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = server.set(database=name).render_as_string(hide_password=False)

        def drop():
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        cleanup = drop
    else:
        url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/sweep.db"
    engine = make_engine(url)
    try:
        upgrade(engine)
        t0 = time.perf_counter()
        open_ids = seed(engine, args.actions)
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        print(f"{engine.dialect.name}: seeded {args.actions:,} actions ({len(open_ids):,} open) in "
              f"{time.perf_counter() - t0:.1f} s")
        sessions, calendar = make_sessionmaker(engine), WorkingCalendar("ENG")
        print(f"{'due':>8} {'reminders':>10} {'sweep ms (median of 3)':>24} {'ms per due action':>18}")
        for n in args.due:
            make_due(engine, open_ids, n)
            runs = [sweep_once(sessions, calendar) for _ in range(3)]
            ms = statistics.median(r[0] for r in runs) * 1000
            per = f"{ms / n:.3f}" if n else "-"
            print(f"{n:>8,} {runs[0][1]:>10,} {ms:>24.1f} {per:>18}")
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                horizon = TODAY + dt.timedelta(days=10)
                plan = conn.execute(text(
                    "EXPLAIN SELECT * FROM action WHERE board_id = 1 AND status IN ('open', 'closure proposed', "
                    f"'closing when') AND due IS NOT NULL AND due <= '{horizon}' ORDER BY due, number")).scalars().all()
            print("PostgreSQL plan of the sweep's query:\n  " + "\n  ".join(plan))
    finally:
        engine.dispose()
        if cleanup:
            cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
