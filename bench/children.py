"""The benchmark's child processes, each started as `python bench/commands.py _<role> ...`.

    _fake     tests.fakeslack.FakeSlack: counts Web API calls by method; "COUNT" on stdin prints them
    _bolt     a Bolt app that only acks (Bolt's WSGI adapter), served by bot.make_http_server's waitress
    _clerk    Clerk as `python bot.py` serves it: bot.main([]) with the settings in the environment
              (the outbox sender started, App Home published by it); only make_http_server is wrapped,
              to bind 127.0.0.1:0, time each request inside the server, and (with --profile) instrument

Every child prints `READY {json}` on stdout when it serves, and `RESULT {json}` when its stdin
closes. A server's own time (`wsgi`: waitress handing the request over to the response being
ready) is recorded per X-Bench-Phase / X-Bench-Cmd header.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import signal
import sys
import threading
import time
from collections import Counter, defaultdict

SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench-token"


def _say(tag: str, payload) -> None:
    sys.stdout.write(f"{tag} {json.dumps(payload)}\n")
    sys.stdout.flush()


# ==========================================================================================
# the fake Slack Web API
# ==========================================================================================

def child_fake(argv: list[str]) -> int:
    """The fake Slack, at the CPU priority --nice gives it (bench/commands.py --fake-slack-nice;
    Clerk's by default). It stands in for Slack's servers, whose work is never done on Clerk's
    machine: with 10 it takes this machine's CPU last."""
    from tests.fakeslack import FakeSlack

    p = argparse.ArgumentParser()
    p.add_argument("--nice", type=int, default=0)
    nice = p.parse_args(argv).nice
    if nice:
        os.nice(nice)
    fake = FakeSlack().start()
    totals: Counter = Counter()
    refused: Counter = Counter()
    trim_lock = threading.Lock()

    def trim() -> None:
        """Tally and forget calls and messages, so a long run does not grow the fake's memory."""
        with trim_lock:
            lock = getattr(fake, "_lock", None)
            with lock if lock is not None else threading.Lock():
                calls = list(fake.calls)
                fake.calls.clear()
                with_messages = getattr(fake, "_messages", None)
                if with_messages is not None:
                    with_messages.clear()
            for c in calls:
                totals[c.method] += 1
                if not c.ok:
                    refused[f"{c.method}: {(c.response or {}).get('error', c.status)}"] += 1

    stop = threading.Event()

    def trimmer() -> None:
        while not stop.wait(1.0):
            trim()

    threading.Thread(target=trimmer, daemon=True).start()
    _say("READY", {"url": fake.url})
    for line in sys.stdin:
        if line.strip() == "COUNT":
            trim()
            _say("COUNTS", {"calls": dict(totals), "refused": dict(refused)})
    stop.set()
    trim()
    fake.stop()
    _say("RESULT", {"calls": dict(totals), "refused": dict(refused)})
    return 0


# ==========================================================================================
# server-side timing, shared by the bare Bolt apps and Clerk
# ==========================================================================================

class Recorder:
    def __init__(self) -> None:
        self.local = threading.local()
        self.lock = threading.Lock()
        self.stats: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))  # phase -> cmd -> what -> [ms]
        self.on_request = None  # (phase, cmd, call) -> result: the profiler's hook

    def record(self, phase: str, cmd: str, what: str, ms: float) -> None:
        with self.lock:
            self.stats[phase][cmd][what].append(ms)

    def snapshot(self) -> dict:
        with self.lock:
            return json.loads(json.dumps(self.stats))

    def timed(self, wsgi_app):
        def app(environ, start_response):
            phase, cmd = environ.get("HTTP_X_BENCH_PHASE"), environ.get("HTTP_X_BENCH_CMD")
            self.local.phase, self.local.cmd = phase, cmd
            t0 = time.perf_counter()
            try:
                if self.on_request is not None:
                    return self.on_request(phase, cmd, lambda: wsgi_app(environ, start_response))
                return wsgi_app(environ, start_response)
            finally:
                if phase:
                    self.record(phase, cmd, "wsgi", (time.perf_counter() - t0) * 1000)
                self.local.phase = self.local.cmd = None
        return app


def _watch_stdin(then) -> threading.Thread:
    def watch():
        sys.stdin.read()  # until the parent closes our stdin
        then()
    t = threading.Thread(target=watch, name="bench-stdin", daemon=True)
    t.start()
    return t


def rss_kb(pid: int | None = None) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of a process, in kB (Linux)."""
    out = {}
    try:
        with open(f"/proc/{pid or os.getpid()}/status") as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    key, value = line.split(":", 1)
                    out[key] = int(value.split()[0])
    except OSError:
        pass
    return out


# ==========================================================================================
# a Bolt app that only acks
# ==========================================================================================

def child_bolt(argv: list[str]) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--pbr", action="store_true", help="process_before_response=True")
    p.add_argument("--fake-url", required=True)
    args = p.parse_args(argv)

    from types import SimpleNamespace

    from slack_bolt import App
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from slack_sdk import WebClient

    rec = Recorder()
    app = App(client=WebClient(token=TOKEN, base_url=args.fake_url), signing_secret=SECRET,
              process_before_response=args.pbr)

    for name in ("/action", "/plan", "/meeting", "/clerk"):
        @app.command(name)
        def _only_ack(ack):
            ack()

    shim = SimpleNamespace(wsgi=lambda: rec.timed(SlackRequestHandler(app)), settings=SimpleNamespace(PORT=3000))
    try:  # bot.make_http_server itself, so the floors get exactly Clerk's waitress settings
        from bot import make_http_server

        server = make_http_server(shim, host="127.0.0.1", port=0)
        how = "bot.make_http_server"
    except Exception:  # noqa: BLE001 - its shape changed: waitress with the settings it had
        from waitress import create_server

        server = create_server(shim.wsgi(), host="127.0.0.1", port=0, threads=8, ident="clerk",
                               clear_untrusted_proxy_headers=True)
        how = "waitress.create_server(threads=8) (bot.make_http_server did not take the stand-in)"
    thread = threading.Thread(target=server.run, name="bench-waitress-loop", daemon=True)
    thread.start()
    _say("READY", {"port": server.effective_port, "threads": server.adj.threads, "how": how})
    for line in sys.stdin:  # until the parent closes our stdin
        if line.strip() == "STATS":
            _say("STATS", rec.snapshot())
    server.close()
    _say("RESULT", {"stats": rec.snapshot()})
    return 0


# ==========================================================================================
# Clerk, as `python bot.py` serves it
# ==========================================================================================

def child_clerk(argv: list[str]) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--profile", action="store_true", help="time every SQL statement, transactions, cProfile")
    args = p.parse_args(argv)

    rec = Recorder()
    prof = Profiler(rec) if args.profile else None
    if prof is not None:
        prof.watch_new_threads()  # before bot.main starts the sender

    import bot

    original = bot.make_http_server
    captured: dict = {}

    def make_http_server(clerk, host="0.0.0.0", port=None):
        captured["clerk"] = clerk
        plain = clerk.wsgi
        clerk.wsgi = lambda: rec.timed(plain())
        if prof is not None:
            prof.instrument(clerk)
        server = original(clerk, host="127.0.0.1", port=0)
        names = sorted(t.name for t in threading.enumerate())
        _say("READY", {"port": server.effective_port, "threads": server.adj.threads, "pid": os.getpid(),
                       "thread_names": names, "rss": rss_kb()})
        return server

    bot.make_http_server = make_http_server
    _watch_stdin(lambda: os.kill(os.getpid(), signal.SIGTERM))  # serve() leaves its loop on SIGTERM, as on docker stop
    rc = bot.main([])
    result: dict = {"stats": rec.snapshot(), "rc": rc, "rss": rss_kb(),
                    "threads_left": sorted(t.name for t in threading.enumerate())}
    if prof is not None and "clerk" in captured:
        result["profile"] = prof.report(captured["clerk"])
    _say("RESULT", result)
    return 0


def thread_kind() -> str:
    name = threading.current_thread().name
    if name.startswith("waitress"):
        return "request"
    if name == "MainThread":
        return "main"
    return "sender" if "outbox" in name or "sender" in name else name


class Profiler:
    """What the profile section reports, gathered inside the Clerk process:

    * every SQL statement timed, by thread (waitress request threads / the outbox sender), with
      each request's total SQL time and statement count;
    * every transaction on each of Clerk's engines: how long it was held (first statement or
      BEGIN to COMMIT/ROLLBACK), whether it wrote, and on SQLite how long BEGIN IMMEDIATE waited;
    * cProfile of the requests of one command (phase "cprofile"), and of every thread other
      than waitress's workers (the outbox sender) for the whole run."""

    SQL_PHASES = ("sql", "csql", "cprofile")

    def __init__(self, rec: Recorder) -> None:
        import cProfile

        self.rec = rec
        self.lock = threading.Lock()
        self.statements: dict = defaultdict(dict)  # bucket -> statement -> {"ms": [...], "params": ...}
        self.tx: dict = defaultdict(lambda: defaultdict(list))  # "engine/kind" -> "wrote"/"read" -> [hold ms]
        self.tx_ops: dict = defaultdict(Counter)  # "engine/kind" -> statements by first word (reads under a write lock)
        self.begin_wait: dict = defaultdict(list)  # "engine/kind" -> [ms] of BEGIN IMMEDIATE
        self.request_profiles: dict[str, cProfile.Profile] = {}  # command -> its requests' profile
        self.thread_profiles: dict[str, object] = {}
        self.engines: dict[str, object] = {}
        rec.on_request = self._on_request

    # -- cProfile ---------------------------------------------------------------------------

    def watch_new_threads(self) -> None:
        import cProfile

        def hook(frame, event, arg):
            sys.setprofile(None)
            t = threading.current_thread()
            if t.name.startswith(("waitress", "bench-")):
                return
            prof = cProfile.Profile()
            self.thread_profiles[f"{t.name} ({t.ident})"] = prof
            prof.enable()

        threading.setprofile(hook)

    def _on_request(self, phase, cmd, call):
        loc = self.rec.local
        loc.sql_ms, loc.sql_n = 0.0, 0
        t0 = time.perf_counter()
        try:
            if phase == "cprofile":
                import cProfile

                prof = self.request_profiles.setdefault(cmd, cProfile.Profile())
                prof.enable()
                try:
                    return call()
                finally:
                    prof.disable()
            return call()
        finally:
            if phase in self.SQL_PHASES:
                self.rec.record(phase, cmd, "sql", loc.sql_ms)
                self.rec.record(phase, cmd, "sql_n", loc.sql_n)
                self.rec.record(phase, cmd, "in_app", (time.perf_counter() - t0) * 1000)

    # -- SQL and transactions ---------------------------------------------------------------

    def instrument(self, clerk) -> None:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        for name, value in vars(clerk).items():
            if isinstance(value, Engine) and value not in self.engines.values():
                self.engines[name] = value
        loc = threading.local()

        for label, engine in self.engines.items():
            def before(conn, cursor, statement, parameters, context, executemany, _label=label):
                loc.t = time.perf_counter()

            def after(conn, cursor, statement, parameters, context, executemany, _label=label):
                t0 = getattr(loc, "t", None)
                if t0 is None:
                    return
                loc.t = None
                ms = (time.perf_counter() - t0) * 1000
                self._statement(_label, conn, statement, parameters, ms)

            def begin(conn, _label=label):
                conn.info["bench_tx"] = (time.perf_counter(), Counter())

            def end(conn, _label=label):
                started = conn.info.pop("bench_tx", None)
                if started is None:
                    return
                t0, ops = started
                ms = (time.perf_counter() - t0) * 1000
                kind = thread_kind()
                cmd = getattr(self.rec.local, "cmd", None) if kind == "request" else None
                key = f"{_label}/{kind}" + (f" {cmd}" if cmd else "")
                wrote = any(op in ("INSERT", "UPDATE", "DELETE") for op in ops)
                with self.lock:
                    self.tx[key]["wrote" if wrote else "read"].append(ms)
                    if not wrote:
                        self.tx_ops[key].update(ops)

            event.listen(engine, "before_cursor_execute", before)
            event.listen(engine, "after_cursor_execute", after)
            event.listen(engine, "begin", begin)  # after store.db's own listener: BEGIN IMMEDIATE has returned
            event.listen(engine, "commit", end)
            event.listen(engine, "rollback", end)

    def _statement(self, label, conn, statement, parameters, ms) -> None:
        kind = thread_kind()
        first = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
        tx = conn.info.get("bench_tx")
        if tx is not None and first not in ("BEGIN",):
            tx[1][first] += 1
        with self.lock:
            phase = getattr(self.rec.local, "phase", None)
            if statement.strip().upper().startswith("BEGIN"):
                cmd = getattr(self.rec.local, "cmd", None) if kind == "request" else None
                self.begin_wait[f"{label}/{kind}" + (f" {cmd}" if cmd else "")].append(ms)
            if kind == "request":
                if phase not in self.SQL_PHASES:
                    return
                loc = self.rec.local
                loc.sql_ms = getattr(loc, "sql_ms", 0.0) + ms
                loc.sql_n = getattr(loc, "sql_n", 0) + 1
                bucket = f"request:{phase}"
            else:
                bucket = kind
            row = self.statements[bucket].setdefault(statement, {"ms": [], "params": parameters, "engine": label})
            row["ms"].append(ms)

    # -- the report ---------------------------------------------------------------------------

    def report(self, clerk) -> dict:
        import pstats

        out: dict = {"statements": {}, "transactions": {}, "begin_wait": dict(self.begin_wait),
                     "tx_read_ops": {k: dict(v) for k, v in self.tx_ops.items()}, "threads": {}}
        for bucket, rows in self.statements.items():
            ordered = sorted(rows.items(), key=lambda kv: -sum(kv[1]["ms"]))
            out["statements"][bucket] = [{"statement": s, "ms": r["ms"], "engine": r["engine"]} for s, r in ordered[:15]]
        out["transactions"] = {k: dict(v) for k, v in self.tx.items()}
        out["cprofile_request"] = {cmd: _pstats_text(prof) for cmd, prof in self.request_profiles.items()}
        alive = {f"{t.name} ({t.ident})" for t in threading.enumerate()}
        for name, prof in self.thread_profiles.items():
            if name in alive:  # still running: its profiler cannot be read safely
                out["threads"][name] = {"skipped": "still running"}
                continue
            try:
                stats = pstats.Stats(prof)
            except TypeError:  # never enabled anything worth a table
                continue
            total = getattr(stats, "total_tt", 0.0)
            out["threads"][name] = {"total_s": total, "text": _pstats_text(prof)}
        out["plans"] = self._plans(clerk)
        return out

    def _plans(self, clerk) -> list[dict]:
        plans = []
        for bucket, how_many in (("request:sql", 3), ("sender", 2)):
            rows = sorted(self.statements.get(bucket, {}).items(), key=lambda kv: -sum(kv[1]["ms"]))
            selects = [kv for kv in rows if kv[0].lstrip().upper().startswith("SELECT")][:how_many]
            for statement, r in selects:
                engine = self.engines.get(r["engine"]) or clerk.engine
                dialect = engine.dialect.name
                prefix = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN ANALYZE "
                try:
                    with engine.connect() as conn:
                        res = conn.exec_driver_sql(prefix + statement, r["params"] or ())
                        plan = "\n".join(str(row[3]) if dialect == "sqlite" else str(row[0]) for row in res)
                        conn.rollback()
                except Exception as exc:  # noqa: BLE001 - a plan is a nicety
                    plan = f"(no plan: {exc!r})"
                plans.append({"bucket": bucket, "statement": statement, "params": repr(r["params"])[:300],
                              "plan": plan, "avg": sum(r["ms"]) / len(r["ms"]), "calls": len(r["ms"])})
        return plans


def _pstats_text(profile) -> dict:
    """Top 30 by cumulative and by own time, and Clerk's own functions (not site-packages, not
    the benchmark) by cumulative time."""
    import pstats
    import re

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    own = "^" + re.escape(root) + r"/(?!\.venv/|bench/)"
    out = {}
    for key, sort, restrict in (("cumulative", "cumulative", ()), ("tottime", "tottime", ()),
                                ("own", "cumulative", (own,))):
        buf = io.StringIO()
        try:
            pstats.Stats(profile, stream=buf).sort_stats(sort).print_stats(*restrict, 30)
        except TypeError:
            return {}
        text = buf.getvalue().replace(root + "/", "")
        start = text.find("   ncalls")
        out[key] = text[start:].rstrip() if start >= 0 else ""
        m = [line for line in text.splitlines() if "function calls" in line]
        out.setdefault("summary", m[0].strip() if m else "")
    return out


def main_child(role: str, argv: list[str]) -> int:
    if role == "_fake":
        return child_fake(argv)
    if role == "_bolt":
        return child_bolt(argv)
    if role == "_clerk":
        return child_clerk(argv)
    raise SystemExit(f"unknown role {role}")
