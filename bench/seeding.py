"""The benchmark's data: a board's action log seeded with SQLAlchemy Core, and an import csv.

Only `store.db.upgrade(engine)` and the `store.models` tables are used (no store or service
function: their signatures change), and only the columns the benchmark needs are filled, so a
new column (nullable, or with a default) does not break it; a column named here that the schema
no longer has is left out.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import math
import random
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

BOARD, BOARD_CHANNEL, GENERAL_CHANNEL = "P&R", "CPR", "CGENERAL"
BENCH_USER = ("GA", "UGA0001")  # the secretary: may change anyone's action; owns --mine open ones
NEW_OWNER = "AH"  # /action new gives the new action to AH, so the bench user's list does not grow

FIRST = ["Anna", "Victoria", "Debbie", "Gareth", "Jane", "Glykeria", "Rob", "Sam", "Priya", "Tom", "Helen",
         "Imran", "Kate", "Liam", "Maria", "Neil", "Olive", "Paul", "Ruth", "Steve", "Una", "Will", "Yusuf",
         "Zoe", "Ben", "Chloe", "Fiona", "Hamid", "Isla", "Josh", "Karen", "Lucy", "Mark", "Nadia", "Owen"]
LAST = ["Hook", "Harrington", "Martin", "Nicholson", "Gardner", "Anyfanti", "Cole", "Patel", "Lewis",
        "Evans", "Begum", "Wright", "Young", "Khan", "Turner", "Baker", "Fisher", "Shaw", "Reid", "Quinn",
        "Ellis", "Dixon", "Mills", "Owens", "Stone", "Ward", "Iqbal", "Vaughan"]
VERBS = ["Circulate", "Report back on", "Draft", "Review", "Update the members on", "Agree", "Publish",
         "Bring a paper on", "Confirm funding for", "Write to the Home Office about", "Scope"]
TOPICS = ["the Mobile Policing pilot", "the DVPO study timeline", "the Serious Violence Strategy response",
          "the Communications plan", "the estates review", "body-worn video retention", "the 101 call backlog",
          "the OSG paper", "the victims' code audit", "the custody inspection actions", "the budget outturn",
          "the rural crime survey", "stop and search scrutiny", "the ICT contract", "the HMICFRS report"]


def people_list(n: int = 40) -> list[tuple[str, str, str | None]]:
    """(initials, name, slack user id or None); the transcript's people first, five without Slack."""
    fixed = [("GA", "Glykeria Anyfanti"), ("JG", "Jane Gardner"), ("AH", "Anna Hook"),
             ("VH", "Victoria Harrington"), ("DM", "Debbie Martin"), ("GN", "Gareth Nicholson")]
    seen = {i for i, _ in fixed}
    out = list(fixed)
    rng = random.Random(40)
    combos = [(first, last) for first in FIRST for last in LAST]
    rng.shuffle(combos)
    for first, last in combos:
        if len(out) >= n:
            break
        ini = first[0] + last[0]
        if ini in seen:
            continue
        seen.add(ini)
        out.append((ini, f"{first} {last}"))
    no_slack = {"GN"} | {ini for ini, _ in out[-4:]}
    return [(ini, name, None if ini in no_slack else f"U{ini}0001") for ini, name in out]


@dataclass
class Seeded:
    dialect: str
    people: dict[str, int]  # initials -> person id
    slack_people: int
    board_id: int
    actions: int
    events: int
    open_: int
    mine: list[str]  # refs of the bench user's open actions (what /action list mine shows)
    close_targets: list[str]  # open, not the bench user's, not Part B: each closed once
    pool: list[str]  # open, not the bench user's, not Part B: shown and updated again and again
    seconds: float
    tables: list[str] = field(default_factory=list)


def ref_of(number: int, year: int) -> str:
    return f"{number}/{year % 100:02d}"


def _engine(url: str):
    from sqlalchemy import create_engine, event

    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _wal(dbapi_conn, _record):
            dbapi_conn.execute("PRAGMA journal_mode=WAL")

        return engine
    return create_engine(url)


def _row(table, **values) -> dict:
    """Only the columns the table has (a column dropped by a migration is left out)."""
    return {k: v for k, v in values.items() if k in table.c}


def seed(url: str, n_actions: int, n_open: int, n_mine: int, today: dt.date, now: dt.datetime,
         pool_size: int = 600) -> Seeded:
    """100,000 actions (by default) numbered per year from 2016 to this year on one board, P&R."""
    from sqlalchemy import func, insert, select, text

    from store.db import upgrade
    from store.models import Action, ActionEvent, ActionOwner, Board, BoardRole, Person

    t_start = time.perf_counter()
    engine = _engine(url)
    try:
        upgrade(engine)
        A, OW, E = Action.__table__, ActionOwner.__table__, ActionEvent.__table__
        P, B, R = Person.__table__, Board.__table__, BoardRole.__table__
        with engine.connect() as conn:
            if conn.scalar(select(func.count()).select_from(A)):
                raise SystemExit("the database already holds actions: give the benchmark an empty database")
            conn.rollback()
        with engine.begin() as conn:
            listed = people_list()
            conn.execute(insert(P), [_row(P, initials=ini, name=name, slack_user_id=uid, created=now)
                                     for ini, name, uid in listed])
            ids = {ini: pid for pid, ini in conn.execute(select(P.c.id, P.c.initials))}
            conn.execute(insert(B), [_row(B, name=BOARD, key=BOARD.lower(), channel_id=BOARD_CHANNEL, created=now)])
            board_id = conn.scalar(select(B.c.id).where(B.c.channel_id == BOARD_CHANNEL))
            conn.execute(insert(R), [_row(R, board_id=board_id, person_id=ids["JG"], role="chair"),
                                     _row(R, board_id=board_id, person_id=ids[BENCH_USER[0]], role="secretary")])

        rng = random.Random(1812)
        me = ids[BENCH_USER[0]]
        others = [pid for ini, pid in ids.items() if ini != BENCH_USER[0]]
        years = list(range(2016, today.year + 1))
        per_year = {y: n_actions // len(years) for y in years}
        for y in years[len(years) - n_actions % len(years):]:  # the remainder to the latest years
            per_year[y] += 1
        index = [(y, n) for y in years for n in range(1, per_year[y] + 1)]
        recent = [i for i, (y, _) in enumerate(index) if y >= today.year - 1]
        older = [i for i, (y, _) in enumerate(index) if y < today.year - 1]
        n_recent = min(len(recent), int(n_open * 0.7))
        open_ids = set(rng.sample(recent, n_recent)) | set(rng.sample(older, min(len(older), n_open - n_recent)))
        mine = set(rng.sample(sorted(open_ids), min(n_mine, len(open_ids))))
        proposed = {i for i in open_ids - mine if rng.random() < 0.05}

        actions, owners, events = [], [], []
        mine_refs, free = [], []
        ev_id = 0

        def event(action_id, day, person, kind, old=None, new=None, text_=None):
            nonlocal ev_id
            ev_id += 1
            events.append(_row(E, id=ev_id, action_id=action_id, at=dt.datetime.combine(day, dt.time(10), dt.timezone.utc),
                               dated=day, person_id=person, kind=kind, old=old, new=new, text=text_))

        for i, (year, number) in enumerate(index):
            aid = i + 1
            start = dt.date(year, 1, 2)
            end = (today - dt.timedelta(days=3)) if year == today.year else dt.date(year, 12, 20)
            span = max(0, (end - start).days)
            raised = start + dt.timedelta(days=span * (number - 1) // max(1, per_year[year]))
            title = f"{rng.choice(VERBS)} {rng.choice(TOPICS)}"
            due = None if rng.random() < 0.08 else raised + dt.timedelta(days=rng.randint(14, 150))
            is_open = i in open_ids
            status = "closure proposed" if i in proposed else ("open" if is_open else "closed")
            closed = None if is_open else min(raised + dt.timedelta(days=rng.randint(7, 300)), today - dt.timedelta(days=1))
            private = rng.random() < 0.03
            if i in mine:
                who = [me] + ([rng.choice(others)] if rng.random() < 0.3 else [])
            else:
                who = rng.sample(others, 2 if rng.random() < 0.25 else 1)
                if not is_open and rng.random() < 0.02:
                    who[0] = me
            actions.append(_row(A, id=aid, board_id=board_id, year=year, number=number, title=title, due=due,
                                status=status, closing_condition=None, private=private, raised=raised, closed=closed))
            owners += [_row(OW, action_id=aid, person_id=pid, position=pos) for pos, pid in enumerate(who)]
            event(aid, raised, me, "raised", new=title)
            last = closed or today
            if rng.random() < 0.35 and last > raised:
                event(aid, raised + dt.timedelta(days=rng.randint(0, (last - raised).days)), who[0], "update",
                      text_="Paper circulated; discussed at the last meeting")
            if closed:
                event(aid, closed, who[0], "status", old="open", new="closed")
            elif status == "closure proposed":
                event(aid, today - dt.timedelta(days=2), who[0], "status", old="open", new="closure proposed")
            if i in mine:
                mine_refs.append(ref_of(number, year))
            elif is_open and status == "open" and not private:
                free.append(ref_of(number, year))
        rng.shuffle(free)
        pool, close_targets = free[:pool_size], free[pool_size:]

        chunk = 5000
        with engine.begin() as conn:
            for table, rows in ((A, actions), (OW, owners), (E, events)):
                for k in range(0, len(rows), chunk):
                    conn.execute(insert(table), rows[k:k + chunk])
            if engine.dialect.name == "postgresql":
                for table in ("person", "board", "board_role", "action", "action_event"):
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                      f"(SELECT max(id) FROM {table}))"))
        if engine.dialect.name == "postgresql":
            # as autovacuum does after a bulk load (an insert-driven VACUUM, then ANALYZE): a
            # database that has held its log for a while has its visibility map set, so a query
            # that an index answers alone does not visit the table (VACUUM runs outside a transaction)
            with engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
        return Seeded(engine.dialect.name, ids, sum(1 for _, _, uid in listed if uid), board_id, len(actions),
                      len(events), len(open_ids), mine_refs, close_targets, pool, time.perf_counter() - t_start)
    finally:
        engine.dispose()


def write_import_csv(path: Path, rows: int, today: dt.date, first_year: int = 1996, last_year: int = 2015) -> None:
    """The board's older log (1996-2015 by default: two-digit years that no seeded ref has, so no
    typed ref becomes ambiguous), in the export format: ref, title, owners, due, status, raised,
    closed, last_update, private. Mostly closed; a few unknown owners; quoted commas."""
    rng = random.Random(74)
    known = [ini for ini, _, _ in people_list() if ini != BENCH_USER[0]]  # the bench user's list stays as it is
    years = list(range(first_year, last_year + 1))
    per = math.ceil(rows / len(years))
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["ref", "title", "owners", "due", "status", "raised", "closed", "last_update", "private"])
        k = 0
        for y in years:
            for number in range(1, per + 1):
                if k >= rows:
                    break
                k += 1
                raised = dt.date(y, 1, 2) + dt.timedelta(days=min(330, (number - 1) * 330 // per))
                owners = rng.sample(known, 2 if rng.random() < 0.25 else 1)
                if rng.random() < 0.03:
                    owners = ["Pat Unregistered"] if rng.random() < 0.5 else ["ZQ"]
                r = rng.random()
                status = ("open" if r < 0.004 else "closure proposed" if r < 0.006 else
                          "closing when the paper is agreed" if r < 0.008 else "closed")
                closed = min(raised + dt.timedelta(days=rng.randint(7, 300)), today) if status == "closed" else None
                due = "" if rng.random() < 0.08 else (raised + dt.timedelta(days=rng.randint(14, 150))).isoformat()
                update = ""
                if rng.random() < 0.35:
                    update = (f"{(raised + dt.timedelta(days=5)).isoformat()}: Paper circulated, see \"Annex A\", "
                              "comments by Friday")
                title = f"{rng.choice(VERBS)} {rng.choice(TOPICS)}" + (", with costs" if rng.random() < 0.1 else "")
                w.writerow([ref_of(number, y), title, "; ".join(owners), due, status, raised.isoformat(),
                            closed.isoformat() if closed else "", update, "yes" if rng.random() < 0.03 else "no"])


def outbox_counts(url: str) -> dict[str, int] | None:
    """The outbox's rows by status (None when the table cannot be read)."""
    from sqlalchemy import text

    engine = _engine(url)
    try:
        with engine.connect() as conn:
            return {status: n for status, n in conn.execute(text("SELECT status, count(*) FROM outbox GROUP BY status"))}
    except Exception:  # noqa: BLE001 - a renamed table only costs the report a line
        return None
    finally:
        engine.dispose()


def count_rows(url: str, table: str, where: str = "") -> int | None:
    from sqlalchemy import text

    engine = _engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(text(f"SELECT count(*) FROM {table}" + (f" WHERE {where}" if where else "")))
    except Exception:  # noqa: BLE001
        return None
    finally:
        engine.dispose()


def postgres_reachable(server_url: str, timeout: int = 3) -> str | None:
    """None when the server answers; else why not."""
    try:
        import psycopg

        with psycopg.connect(_dsn(server_url), connect_timeout=timeout) as conn:
            conn.execute("SELECT 1")
        return None
    except Exception as exc:  # noqa: BLE001 - reported, and the run goes on with SQLite
        return f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:300]


def _dsn(server_url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(server_url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextlib.contextmanager
def throwaway_postgres(server_url: str, prefix: str = "clerk_bench_") -> Iterator[str]:
    """CREATE DATABASE <prefix><hex> on the server (needs CREATEDB), yield its URL, DROP it WITH (FORCE)."""
    import psycopg
    from sqlalchemy.engine import make_url

    name = prefix + secrets.token_hex(4)
    with psycopg.connect(_dsn(server_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_dsn(server_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
