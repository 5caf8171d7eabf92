"""How fast Clerk answers slash commands with a realistic log, against two do-nothing Bolt apps.

    .venv/bin/python bench/commands.py [--actions 100000] [--requests 300] [--database-url URL]

Seeds a log (100,000 actions over 2016-2026, a few thousand open) in a fresh SQLite file, starts
three HTTP servers, each in its own process, each waitress + Bolt's WSGI adapter with the same
thread count as Clerk's make_http_server:

    clerk         Clerk itself (bot.Clerk, build_slack, make_http_server), clock fixed at 2026-11-23
    bolt-default  a Bolt app that only acks, Bolt's defaults (ack waits on a ~10 ms poll)
    bolt-pbr      the same with process_before_response=True

and a fake Slack Web API (tests.fakeslack) for all three, so no network is touched. Then it sends
signed `/action close <ref>`, `/action list mine` and `/action new ... owner AH due 14/12`, the
same bodies to the three servers, interleaved per round, and prints p50/p99 per command and
server, and the ratios Clerk p99 / bare p99 (target: Clerk p99 <= half the default app's).
The outbox sender is not started unless --with-sender (then both runs are reported). When the
target is missed, one slow command is profiled (SQL per statement, cProfile, query plans).
It also times `python bot.py import actions FILE` on a generated 10,000-row csv.

Not part of the test suite. See bench/README.md.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import gc
import io
import itertools
import json
import math
import os
import platform
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SCRIPT = Path(__file__).resolve()
SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench-token"
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.timezone.utc)  # Clerk's clock for the whole run
TODAY = NOW.date()
YEARS = range(2016, 2027)
CMDS = ("close", "list", "new")
SERVERS = ("clerk", "bolt-default", "bolt-pbr")
BENCH_USER = ("GA", "UGA0001")  # the secretary: may close anyone's action; owns a handful herself
BOARD, BOARD_CHANNEL, GENERAL_CHANNEL = "P&R", "CPR", "CGENERAL"
TARGET_RATIO = 0.5


# ==========================================================================================
# numbers
# ==========================================================================================

def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p99 of 300 samples is the 297th smallest)."""
    if not values:
        return float("nan")
    xs = sorted(values)
    return xs[max(0, math.ceil(p / 100 * len(xs)) - 1)]


def f1(x: float) -> str:
    return "-" if x != x else (f"{x:.1f}" if x < 100 else f"{x:.0f}")


# ==========================================================================================
# child processes: the fake Slack, and the three servers
# ==========================================================================================

def child_fake() -> int:
    from tests.fakeslack import FakeSlack

    fake = FakeSlack().start()
    print("READY " + json.dumps({"url": fake.url}), flush=True)
    sys.stdin.read()  # until the parent closes our stdin
    counts = Counter(c.method for c in fake.calls)
    fake.stop()
    print("RESULT " + json.dumps(dict(counts)), flush=True)
    return 0


def child_serve(argv: list[str]) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--kind", choices=SERVERS, required=True)
    p.add_argument("--fake-url", required=True)
    p.add_argument("--database-url")
    p.add_argument("--with-sender", action="store_true")
    p.add_argument("--profile", action="store_true")
    args = p.parse_args(argv)

    from bot import Clerk, make_http_server

    local = threading.local()
    lock = threading.Lock()
    stats: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))  # phase -> cmd -> what -> [ms]

    def record(phase, cmd, what, ms):
        with lock:
            stats[phase][cmd][what].append(ms)

    def timed(wsgi_app):
        """WSGI time: from waitress handing over the request to Bolt's response being ready."""
        def app(environ, start_response):
            local.phase, local.cmd = environ.get("HTTP_X_BENCH_PHASE"), environ.get("HTTP_X_BENCH_CMD")
            t0 = time.perf_counter()
            try:
                return wsgi_app(environ, start_response)
            finally:
                if local.phase:
                    record(local.phase, local.cmd, "wsgi", (time.perf_counter() - t0) * 1000)
                local.phase = local.cmd = None
        return app

    clerk = None
    extra: dict = {}
    if args.kind == "clerk":
        from grammar.dates import warm
        from settings import load

        settings = load(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=args.fake_url,
                        DATABASE_URL=args.database_url, PORT=3000, SLACK_APP_TOKEN=None)
        clerk = Clerk(settings, clock=lambda: NOW, serving=True)  # as serve() builds it
        clerk.upgrade()
        warm()  # as serve() does
        clerk.build_slack()
        if args.with_sender:
            clerk.start_background()
        profiler, sql = _instrument(clerk, local, record) if args.profile else (None, None)
        handle = clerk.conversation.handle

        def timed_handle(text, who, **kw):
            t0 = time.perf_counter()
            local.sql_ms, local.sql_n = 0.0, 0
            if profiler is not None and local.phase == "cprofile":
                profiler.enable()
                try:
                    return handle(text, who, **kw)
                finally:
                    profiler.disable()
                    record(local.phase, local.cmd, "handle", (time.perf_counter() - t0) * 1000)
            try:
                return handle(text, who, **kw)
            finally:
                if local.phase:
                    record(local.phase, local.cmd, "handle", (time.perf_counter() - t0) * 1000)
                    if sql is not None and local.phase in SQL_PHASES:
                        record(local.phase, local.cmd, "sql", local.sql_ms)
                        record(local.phase, local.cmd, "sql_n", local.sql_n)

        clerk.conversation.handle = timed_handle  # the handler looks it up on every command
        plain_wsgi = clerk.wsgi
        clerk.wsgi = lambda: timed(plain_wsgi())
        server = make_http_server(clerk, host="127.0.0.1", port=0)
        sender_thread = clerk.sender._thread
        extra["sender_started"] = sender_thread is not None and sender_thread.is_alive()
    else:
        from types import SimpleNamespace

        from slack_bolt import App
        from slack_bolt.adapter.wsgi import SlackRequestHandler
        from slack_sdk import WebClient

        app = App(client=WebClient(token=TOKEN, base_url=args.fake_url), signing_secret=SECRET,
                  process_before_response=args.kind == "bolt-pbr")

        @app.command("/action")
        def _only_ack(ack):
            ack()

        # make_http_server itself, so the bare apps get exactly Clerk's waitress settings
        shim = SimpleNamespace(wsgi=lambda: timed(SlackRequestHandler(app)), settings=SimpleNamespace(PORT=3000))
        server = make_http_server(shim, host="127.0.0.1", port=0)
    extra["threads"] = server.adj.threads
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    print("READY " + json.dumps({"port": server.effective_port, **extra}), flush=True)

    sys.stdin.read()  # until the parent closes our stdin
    server.close()
    thread.join(timeout=5)
    result: dict = {"stats": stats}
    if clerk is not None:
        t = clerk.sender._thread
        result["sender_alive_at_end"] = t is not None and t.is_alive()
        if profiler is not None:
            result["profile"] = _profile_report(clerk, profiler, sql)
        clerk.stop()
    print("RESULT " + json.dumps(result), flush=True)
    return 0


SQL_PHASES = ("sql", "csql")  # profile phases in which every statement is timed


def _instrument(clerk, local, record):
    """Times every statement (phases "sql" and "csql") and profiles conversation.handle (phase "cprofile")."""
    import cProfile

    from sqlalchemy import event
    from sqlalchemy.orm import Session

    sql: dict = {phase: {} for phase in SQL_PHASES}  # phase -> statement -> {"ms": [...], "params"}
    lock = threading.Lock()

    def phase():
        ph = getattr(local, "phase", None)
        return ph if ph in SQL_PHASES else None

    @event.listens_for(clerk.engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):
        if phase():
            local.t_sql = time.perf_counter()

    @event.listens_for(clerk.engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):
        t0 = getattr(local, "t_sql", None)
        if t0 is not None and phase():
            local.t_sql = None
            _add(statement, parameters, (time.perf_counter() - t0) * 1000)

    @event.listens_for(clerk.engine, "commit")
    def _commit(conn):  # just before the DBAPI commit ...
        if phase():
            local.t_commit = time.perf_counter()

    @event.listens_for(Session, "after_commit")
    def _after_commit(session):  # ... and just after it
        t0 = getattr(local, "t_commit", None)
        if t0 is not None and phase():
            local.t_commit = None
            _add("COMMIT", None, (time.perf_counter() - t0) * 1000)

    def _add(statement, parameters, ms):
        local.sql_ms += ms
        local.sql_n += 1
        with lock:
            row = sql[phase()].setdefault(statement, {"ms": [], "params": parameters})
            row["ms"].append(ms)

    return cProfile.Profile(), sql


def _profile_report(clerk, profiler, sql) -> dict:
    import pstats

    out: dict = {}
    for key in ("cumulative", "tottime"):
        buf = io.StringIO()
        pstats.Stats(profiler, stream=buf).sort_stats(key).print_stats(28)
        out[f"cprofile_{key}"] = buf.getvalue()
    out["sql"] = {}
    for ph, statements in sql.items():
        rows = sorted(statements.items(), key=lambda kv: -sum(kv[1]["ms"]))
        out["sql"][ph] = [{"statement": s, "ms": r["ms"]} for s, r in rows]
    plans = []
    dialect = clerk.engine.dialect.name
    rows = sorted(sql["sql"].items(), key=lambda kv: -sum(kv[1]["ms"]))
    for statement, r in [kv for kv in rows if kv[0].lstrip().upper().startswith("SELECT")][:3]:
        prefix = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN ANALYZE "
        try:
            with clerk.engine.connect() as conn:
                res = conn.exec_driver_sql(prefix + statement, r["params"] or ())
                plan = "\n".join(row[3] if dialect == "sqlite" else row[0] for row in res)
                conn.rollback()
        except Exception as exc:  # noqa: BLE001 - a plan is a nicety
            plan = f"(no plan: {exc!r})"
        plans.append({"statement": statement, "params": repr(r["params"])[:300], "plan": plan,
                      "avg": sum(r["ms"]) / len(r["ms"])})
    out["plans"] = plans
    return out


class Child:
    """A process of ours running this script in a child role; stdin EOF tells it to stop."""

    def __init__(self, name: str, args: list[str], logdir: Path):
        self.name = name
        self.log_path = logdir / f"{name}.log"
        self._log = open(self.log_path, "a")
        self.proc = subprocess.Popen([sys.executable, str(SCRIPT), *args], cwd=ROOT, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log)
        self.info = self._read("READY")

    def _read(self, tag: str) -> dict:
        while True:
            line = self.proc.stdout.readline()
            if not line:
                self.proc.wait(timeout=10)
                raise RuntimeError(f"{self.name} exited ({self.proc.returncode}) before {tag}:\n" + self.log_tail())
            if line.startswith(tag + " "):
                return json.loads(line[len(tag) + 1:])

    def log_tail(self, n: int = 30) -> str:
        self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])

    def finish(self, timeout: float = 60) -> dict:
        self.proc.stdin.close()
        try:
            result = self._read("RESULT")
            self.proc.wait(timeout=timeout)
            return result
        finally:
            self.kill()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()  # this Popen is ours: killed by its own handle, nothing else
            self.proc.wait(timeout=10)
        self._log.close()


# ==========================================================================================
# seeding 100,000 actions
# ==========================================================================================

FIRST = ["Anna", "Victoria", "Debbie", "Gareth", "Jane", "Glykeria", "Rob", "Sam", "Priya", "Tom", "Helen",
         "Imran", "Kate", "Liam", "Maria", "Neil", "Olive", "Paul", "Ruth", "Steve", "Una", "Will", "Yusuf",
         "Zoe", "Ben", "Chloe", "Fiona", "Hamid", "Isla", "Josh", "Karen", "Lucy", "Mark", "Nadia", "Owen"]
LAST = ["Hook", "Harrington", "Martin", "Nicholson", "Gardner", "Anyfanti", "Cole", "Patel", "Lewis",
        "Evans", "Begum", "Wright", "Young", "Khan", "Turner", "Baker", "Fisher", "Shaw", "Reid", "Quinn",
        "Ellis", "Dixon", "Mills", "Owens", "Stone", "Ward", "Iqbal", "Vaughan"]
VERBS_ = ["Circulate", "Report back on", "Draft", "Review", "Update the board on", "Agree", "Publish",
          "Bring a paper on", "Confirm funding for", "Write to the Home Office about", "Scope"]
TOPICS = ["the Mobile Policing pilot", "the DVPO study timeline", "the Serious Violence Strategy response",
          "the Communications plan", "the estates review", "body-worn video retention", "the 101 call backlog",
          "the OSG paper", "the victims' code audit", "the custody inspection actions", "the budget outturn",
          "the rural crime survey", "stop and search scrutiny", "the ICT contract", "the HMICFRS report"]


@dataclass
class Seeded:
    people: dict[str, int]  # initials -> person id
    board_id: int
    actions: int
    open_: int
    mine_open: int
    targets: list[str]  # refs of open actions not owned by the bench user: one per /action close
    seconds: float
    events: int = 0


def people_list(n: int = 40) -> list[tuple[str, str, str | None]]:
    """(initials, name, slack user id or None); the transcript's people first."""
    fixed = [("GA", "Glykeria Anyfanti"), ("JG", "Jane Gardner"), ("AH", "Anna Hook"),
             ("VH", "Victoria Harrington"), ("DM", "Debbie Martin"), ("GN", "Gareth Nicholson")]
    seen = {i for i, _ in fixed}
    out = list(fixed)
    rng = random.Random(40)
    combos = [(f, l) for f in FIRST for l in LAST]
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


def register_people_and_board(sessions) -> tuple[dict[str, int], int]:
    from grammar.who import Who
    from store import people as store_people
    from store.db import unit_of_work

    with unit_of_work(sessions) as s:
        actor = store_people.person_for_slack_user(s, BENCH_USER[1], BENCH_USER[0].lower(), NOW)
        ids = {}
        for ini, name, uid in people_list():
            who = Who("slack", uid, ini.lower()) if uid else None
            person, _ = store_people.register(s, actor, ini, who, name, NOW)
            ids[ini] = person
        board, _ = store_people.setup_board(s, actor, BOARD, [ids["JG"]], [ids["GA"]], BOARD_CHANNEL, NOW)
        s.flush()
        return {ini: p.id for ini, p in ids.items()}, board.id


def seed(url: str, n_actions: int, n_open: int, n_mine: int) -> Seeded:
    from sqlalchemy import func, insert, select, text

    from store.db import make_engine, make_sessionmaker, upgrade
    from store.models import Action, ActionEvent, ActionOwner

    t_start = time.perf_counter()
    engine = make_engine(url)
    upgrade(engine)
    with engine.connect() as conn:
        if conn.scalar(select(func.count()).select_from(Action.__table__)):
            raise SystemExit(f"{_safe(url)} already holds actions: give the benchmark an empty database")
        conn.rollback()
    ids, board_id = register_people_and_board(make_sessionmaker(engine))
    rng = random.Random(1812)
    me = ids[BENCH_USER[0]]
    others = [pid for ini, pid in ids.items() if ini != BENCH_USER[0]]

    # how many per year; 2026 is the year so far
    per_year = {y: n_actions // len(YEARS) for y in YEARS}
    for y in list(YEARS)[len(YEARS) - n_actions % len(YEARS):]:  # the remainder to the latest years
        per_year[y] += 1
    index = []  # (year, number)
    for y in YEARS:
        index += [(y, n) for n in range(1, per_year[y] + 1)]
    recent = [i for i, (y, _) in enumerate(index) if y >= 2025]
    older = [i for i, (y, _) in enumerate(index) if y < 2025]
    n_recent = min(len(recent), int(n_open * 0.7))
    open_ids = set(rng.sample(recent, n_recent)) | set(rng.sample(older, min(len(older), n_open - n_recent)))
    mine = set(rng.sample(sorted(open_ids), min(n_mine, len(open_ids))))
    proposed = {i for i in open_ids - mine if rng.random() < 0.05}

    actions, owners, events, targets = [], [], [], []
    ev_id = 0

    def event(action_id, day, person, kind, old=None, new=None, text_=None):
        nonlocal ev_id
        ev_id += 1
        events.append({"id": ev_id, "action_id": action_id, "at": dt.datetime.combine(day, dt.time(10), dt.timezone.utc),
                       "dated": day, "person_id": person, "kind": kind, "old": old, "new": new, "text": text_})

    for i, (year, number) in enumerate(index):
        aid = i + 1
        start = dt.date(year, 1, 2)
        span = ((TODAY - dt.timedelta(days=3)) if year == TODAY.year else dt.date(year, 12, 20)) - start
        raised = start + dt.timedelta(days=span.days * (number - 1) // max(1, per_year[year]))
        title = f"{rng.choice(VERBS_)} {rng.choice(TOPICS)}"
        due = None if rng.random() < 0.08 else raised + dt.timedelta(days=rng.randint(14, 150))
        is_open = i in open_ids
        status = "closure proposed" if i in proposed else ("open" if is_open else "closed")
        closed = None if is_open else min(raised + dt.timedelta(days=rng.randint(7, 300)), TODAY - dt.timedelta(days=1))
        private = rng.random() < 0.03
        if i in mine:
            who = [me] + ([rng.choice(others)] if rng.random() < 0.3 else [])
        else:
            who = rng.sample(others, 2 if rng.random() < 0.25 else 1)
            if not is_open and rng.random() < 0.02:
                who[0] = me
        actions.append({"id": aid, "board_id": board_id, "year": year, "number": number, "title": title,
                        "due": due, "status": status, "closing_condition": None, "private": private,
                        "raised": raised, "closed": closed})
        owners += [{"action_id": aid, "person_id": pid, "position": pos} for pos, pid in enumerate(who)]
        event(aid, raised, me, "raised", new=title)
        last = closed or TODAY
        if rng.random() < 0.35 and last > raised:
            event(aid, raised + dt.timedelta(days=rng.randint(0, (last - raised).days)), who[0], "update",
                  text_="Paper circulated; discussed at the last meeting")
        if closed:
            event(aid, closed, who[0], "status", old="open", new="closed")
        elif status == "closure proposed":
            event(aid, TODAY - dt.timedelta(days=2), who[0], "status", old="open", new="closure proposed")
        elif i not in mine and not private:
            targets.append(f"{number}/{year % 100:02d}")
    rng.shuffle(targets)

    chunk = 5000
    with engine.begin() as conn:
        for table, rows in ((Action.__table__, actions), (ActionOwner.__table__, owners),
                            (ActionEvent.__table__, events)):
            for k in range(0, len(rows), chunk):
                conn.execute(insert(table), rows[k:k + chunk])
        if engine.dialect.name == "postgresql":
            for table in ("action", "action_event"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    engine.dispose()
    return Seeded(ids, board_id, len(actions), len(open_ids), len(mine), targets,
                  time.perf_counter() - t_start, len(events))


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def outbox_counts(url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, func, select

    from store.models import OutboxMessage

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
            return {status: n for status, n in rows}
    finally:
        engine.dispose()


# ==========================================================================================
# the client
# ==========================================================================================

class Targets:
    """Refs for /action close, each used once (closing a closed action is another code path)."""

    def __init__(self, refs: list[str]):
        self._it, self._lock, self.used = iter(refs), threading.Lock(), 0

    def next(self) -> str:
        with self._lock:
            self.used += 1
            try:
                return next(self._it)
            except StopIteration:
                raise SystemExit("ran out of open actions to close: raise --open") from None


@dataclass
class Scenario:
    name: str
    channel: str
    with_sender: bool
    seq: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))  # server -> cmd -> ms
    conc: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    conc_rps: dict = field(default_factory=dict)
    server_side: dict = field(default_factory=dict)  # phase -> cmd -> what -> [ms]
    listed: Counter = field(default_factory=Counter)  # how many actions /action list mine showed
    errors: list = field(default_factory=list)
    sender_started: bool | None = None
    outbox_before: dict = field(default_factory=dict)
    outbox_after: dict = field(default_factory=dict)


class Client:
    def __init__(self, urls: dict[str, str], targets: Targets, channel: str):
        from tests import slackreq

        self.urls, self.targets, self.channel, self.slackreq = urls, targets, channel, slackreq
        self._local = threading.local()
        self._n = itertools.count(1)

    @property
    def session(self):
        import requests

        if not hasattr(self._local, "s"):
            self._local.s = requests.Session()
        return self._local.s

    def line(self, cmd: str, server: str | None = None) -> str:
        if cmd == "close":
            return f"/action close {self.targets.next() if server in (None, 'clerk') else '1/26'}"
        if cmd == "list":
            return "/action list mine"
        return f"/action new Circulate the revised estates paper {next(self._n)} owner AH due 14/12"

    def body(self, line: str) -> str:
        command, _, text = line.partition(" ")
        return self.slackreq.slash_body(command, text, user_id=BENCH_USER[1], user_name=BENCH_USER[0].lower(),
                                        channel_id=self.channel, channel_name="pr-board" if self.channel == BOARD_CHANNEL else "general")

    def send(self, server: str, cmd: str, body: str, phase: str, sc: Scenario | None) -> float:
        headers = {"Content-Type": self.slackreq.FORM, **self.slackreq.signature_headers(body, SECRET),
                   "X-Bench-Phase": phase, "X-Bench-Cmd": cmd}
        data = body.encode()
        t0 = time.perf_counter()
        resp = self.session.post(self.urls[server], data=data, headers=headers, timeout=30)
        ms = (time.perf_counter() - t0) * 1000
        if sc is not None:
            self._check(server, cmd, resp, sc)
        return ms

    def _check(self, server: str, cmd: str, resp, sc: Scenario) -> None:
        if resp.status_code != 200:
            sc.errors.append(f"{server} {cmd}: HTTP {resp.status_code} {resp.text[:200]}")
            return
        if server != "clerk":
            return
        body = resp.json()
        text = body.get("text", "")
        expected = {"close": "closed by", "list": "Your open actions", "new": "Raised "}[cmd]
        if expected not in text:
            sc.errors.append(f"clerk {cmd}: unexpected reply {text[:300]!r}")
        if cmd == "list":
            m = re.search(r"Your open actions[^(]*\((\d+)\)", text)
            sc.listed[int(m.group(1)) if m else -1] += 1


def run_sequential(client: Client, sc: Scenario, servers: list[str], rounds: int, warmup: int, tag: str) -> None:
    for r in range(warmup + rounds):
        phase = f"{tag}:warm" if r < warmup else f"{tag}:seq"
        shift = r % len(servers)
        order = servers[shift:] + servers[:shift]  # A B C, B C A, ...: no server always goes first
        for cmd in CMDS:
            line = client.line(cmd)
            body = client.body(line)
            for server in order:
                ms = client.send(server, cmd, body, phase, sc if r >= warmup or server == "clerk" else None)
                if r >= warmup:
                    sc.seq[server][cmd].append(ms)


def run_concurrent(client: Client, sc: Scenario, servers: list[str], per_cmd: int, threads: int, tag: str) -> None:
    per_thread = max(1, math.ceil(per_cmd / threads))
    block = 5
    wall: dict[str, float] = Counter()
    count: dict[str, int] = Counter()

    def worker(server: str, rounds: int, phase: str, keep: bool) -> list[tuple[str, float]]:
        out = []
        for _ in range(rounds):
            for cmd in CMDS:
                body = client.body(client.line(cmd, server))
                ms = client.send(server, cmd, body, phase, sc if keep else None)
                out.append((cmd, ms))
        return out

    with ThreadPoolExecutor(threads) as pool:
        for server in servers:  # warm every worker thread's connection
            list(pool.map(lambda _: worker(server, 2, f"{tag}:cwarm", False), range(threads)))
        done = 0
        b = 0
        while done < per_thread:
            rounds = min(block, per_thread - done)
            shift = b % len(servers)
            for server in servers[shift:] + servers[:shift]:
                t0 = time.perf_counter()
                futures = [pool.submit(worker, server, rounds, f"{tag}:conc", True) for _ in range(threads)]
                for fut in futures:
                    for cmd, ms in fut.result():
                        sc.conc[server][cmd].append(ms)
                        count[server] += 1
                wall[server] += time.perf_counter() - t0
            done += rounds
            b += 1
    sc.conc_rps = {s: count[s] / wall[s] for s in servers if wall[s]}


def wait_for_outbox_drain(url: str, timeout: float = 120) -> dict:
    end = time.time() + timeout
    while time.time() < end:
        counts = outbox_counts(url)
        if not counts.get("pending") and not counts.get("sending"):
            return counts
        time.sleep(0.5)
    return outbox_counts(url)


# ==========================================================================================
# reporting
# ==========================================================================================

def print_scenario(sc: Scenario, args, servers: list[str]) -> dict[str, dict[str, float]]:
    """Prints the tables of one scenario; returns cmd -> {ratio_default, ratio_pbr} (sequential)."""
    ratios: dict[str, dict[str, float]] = {}
    print(f"\n=== {sc.name}: channel {sc.channel}, outbox sender "
          f"{'RUNNING' if sc.sender_started else 'not started'} ===")
    for mode, data, label in (("seq", sc.seq, f"sequential, 1 client thread, {args.requests} per command per server"),
                              ("conc", sc.conc, f"concurrent, {args.threads} client threads")):
        if not data:
            continue
        print(f"\n{label} (ms, client round trip; wsgi = inside the server, handle = conversation.handle)")
        print(f"{'command':<8}{'server':<14}{'n':>5}{'p50':>8}{'p99':>8}{'max':>8}{'wsgi p50':>10}{'wsgi p99':>10}"
              f"{'handle p50':>12}{'handle p99':>12}")
        for cmd in CMDS:
            for server in servers:
                xs = data[server][cmd]
                side = sc.server_side.get(server, {}).get(f"{sc.name}:{mode}", {}).get(cmd, {})
                w, h = side.get("wsgi", []), side.get("handle", [])
                print(f"{cmd if server == servers[0] else '':<8}{server:<14}{len(xs):>5}{f1(pct(xs, 50)):>8}"
                      f"{f1(pct(xs, 99)):>8}{f1(max(xs) if xs else float('nan')):>8}{f1(pct(w, 50)):>10}"
                      f"{f1(pct(w, 99)):>10}{f1(pct(h, 50)) if h else '':>12}{f1(pct(h, 99)) if h else '':>12}")
            c99 = pct(data["clerk"][cmd], 99)
            rd, rp = c99 / pct(data["bolt-default"][cmd], 99), c99 / pct(data["bolt-pbr"][cmd], 99)
            verdict = "meets" if rd <= TARGET_RATIO else "MISSES"
            print(f"{'':<8}Clerk p99 / bolt-default p99 = {rd:.2f} ({verdict} the <= {TARGET_RATIO} target); "
                  f"Clerk p99 / bolt-pbr p99 = {rp:.2f}")
            if mode == "seq":
                ratios[cmd] = {"default": rd, "pbr": rp}
        if mode == "conc" and sc.conc_rps:
            print(f"throughput (requests/s, {args.threads} threads): " +
                  ", ".join(f"{s} {sc.conc_rps[s]:.0f}" for s in servers if s in sc.conc_rps))
    if sc.listed:
        print(f"\n/action list mine showed {', '.join(f'{n} actions ({k}x)' for n, k in sorted(sc.listed.items()))}")
    print(f"outbox before: {sc.outbox_before} after: {sc.outbox_after}")
    if sc.errors:
        print(f"{len(sc.errors)} UNEXPECTED REPLIES, first: " + " | ".join(sc.errors[:3]))
    return ratios


def machine() -> str:
    cpu = ""
    with contextlib.suppress(OSError):
        m = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = m.group(1).strip() if m else ""
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    except OSError:
        nproc = str(os.cpu_count())
    return (f"nproc {nproc}; {cpu}; Python {platform.python_version()} ({platform.machine()}); "
            f"SQLite {sqlite3.sqlite_version}; {platform.system()} {platform.release()}")


# ==========================================================================================
# profiling one slow command
# ==========================================================================================

def profile_command(cmd: str, channel: str, url: str, fake_url: str, targets: Targets, logdir: Path,
                    n: int, threads: int) -> None:
    """A fresh Clerk server with instruments: every SQL statement timed (sequential, all three
    commands), then `cmd` under cProfile, then a 4-thread mixed run with SQL timed (lock waits)."""
    label = {"close": "/action close <ref>", "list": "/action list mine", "new": "/action new ..."}
    print(f"\n=== profile of a fresh Clerk server, channel {channel}: {n} of each command with every SQL statement "
          f"timed; {n} x {label[cmd]} under cProfile; {threads} threads x {n // 2} mixed rounds with SQL timed ===")
    child = Child("clerk-profile", ["_serve", "--kind", "clerk", "--fake-url", fake_url,
                                    "--database-url", url, "--profile"], logdir)
    try:
        client = Client({"clerk": f"http://127.0.0.1:{child.info['port']}/slack/events"}, targets, channel)
        for phase, k in (("warm", 20), ("sql", n)):
            for _ in range(k):
                for c in CMDS:
                    client.send("clerk", c, client.body(client.line(c)), phase, None)
        for _ in range(n):
            client.send("clerk", cmd, client.body(client.line(cmd)), "cprofile", None)
        if threads:
            def worker(_):
                for _ in range(n // 2):
                    for c in CMDS:
                        client.send("clerk", c, client.body(client.line(c)), "csql", None)
            with ThreadPoolExecutor(threads) as pool:
                list(pool.map(worker, range(threads)))
        result = child.finish()
    except BaseException:
        child.kill()
        raise
    st, prof = result["stats"], result["profile"]

    for ph, title in (("sql", "sequential"), ("csql", f"{threads} client threads")):
        if ph not in st:
            continue
        print(f"\n{title}: where conversation.handle's time goes (ms)")
        print(f"{'command':<9}{'handle p50':>11}{'p99':>8}{'SQL p50':>9}{'p99':>8}{'statements':>12}")
        for c in CMDS:
            d = st[ph].get(c, {})
            h, q, nq = d.get("handle", []), d.get("sql", []), d.get("sql_n", [])
            print(f"{c:<9}{f1(pct(h, 50)):>11}{f1(pct(h, 99)):>8}{f1(pct(q, 50)):>9}{f1(pct(q, 99)):>8}"
                  f"{pct(nq, 50):>12.0f}")
        rows = prof["sql"].get(ph, [])
        print(f"statements by total time, {'all commands' if ph == 'sql' else 'all threads'} (ms):")
        print(f"{'calls':>6}{'total':>9}{'avg':>8}{'p99':>8}{'max':>8}  statement")
        for row in rows[:9]:
            ms = row["ms"]
            stmt = " ".join(row["statement"].split())
            print(f"{len(ms):>6}{sum(ms):>9.1f}{sum(ms) / len(ms):>8.2f}{pct(ms, 99):>8.2f}{max(ms):>8.1f}  {stmt[:140]}")
        for row in rows:
            if row["statement"] in ("COMMIT", "BEGIN IMMEDIATE"):
                ms = row["ms"]
                print(f"{row['statement']}: p50 {pct(ms, 50):.2f} p99 {f1(pct(ms, 99))} max {f1(max(ms))} ms; "
                      f"{sum(x > 5 for x in ms)} of {len(ms)} took over 5 ms")
    for plan in prof["plans"]:
        print(f"\nplan ({plan['avg']:.2f} ms per call) of: {' '.join(plan['statement'].split())[:220]}"
              f"\n  params {plan['params']}")
        print("\n".join("  | " + line for line in plan["plan"].splitlines()))
    from grammar.dates import read_date, warm

    warm()
    read_date("14/12", TODAY)
    t0 = time.perf_counter()
    for _ in range(200):
        read_date("14/12", TODAY)
    print(f"\ndateparser: read_date('14/12') costs {(time.perf_counter() - t0) / 200 * 1000:.2f} ms per call "
          "(measured in the bench process, warm)")
    for key in ("cprofile_cumulative", "cprofile_tottime"):
        text = prof[key]
        start = text.find("   ncalls")
        print(f"\ncProfile of conversation.handle for {label[cmd]} x {n}, by {key.split('_')[1]} (top 28; "
              "cProfile roughly doubles Python-heavy time):")
        print(text[start:].rstrip() if start >= 0 else text)


# ==========================================================================================
# importing a 10,000-row csv
# ==========================================================================================

def write_import_csv(path: Path, rows: int) -> None:
    rng = random.Random(74)
    known = [ini for ini, _, _ in people_list()]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["ref", "title", "owners", "due", "status", "raised", "closed", "last_update", "private"])
        years = list(range(2016, 2027))
        per = math.ceil(rows / len(years))
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
                status = "closed" if (y < 2025 or rng.random() < 0.6) else rng.choice(
                    ["open", "open", "open", "closure proposed", "closing when the paper is agreed"])
                closed = min(raised + dt.timedelta(days=rng.randint(7, 300)), TODAY) if status == "closed" else None
                due = "" if rng.random() < 0.08 else (raised + dt.timedelta(days=rng.randint(14, 150))).isoformat()
                update = ""
                if rng.random() < 0.35:
                    update = f"{(raised + dt.timedelta(days=5)).isoformat()}: Paper circulated, see \"Annex A\", comments by Friday"
                title = f"{rng.choice(VERBS_)} {rng.choice(TOPICS)}" + (", with costs" if rng.random() < 0.1 else "")
                w.writerow([f"{number}/{y % 100:02d}", title, "; ".join(owners), due, status, raised.isoformat(),
                            closed.isoformat() if closed else "", update, "yes" if rng.random() < 0.03 else "no"])


def import_bench(tmp: Path, rows: int) -> dict:
    """Time `python bot.py import actions FILE --as-of 2026-11-23` into a temp SQLite file that
    already has the board and its people (as a real deployment would before importing)."""
    from store.db import make_engine, make_sessionmaker, upgrade

    out: dict = {"rows": rows}
    if not (ROOT / "exchange").is_dir():
        out["error"] = "exchange/ does not exist yet: the importer is not written"
        return out
    csv_path = tmp / f"actions-{rows}.csv"
    write_import_csv(csv_path, rows)
    db = tmp / f"import-{time.time_ns()}.db"
    url = f"sqlite:///{db}"
    engine = make_engine(url)
    upgrade(engine)
    register_people_and_board(make_sessionmaker(engine))
    engine.dispose()
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("SLACK_APP_TOKEN", None)
    t0 = time.perf_counter()
    base = subprocess.run([sys.executable, "bot.py", "db", "upgrade"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    out["startup_s"] = time.perf_counter() - t0 if base.returncode == 0 else None
    t0 = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "bot.py", "import", "actions", str(csv_path), "--as-of", "2026-11-23"],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    except subprocess.TimeoutExpired:
        out["error"] = "import took more than 30 minutes; stopped"
        return out
    out["seconds"] = time.perf_counter() - t0
    out["rc"] = proc.returncode
    out["stdout"] = "\n".join(proc.stdout.strip().splitlines()[-6:])
    out["stderr"] = "\n".join(proc.stderr.strip().splitlines()[-8:])
    with sqlite3.connect(db) as conn:
        out["imported"] = conn.execute("SELECT count(*) FROM action").fetchone()[0]
        out["events"] = conn.execute("SELECT count(*) FROM action_event").fetchone()[0]
        out["people"] = conn.execute("SELECT count(*) FROM person").fetchone()[0]
    if proc.returncode != 0:
        out["error"] = f"bot.py import exited {proc.returncode}"
    return out


def print_import(res: dict) -> None:
    print(f"\n=== import: python bot.py import actions <{res['rows']}-row csv> --as-of 2026-11-23 (SQLite) ===")
    if "seconds" in res:
        startup = res.get("startup_s")
        rate = res["imported"] / res["seconds"] if res.get("imported") else 0
        print(f"{res['seconds']:.2f} s wall, {res.get('imported', 0)} actions and {res.get('events', 0)} events "
              f"in the database afterwards ({rate:.0f} rows/s)"
              + (f"; `bot.py db upgrade` alone takes {startup:.2f} s of that, so "
                 f"{res['imported'] / max(1e-9, res['seconds'] - startup):.0f} rows/s net" if startup and res.get('imported') else ""))
        if res.get("stdout"):
            print("stdout (last lines):\n  " + res["stdout"].replace("\n", "\n  "))
    if res.get("error"):
        print(f"IMPORT NOT MEASURED: {res['error']}")
        if res.get("stderr"):
            print("stderr (last lines):\n  " + res["stderr"].replace("\n", "\n  "))


# ==========================================================================================
# main
# ==========================================================================================

def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_fake"]:
        return child_fake()
    if argv[:1] == ["_serve"]:
        return child_serve(argv[1:])

    p = argparse.ArgumentParser(prog="bench/commands.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--actions", type=int, default=100_000, help="actions to seed (default 100000)")
    p.add_argument("--open", type=int, default=3000, help="how many of them are open (default 3000)")
    p.add_argument("--mine", type=int, default=20, help="open actions owned by the bench user (default 20)")
    p.add_argument("--requests", type=int, default=300, help="timed requests per command per server (default 300)")
    p.add_argument("--warmup", type=int, default=20, help="warm-up rounds per server (default 20)")
    p.add_argument("--database-url", help="an EMPTY database to seed (default: a SQLite file in a temp dir)")
    p.add_argument("--postgres-server", metavar="URL",
                   help="create a throwaway database on this PostgreSQL server (needs CREATEDB), drop it after")
    p.add_argument("--channel", choices=["general", "board", "both"], default="general",
                   help="send from a general channel (refs looked up across boards), the board's channel, or both")
    p.add_argument("--with-sender", action="store_true",
                   help="also run with Clerk's outbox sender thread started, as the real server does")
    p.add_argument("--threads", type=int, default=4, help="client threads of the concurrent run; 0 skips it")
    p.add_argument("--concurrent-requests", type=int, default=200, help="per command per server (default 200)")
    p.add_argument("--profile", choices=["auto", "close", "list", "new", "off"], default="auto",
                   help="profile a command; auto: the one furthest from the target, if any misses")
    p.add_argument("--profile-requests", type=int, default=100)
    p.add_argument("--import-rows", type=int, default=10_000, help="rows of the import csv; 0 skips the import")
    p.add_argument("--import-only", action="store_true", help="only time the import")
    p.add_argument("--keep", action="store_true", help="keep the temp dir (databases, csv, server logs)")
    args = p.parse_args(argv)

    tmpdir = Path(tempfile.mkdtemp(prefix="clerk-bench-"))
    print(f"machine: {machine()}")
    print(f"work dir: {tmpdir}" + ("" if args.keep else " (removed at the end; --keep keeps it)"))
    try:
        if not args.import_only:
            with contextlib.ExitStack() as stack:
                url = args.database_url
                if args.postgres_server:
                    from tests.databases import new_postgres_database

                    url = stack.enter_context(new_postgres_database(args.postgres_server, prefix="clerk_bench_"))
                url = url or f"sqlite:///{tmpdir}/clerk.db"
                http_bench(args, url, tmpdir)
        if args.import_rows:
            print_import(import_bench(tmpdir, args.import_rows))
    finally:
        if not args.keep:
            import shutil

            shutil.rmtree(tmpdir, ignore_errors=True)
    return 0


def http_bench(args, url: str, tmpdir: Path) -> None:
    channels = {"general": [GENERAL_CHANNEL], "board": [BOARD_CHANNEL], "both": [GENERAL_CHANNEL, BOARD_CHANNEL]}[args.channel]
    scenarios = [Scenario(f"{'general' if ch == GENERAL_CHANNEL else 'board'}", ch, False) for ch in channels]
    if args.with_sender:
        scenarios.append(Scenario(f"{scenarios[0].name}+sender", scenarios[0].channel, True))
    per_clerk = args.warmup + args.requests + (args.concurrent_requests + 2 * args.threads * 4 if args.threads else 0)
    print(f"database: {_safe(url)}")
    print(f"seeding {args.actions} actions ({args.open} open, {args.mine} of them the bench user's) ...", flush=True)
    seeded = seed(url, args.actions, args.open, args.mine)
    need = per_clerk * len(scenarios) + 2 * args.profile_requests + args.threads * (args.profile_requests // 2) + 20
    print(f"seeded {seeded.actions} actions, {seeded.events} events, {len(seeded.people)} people "
          f"in {seeded.seconds:.1f} s; {len(seeded.targets)} open actions to close (need about {need})", flush=True)
    if len(seeded.targets) < need:
        raise SystemExit(f"not enough open actions to close: raise --open above {args.open}")
    targets = Targets(seeded.targets)
    gc.collect()
    gc.freeze()  # the client's own garbage collections are not what is measured

    fake = Child("fakeslack", ["_fake"], tmpdir)
    bare: dict[str, Child] = {}
    all_ratios: dict[str, dict] = {}
    try:
        for kind in ("bolt-default", "bolt-pbr"):
            bare[kind] = Child(kind, ["_serve", "--kind", kind, "--fake-url", fake.info["url"]], tmpdir)
        threads = {k: c.info["threads"] for k, c in bare.items()}
        for sc in scenarios:
            sc.outbox_before = outbox_counts(url)
            clerk_args = ["_serve", "--kind", "clerk", "--fake-url", fake.info["url"], "--database-url", url]
            clerk = Child(f"clerk-{sc.name}", clerk_args + (["--with-sender"] if sc.with_sender else []), tmpdir)
            try:
                threads["clerk"] = clerk.info["threads"]
                sc.sender_started = clerk.info["sender_started"]
                assert sc.sender_started == sc.with_sender, "outbox sender state is not what this run asked for"
                if sc.with_sender:  # let it drain what earlier runs left, so it starts from steady state
                    wait_for_outbox_drain(url)
                urls = {"clerk": f"http://127.0.0.1:{clerk.info['port']}/slack/events",
                        **{k: f"http://127.0.0.1:{c.info['port']}/slack/events" for k, c in bare.items()}}
                client = Client(urls, targets, sc.channel)
                print(f"\nrun {sc.name}: waitress threads {threads}; {args.warmup} warm-up rounds, "
                      f"{args.requests} timed rounds ...", flush=True)
                run_sequential(client, sc, list(SERVERS), args.requests, args.warmup, sc.name)
                if args.threads:
                    print(f"run {sc.name}: {args.threads} client threads, {args.concurrent_requests} per command "
                          "per server ...", flush=True)
                    run_concurrent(client, sc, list(SERVERS), args.concurrent_requests, args.threads, sc.name)
                result = clerk.finish()
                sc.server_side["clerk"] = result["stats"]
                assert result["sender_alive_at_end"] == sc.with_sender, "outbox sender changed state during the run"
                if not sc.with_sender:
                    time.sleep(0.2)
            except BaseException:
                clerk.kill()
                raise
            sc.outbox_after = outbox_counts(url)
        for kind, child in bare.items():
            stats = child.finish()["stats"]
            for sc in scenarios:
                sc.server_side[kind] = stats
        print("\n" + "=" * 100)
        print(f"machine: {machine()}")
        print(f"database: {_safe(url).split('://')[0]}, {seeded.actions} actions seeded; "
              f"Clerk's clock {NOW:%Y-%m-%d %H:%M} UTC")
        for sc in scenarios:
            all_ratios[sc.name] = print_scenario(sc, args, list(SERVERS))

        print("\nSUMMARY (sequential p99, ms; target Clerk <= {:.0%} of bolt-default)".format(TARGET_RATIO))
        print(f"{'run':<16}{'command':<9}{'clerk':>8}{'default':>9}{'pbr':>8}{'clerk/default':>15}"
              f"{'clerk/pbr':>11}  target")
        for sc in scenarios:
            for cmd in CMDS:
                c, d, b = (pct(sc.seq[s][cmd], 99) for s in SERVERS)
                r = all_ratios[sc.name][cmd]
                print(f"{sc.name:<16}{cmd:<9}{f1(c):>8}{f1(d):>9}{f1(b):>8}{r['default']:>15.2f}{r['pbr']:>11.2f}  "
                      f"{'ok' if r['default'] <= TARGET_RATIO else 'MISS'}")
        sys.stdout.flush()

        base = all_ratios[scenarios[0].name]
        choice = args.profile
        if choice == "auto":
            worst = max(CMDS, key=lambda c: base[c]["default"])
            choice = worst if base[worst]["default"] > TARGET_RATIO else "off"
        if choice != "off":
            profile_command(choice, scenarios[0].channel, url, fake.info["url"], targets, tmpdir,
                            args.profile_requests, args.threads)
        print(f"\nfake Slack Web API calls over the whole run: {fake.finish()}")
    finally:
        for child in (*bare.values(), fake):
            child.kill()


if __name__ == "__main__":
    sys.exit(main())
