"""How fast Clerk answers slash commands as `python bot.py` serves it, against bare Bolt apps.

    .venv/bin/python bench/commands.py            # SQLite, and PostgreSQL when a server answers
    .venv/bin/python bench/commands.py --smoke    # small and quick: checks the benchmark runs

For each database (SQLite in a temp dir; a throwaway PostgreSQL database when the server at
--postgres-server answers): 100,000 actions seeded with SQLAlchemy Core; Clerk served by
`bot.main([])` in its own process exactly as `python bot.py` serves it (the outbox sender
running, App Home published by it through views.publish; the scheduler off, as on a replica),
talking to a fake Slack Web API (tests.fakeslack); and two bare Bolt apps that only ack (Bolt's
defaults, and process_before_response=True) on the same waitress settings, each in its own
process. Signed `/action list mine`, `show`, `update`, `new`, `close` and `digest` go to the three
servers interleaved, one client then 4 concurrent clients; per command it prints p50/p99/max and
Clerk p99 / default-Bolt p99 (targets: <= 0.5 sequential, <= 1.0 concurrent), the Web API calls
the fake Slack got, and Clerk's resident memory (target < 150 MB). Then `python bot.py import
actions` of a generated 100,000-row csv into the live database, with commands sent to the live
server meanwhile (target: >= 5,000 rows/s, and every command answered within 3 s). When a
target is missed, a fresh instrumented Clerk is profiled (SQL, transactions and lock waits,
cProfile of the requests and of the sender thread, query plans).

Not part of the test suite. See bench/README.md.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import itertools
import json
import math
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.children import SECRET, TOKEN, main_child, rss_kb  # noqa: E402
from bench.seeding import (  # noqa: E402
    BENCH_USER,
    BOARD_CHANNEL,
    GENERAL_CHANNEL,
    NEW_OWNER,
    Seeded,
    count_rows,
    outbox_counts,
    postgres_reachable,
    safe_url,
    seed,
    throwaway_postgres,
    write_import_csv,
)

SCRIPT = Path(__file__).resolve()
TZ = ZoneInfo("Europe/London")  # CLERK_TIMEZONE's default: what Clerk's "today" is
CMDS = ("list", "show", "update", "new", "close", "digest")
LABEL = {"list": "/action list mine", "show": "/action show <ref>", "update": "/action update <ref> <text>",
         "new": f"/action new <title> owner {NEW_OWNER} due <date>", "close": "/action close <ref>",
         "digest": "/action digest"}
SERVERS = ("clerk", "bolt-default", "bolt-pbr")
TARGET_SEQ, TARGET_CONC = 0.5, 1.0  # Clerk p99 / bolt-default p99
TARGET_RSS_MB, TARGET_IMPORT, LIVE_LIMIT_MS = 150, 5000, 3000
DEFAULT_PG = "postgresql+psycopg://clerk:clerk@127.0.0.1:5432/postgres"
SLACK_METHODS = ("chat.postMessage", "views.publish")


# ==========================================================================================
# numbers
# ==========================================================================================

def pct(values, p: float) -> float:
    """Nearest-rank percentile (p99 of 300 samples is the 297th smallest)."""
    if not values:
        return float("nan")
    xs = sorted(values)
    return xs[max(0, math.ceil(p / 100 * len(xs)) - 1)]


def f1(x: float) -> str:
    return "-" if x != x else (f"{x:.1f}" if x < 100 else f"{x:.0f}")


def ratio(a: float, b: float) -> float:
    return a / b if b and b == b and a == a else float("nan")


# ==========================================================================================
# child processes
# ==========================================================================================

class Child:
    """A process of ours running this script in a child role; closing its stdin tells it to stop."""

    def __init__(self, name: str, args: list[str], logdir: Path, env: dict | None = None):
        self.name = name
        self.log_path = logdir / f"{name}.log"
        self._log = open(self.log_path, "a")
        self.proc = subprocess.Popen([sys.executable, str(SCRIPT), *args], cwd=ROOT, text=True, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log)
        self.lock = threading.Lock()
        self.info = self._read("READY", timeout_note="start")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _read(self, tag: str, timeout_note: str = "") -> dict:
        while True:
            line = self.proc.stdout.readline()
            if not line:
                self.proc.wait(timeout=30)
                raise RuntimeError(f"{self.name} exited ({self.proc.returncode}) before {tag}; its log "
                                   f"({self.log_path}) ends:\n" + self.log_tail())
            if line.startswith(tag + " "):
                return json.loads(line[len(tag) + 1:])

    def ask(self, line: str, tag: str) -> dict:
        with self.lock:
            self.proc.stdin.write(line + "\n")
            self.proc.stdin.flush()
            return self._read(tag)

    def log_tail(self, n: int = 40) -> str:
        self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])

    def finish(self, timeout: float = 120) -> dict:
        try:
            self.proc.stdin.close()
            result = self._read("RESULT")
            self.proc.wait(timeout=timeout)
            return result
        finally:
            self.kill()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()  # this Popen is ours: killed by its own handle, nothing else
            self.proc.wait(timeout=10)
        if not self._log.closed:
            self._log.close()


class Fake:
    """The fake Slack Web API process, and its call counts."""

    def __init__(self, logdir: Path, nice: int = 0):
        self.child = Child("fakeslack", ["_fake", "--nice", str(nice)], logdir)
        self.url = self.child.info["url"]

    def counts(self) -> dict:
        return self.child.ask("COUNT", "COUNTS")

    @staticmethod
    def diff(after: dict, before: dict) -> dict:
        calls = Counter(after["calls"])
        calls.subtract(before["calls"])
        refused = Counter(after["refused"])
        refused.subtract(before["refused"])
        return {"calls": {k: v for k, v in calls.items() if v}, "refused": {k: v for k, v in refused.items() if v}}


def clerk_env(fake_url: str, database_url: str) -> dict:
    """What a deployment's environment holds (design.md, Settings); the scheduler off, as on a replica."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CLERK_", "DATABASE_URL", "PORT"))}
    env.update(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake_url,
               DATABASE_URL=database_url, CLERK_SCHEDULER="off", PORT="3000", PYTHONUNBUFFERED="1")
    return env


def start_clerk(name: str, fake: Fake, url: str, logdir: Path, profile: bool = False) -> Child:
    child = Child(name, ["_clerk"] + (["--profile"] if profile else []), logdir, env=clerk_env(fake.url, url))
    names = child.info.get("thread_names", [])
    child.info["sender_running"] = any("outbox" in n or "sender" in n for n in names)
    return child


# ==========================================================================================
# what the client sends
# ==========================================================================================

class OutOfTargets(Exception):
    pass


class Work:
    """The command lines: each /action close gets an open action nobody closed yet; show and
    update go round a pool of open actions; new gives AH a new action due in three weeks."""

    def __init__(self, seeded: Seeded, today: dt.date):
        self._close = iter(seeded.close_targets)
        self.close_left = len(seeded.close_targets)
        self._show = itertools.cycle(seeded.pool[::-1])
        self._update = itertools.cycle(seeded.pool)
        self.mine = set(seeded.mine)
        self._n = itertools.count(1)
        self._lock = threading.Lock()
        due = today + dt.timedelta(days=21)
        self.due = f"{due.day}/{due.month}"
        self.dummy = seeded.pool[0] if seeded.pool else "1/16"

    def line(self, cmd: str, consume: bool = True) -> tuple[str, str | None]:
        """(the command as typed, the ref it names)."""
        with self._lock:
            if cmd == "list":
                return "/action list mine", None
            if cmd == "digest":
                return "/action digest", None
            if cmd == "new":
                return (f"/action new Circulate the revised estates paper {next(self._n)} owner {NEW_OWNER} "
                        f"due {self.due}"), None
            if not consume:
                ref = self.dummy
            elif cmd == "close":
                ref = next(self._close, None)
                if ref is None:
                    raise OutOfTargets
                self.close_left -= 1
            else:
                ref = next(self._show if cmd == "show" else self._update)
            if cmd == "update":
                return f"/action update {ref} Spoke to the finance team; revised figures sent round to members", ref
            return f"/action {cmd} {ref}", ref


REFUSAL = re.compile(r"(?i)\busage:|\bi (?:did not|didn't|could not|couldn't|can't|cannot) |\bthere is no \b|"
                     r"\bno one\b|\bonly (?:its|the|an?) |\bwhich board\b|\bnot allowed\b|\bsomething went wrong\b|"
                     r"\berror\b|\bnot ready\b|\btry again\b|\bunknown\b|\bnot a date\b|\bcould be\b")
REF = re.compile(r"\b\d{1,6}/\d{2}\b")


def check_reply(cmd: str, ref: str | None, resp, work: Work) -> tuple[str | None, dict]:
    """None if the reply looks like the command was done (loosely: wording may change), else why not.
    Also returns what the reply showed (how many of the bench user's actions a list named, ...)."""
    seen: dict = {}
    if resp.status_code != 200:
        return f"HTTP {resp.status_code} {resp.text[:200]!r}", seen
    try:
        body = resp.json()
    except ValueError:
        return f"not JSON: {resp.text[:200]!r}", seen
    text = body.get("text") or ""
    everything = text + " " + json.dumps(body.get("blocks") or [], ensure_ascii=False)
    low = everything.lower()
    if REFUSAL.search(text):
        return f"refused or failed: {text[:300]!r}", seen
    sent_as_dm = "direct message" in low or "messages long" in low
    if cmd == "list":
        shown = sum(1 for r in work.mine if re.search(rf"(?<![\d/]){re.escape(r)}(?!\d)", everything))
        seen["listed"] = shown
        if not shown and not sent_as_dm:
            return f"none of the bench user's actions in {text[:300]!r}", seen
    elif cmd == "digest":
        seen["digest"] = "sent as DM" if sent_as_dm else "in the reply"
        if "open" not in low and not sent_as_dm:
            return f"no digest in {text[:300]!r}", seen
    elif cmd == "new":
        if "rais" not in low or not REF.search(everything):
            return f"no new ref in {text[:300]!r}", seen
    else:
        if ref and ref not in everything:
            return f"{ref} not in {text[:300]!r}", seen
        word = {"show": None, "update": "updat", "close": "close"}[cmd]
        if word and word not in low:
            return f"no '{word}' in {text[:300]!r}", seen
    return None, seen


class Client:
    def __init__(self, urls: dict[str, str], work: Work, channel: str, timeout: float):
        import requests  # noqa: F401 - fail early if missing

        from tests import slackreq

        self.urls, self.work, self.channel, self.timeout = urls, work, channel, timeout
        self.slackreq = slackreq
        self._local = threading.local()
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.seen: dict[str, Counter] = defaultdict(Counter)
        self._lock = threading.Lock()

    @property
    def session(self):
        import requests

        if not hasattr(self._local, "s"):
            self._local.s = requests.Session()
        return self._local.s

    def body(self, line: str) -> str:
        command, _, text = line.partition(" ")
        return self.slackreq.slash_body(command, text, user_id=BENCH_USER[1], user_name=BENCH_USER[0].lower(),
                                        channel_id=self.channel,
                                        channel_name="pr-board" if self.channel == BOARD_CHANNEL else "general")

    def send(self, server: str, cmd: str, body: str, phase: str, ref: str | None = None,
             check: bool = True) -> float:
        headers = {"Content-Type": self.slackreq.FORM, **self.slackreq.signature_headers(body, SECRET),
                   "X-Bench-Phase": phase, "X-Bench-Cmd": cmd}
        t0 = time.perf_counter()
        try:
            resp = self.session.post(self.urls[server], data=body.encode(), headers=headers, timeout=self.timeout)
        except Exception as exc:  # noqa: BLE001 - a timeout or a dropped connection is a result
            ms = (time.perf_counter() - t0) * 1000
            self._error(phase, f"{server} {cmd}: {type(exc).__name__} after {ms:.0f} ms")
            return ms
        ms = (time.perf_counter() - t0) * 1000
        if server == "clerk" and check:
            why, seen = check_reply(cmd, ref, resp, self.work)
            if why:
                self._error(phase, f"{cmd}: {why}")
            with self._lock:
                for k, v in seen.items():
                    self.seen[f"{phase}:{k}"][v] += 1
        elif resp.status_code != 200:
            self._error(phase, f"{server} {cmd}: HTTP {resp.status_code}")
        return ms

    def _error(self, phase: str, what: str) -> None:
        with self._lock:
            self.errors[phase].append(what)


# ==========================================================================================
# the runs
# ==========================================================================================

def run_sequential(client: Client, lat: dict, rounds: int, warmup: int, tag: str) -> None:
    servers = list(SERVERS)
    for r in range(warmup + rounds):
        phase = f"{tag}:warm" if r < warmup else f"{tag}:seq"
        shift = r % len(servers)
        order = servers[shift:] + servers[:shift]  # A B C, B C A, ...: no server always goes first
        for cmd in CMDS:
            line, ref = client.work.line(cmd)
            body = client.body(line)
            for server in order:
                ms = client.send(server, cmd, body, phase, ref)
                if r >= warmup:
                    lat[server][cmd].append(ms)


def run_concurrent(client: Client, lat: dict, per_cmd: int, threads: int, tag: str) -> dict[str, float]:
    """`threads` clients at once against one server at a time, in blocks of 5 rounds, the servers
    taking turns block by block; each client starts the command cycle at a different command."""
    servers = list(SERVERS)
    per_thread = max(1, math.ceil(per_cmd / threads))
    wall: Counter = Counter()
    count: Counter = Counter()

    def worker(server: str, rounds: int, phase: str, offset: int, keep: bool) -> list[tuple[str, float]]:
        out = []
        cmds = CMDS[offset % len(CMDS):] + CMDS[:offset % len(CMDS)]
        for _ in range(rounds):
            for cmd in cmds:
                line, ref = client.work.line(cmd, consume=server == "clerk")
                out.append((cmd, client.send(server, cmd, client.body(line), phase, ref, check=keep)))
        return out

    with ThreadPoolExecutor(threads) as pool:
        for server in servers:  # every worker thread opens its connection first
            list(pool.map(lambda i, server=server: worker(server, 1, f"{tag}:cwarm", i, False), range(threads)))
        done = b = 0
        while done < per_thread:
            rounds = min(5, per_thread - done)
            shift = b % len(servers)
            for server in servers[shift:] + servers[:shift]:
                t0 = time.perf_counter()
                futures = [pool.submit(worker, server, rounds, f"{tag}:conc", i, True) for i in range(threads)]
                for fut in futures:
                    for cmd, ms in fut.result():
                        lat[server][cmd].append(ms)
                        count[server] += 1
                wall[server] += time.perf_counter() - t0
            done += rounds
            b += 1
    return {s: count[s] / wall[s] for s in servers if wall[s]}


def wait_for_drain(url: str, fake: Fake, timeout: float) -> dict:
    """Until the outbox has nothing pending or being sent (or, if it cannot be read, until the
    fake Slack has had no call for 3 s)."""
    t0 = time.perf_counter()
    last, quiet_since = None, time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        counts = outbox_counts(url)
        if counts is not None:
            if not counts.get("pending") and not counts.get("sending"):
                return {"seconds": time.perf_counter() - t0, "outbox": counts, "drained": True}
        else:
            now = fake.counts()["calls"]
            if now != last:
                last, quiet_since = now, time.perf_counter()
            elif time.perf_counter() - quiet_since > 3:
                return {"seconds": time.perf_counter() - t0 - 3, "outbox": None, "drained": True}
        time.sleep(0.25)
    return {"seconds": time.perf_counter() - t0, "outbox": outbox_counts(url), "drained": False}


class RssSampler:
    """The Clerk process's resident memory, sampled every 0.25 s (and the kernel's own peak)."""

    def __init__(self, pid: int):
        self.pid, self.peak, self.last = pid, 0, 0
        self.sender_peak = 0  # Clerk's outbox sender process (CLERK_SENDER=process), sampled alike
        self._sender: int | None = None
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            self.sample()

    def sample(self) -> dict:
        r = rss_kb(self.pid)
        if r.get("VmRSS"):
            self.last = r["VmRSS"]
            self.peak = max(self.peak, r["VmRSS"], r.get("VmHWM", 0))
        sender = rss_kb(self._sender) if self._sender else {}
        if not sender.get("VmRSS"):
            self._sender = sender_pid(self.pid)
            sender = rss_kb(self._sender) if self._sender else {}
        if sender.get("VmRSS"):
            self.sender_peak = max(self.sender_peak, sender["VmRSS"], sender.get("VmHWM", 0))
        return r

    def stop(self) -> dict:
        self._stop.set()
        self._t.join(timeout=2)
        return {"last_mb": self.last / 1024, "peak_mb": self.peak / 1024, "sender_peak_mb": self.sender_peak / 1024}


def sender_pid(parent: int) -> int | None:
    """The child process Clerk sends its outbox from (started by multiprocessing's spawn), if any."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == parent and b"spawn_main" in (entry / "cmdline").read_bytes():
                return int(entry.name)
        except (OSError, ValueError, IndexError):
            continue
    return None


def sender_memory(rss: dict) -> str:
    peak = rss.get("sender_peak_mb") or 0
    return f"; its outbox sender process, peak {peak:.0f} MB (both: {rss['peak_mb'] + peak:.0f} MB)" if peak else ""


def measure_phase(kind: str, db: str, clerk: Child, fake: Fake, client: Client, url: str, args,
                  rss: RssSampler) -> dict:
    lat: dict = defaultdict(lambda: defaultdict(list))
    before = fake.counts()
    load0 = os.getloadavg()
    t0 = time.perf_counter()
    out: dict = {"lat": lat}
    if kind == "seq":
        print(f"  {db}: sequential, {args.warmup} warm-up + {args.requests} rounds of {len(CMDS)} commands x "
              f"{len(SERVERS)} servers ...", flush=True)
        run_sequential(client, lat, args.requests, args.warmup, db)
    else:
        print(f"  {db}: {args.threads} concurrent clients, {args.concurrent_requests} per command per server ...",
              flush=True)
        out["rps"] = run_concurrent(client, lat, args.concurrent_requests, args.threads, db)
    out["seconds"] = time.perf_counter() - t0
    during = fake.counts()
    out["rss_end_mb"] = rss.sample().get("VmRSS", 0) / 1024
    out["outbox_at_end"] = outbox_counts(url)
    drain = wait_for_drain(url, fake, args.drain_timeout)
    after = fake.counts()
    out.update(calls_during=Fake.diff(during, before), calls_total=Fake.diff(after, before), drain=drain,
               load=(load0, os.getloadavg()))
    out["lat"] = {s: dict(c) for s, c in lat.items()}
    return out


def import_phase(db: str, url: str, fake: Fake, logdir: Path, csv_path: Path, rows: int, client_channel: str,
                 work: Work, args, today: dt.date) -> dict:
    """`python bot.py import actions FILE` into the live database while a client keeps sending
    the six commands to the live server (one at a time, --live-pause apart)."""
    out: dict = {"rows": rows}
    clerk = start_clerk(f"clerk-{db}-import", fake, url, logdir)
    rss = RssSampler(clerk.pid)
    try:
        client = Client({"clerk": f"http://127.0.0.1:{clerk.info['port']}/slack/events"}, work, client_channel,
                        args.timeout)
        for cmd in CMDS:  # connection and caches warm, as the live server's would be
            line, ref = work.line(cmd)
            client.send("clerk", cmd, client.body(line), f"{db}:import-warm", ref)
        env = clerk_env(fake.url, url)
        t0 = time.perf_counter()
        up = subprocess.run([sys.executable, "bot.py", "db", "upgrade"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
        out["startup_s"] = time.perf_counter() - t0 if up.returncode == 0 else None
        imported_years = "year BETWEEN 1900 AND 2015"  # the csv's refs; live /action new raises this year's
        before_actions = count_rows(url, "action", imported_years)
        before = fake.counts()
        log = open(logdir / f"import-{db}.log", "w")
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "bot.py", "import", "actions", str(csv_path),
                                 "--as-of", today.isoformat()], cwd=ROOT, env=env, text=True,
                                stdout=subprocess.PIPE, stderr=log)
        lat: dict = defaultdict(list)
        cycle = itertools.cycle(CMDS)
        sent = 0
        while proc.poll() is None:
            cmd = next(cycle)
            try:
                line, ref = work.line(cmd)
            except OutOfTargets:
                continue
            lat[cmd].append(client.send("clerk", cmd, client.body(line), f"{db}:import", ref))
            sent += 1
            if time.perf_counter() - t0 > args.import_timeout:
                proc.kill()  # our own Popen
                out["error"] = f"import still running after {args.import_timeout:.0f} s; stopped"
                break
            time.sleep(args.live_pause)
        stdout, _ = proc.communicate(timeout=60)
        out["seconds"] = time.perf_counter() - t0
        log.close()
        out["rc"] = proc.returncode
        out["stdout"] = "\n".join((stdout or "").strip().splitlines()[:3])
        out["stderr"] = "\n".join((logdir / f"import-{db}.log").read_text(errors="replace").strip().splitlines()[-6:])
        after_actions = count_rows(url, "action", imported_years)
        out["imported"] = (after_actions - before_actions) if None not in (after_actions, before_actions) else None
        out["live"] = dict(lat)
        out["live_errors"] = client.errors.get(f"{db}:import", [])
        out["calls"] = Fake.diff(fake.counts(), before)
        if proc.returncode not in (0, None) and "error" not in out:
            out["error"] = f"bot.py import exited {proc.returncode}"
    finally:
        out["rss"] = rss.stop()
        try:
            clerk.finish()
        except Exception as exc:  # noqa: BLE001
            out.setdefault("error", f"Clerk did not stop cleanly: {exc}")
    return out


def profile_phase(db: str, url: str, fake: Fake, logdir: Path, channel: str, work: Work, worst: str,
                  profiled: list[str], args) -> dict:
    """A fresh Clerk (sender running, as served) with every statement and transaction timed:
    warm-up, `n` rounds of every command (SQL timed), n/2 rounds of the `profiled` commands under cProfile,
    then `threads` clients x n/2 mixed rounds (SQL and lock waits timed); the sender thread is
    under cProfile throughout."""
    n = args.profile_requests
    child = start_clerk(f"clerk-{db}-profile", fake, url, logdir, profile=True)
    try:
        client = Client({"clerk": f"http://127.0.0.1:{child.info['port']}/slack/events"}, work, channel,
                        args.timeout)
        for phase, k in (("warm", 10), ("sql", n)):
            for _ in range(k):
                for c in CMDS:
                    line, ref = work.line(c)
                    client.send("clerk", c, client.body(line), phase, ref)
        for _ in range(max(1, n // 2)):
            for c in profiled:
                line, ref = work.line(c)
                client.send("clerk", c, client.body(line), "cprofile", ref)
        if args.threads:
            def worker(i):
                cmds = CMDS[i % len(CMDS):] + CMDS[:i % len(CMDS)]
                for _ in range(max(1, n // 2)):
                    for c in cmds:
                        line, ref = work.line(c)
                        client.send("clerk", c, client.body(line), "csql", ref)
            with ThreadPoolExecutor(args.threads) as pool:
                list(pool.map(worker, range(args.threads)))
        wait_for_drain(url, fake, args.drain_timeout)
        result = child.finish(timeout=300)
    except BaseException:
        child.kill()
        raise
    result["worst"] = worst
    result["errors"] = {k: v for k, v in client.errors.items()}
    return result


# ==========================================================================================
# one database
# ==========================================================================================

def run_database(db: str, url: str, fake: Fake, bare: dict[str, Child], logdir: Path, args, csv_path: Path | None,
                 today: dt.date) -> dict:
    res: dict = {"db": db, "url": safe_url(url)}
    now = dt.datetime.now(dt.timezone.utc)
    print(f"\n##### {db}: {safe_url(url)}", flush=True)
    print(f"  seeding {args.actions:,} actions ({args.open:,} open, {args.mine} of them {BENCH_USER[0]}'s) ...",
          flush=True)
    seeded = seed(url, args.actions, args.open, args.mine, today, now, pool_size=min(600, max(20, args.open // 5)))
    res["seeded"] = {"actions": seeded.actions, "events": seeded.events, "open": seeded.open_,
                     "mine": len(seeded.mine), "people": len(seeded.people), "seconds": seeded.seconds,
                     "close_targets": len(seeded.close_targets)}
    per_db = (args.warmup + args.requests + (math.ceil(args.concurrent_requests / max(1, args.threads)) * args.threads
                                             + args.threads if args.threads else 0)
              + (10 + args.profile_requests + (1 + args.threads) * max(1, args.profile_requests // 2)
                 if args.profile != "off" else 0) + 2)
    print(f"  seeded {seeded.actions:,} actions, {seeded.events:,} events, {len(seeded.people)} people in "
          f"{seeded.seconds:.1f} s; {len(seeded.close_targets):,} open actions to close (about {per_db:,} needed "
          "before the import)", flush=True)
    if len(seeded.close_targets) < per_db:
        raise SystemExit(f"not enough open actions to close: raise --open above {args.open}")
    work = Work(seeded, today)
    channel = GENERAL_CHANNEL if args.channel == "general" else BOARD_CHANNEL
    gc.collect()

    clerk = start_clerk(f"clerk-{db}", fake, url, logdir)
    rss = RssSampler(clerk.pid)
    try:
        res["clerk_info"] = {k: clerk.info.get(k) for k in ("threads", "thread_names", "sender_running")}
        res["rss_start_mb"] = clerk.info.get("rss", {}).get("VmRSS", 0) / 1024
        if not clerk.info["sender_running"]:
            print("  WARNING: no outbox sender thread found in Clerk's process (threads: "
                  f"{', '.join(clerk.info.get('thread_names', []))}); the fake Slack's counts will tell", flush=True)
        urls = {"clerk": f"http://127.0.0.1:{clerk.info['port']}/slack/events",
                **{k: f"http://127.0.0.1:{c.info['port']}/slack/events" for k, c in bare.items()}}
        client = Client(urls, work, channel, args.timeout)
        # let the sender settle first (nothing is pending in a fresh database, but be sure)
        wait_for_drain(url, fake, args.drain_timeout)
        res["seq"] = measure_phase("seq", db, clerk, fake, client, url, args, rss)
        if args.threads:
            res["conc"] = measure_phase("conc", db, clerk, fake, client, url, args, rss)
        res["rss"] = rss.stop()
        result = clerk.finish()
        res["server_side"] = {"clerk": result.get("stats", {})}
        res["clerk_rc"] = result.get("rc")
    except BaseException:
        rss.stop()
        clerk.kill()
        raise
    res["errors"] = {k: v for k, v in client.errors.items()}
    res["seen"] = {k: dict(v) for k, v in client.seen.items()}
    res["bare_side"] = {k: c.ask("STATS", "STATS") for k, c in bare.items()}
    print_database(res, args)

    worst = max(CMDS, key=lambda c: ratio(pct(res["seq"]["lat"]["clerk"][c], 99),
                                          pct(res["seq"]["lat"]["bolt-default"][c], 99)))
    misses = any(ratio(pct(res["seq"]["lat"]["clerk"][c], 99), pct(res["seq"]["lat"]["bolt-default"][c], 99))
                 > TARGET_SEQ for c in CMDS)
    choice = args.profile
    if choice == "auto":
        choice = worst if misses else "off"
    if choice != "off":
        profiled = [choice] + [c for c in CMDS if c != choice and (args.profile != "auto" or ratio(
            pct(res["seq"]["lat"]["clerk"][c], 99), pct(res["seq"]["lat"]["bolt-default"][c], 99)) > TARGET_SEQ)]
        print(f"\n  {db}: profiling a fresh instrumented Clerk (under cProfile: {', '.join(profiled)}) ...", flush=True)
        res["profile"] = profile_phase(db, url, fake, logdir, channel, work, choice, profiled, args)
        print_profile(db, res["profile"], args)

    if csv_path is not None:
        print(f"\n  {db}: python bot.py import actions <{args.import_rows:,}-row csv> into the live database, "
              "commands sent to the live server meanwhile ...", flush=True)
        res["import"] = import_phase(db, url, fake, logdir, csv_path, args.import_rows, channel, work, args, today)
        print_import(db, res["import"])
    return res


# ==========================================================================================
# reporting
# ==========================================================================================

def calls_text(calls: dict) -> str:
    c = calls.get("calls", {})
    main = ", ".join(f"{m} {c.get(m, 0)}" for m in SLACK_METHODS)
    other = ", ".join(f"{m} {n}" for m, n in sorted(c.items()) if m not in SLACK_METHODS)
    refused = calls.get("refused") or {}
    return main + (f" (other: {other})" if other else "") + (
        f"; REFUSED by the fake Slack: {', '.join(f'{k} x{v}' for k, v in refused.items())}" if refused else "")


def print_database(res: dict, args) -> None:
    db = res["db"]
    ss = res["server_side"]
    for kind, title in (("seq", f"sequential, 1 client, {args.requests} rounds"),
                        ("conc", f"{args.threads} concurrent clients, {args.concurrent_requests} per command per server")):
        ph = res.get(kind)
        if not ph:
            continue
        target = TARGET_SEQ if kind == "seq" else TARGET_CONC
        print(f"\n=== {db}: {title} (ms, client round trip; wsgi = inside the server) ===")
        print(f"{'command':<34}{'server':<14}{'n':>5}{'p50':>8}{'p99':>8}{'max':>8}{'wsgi p50':>10}{'wsgi p99':>10}")
        for cmd in CMDS:
            for server in SERVERS:
                xs = ph["lat"].get(server, {}).get(cmd, [])
                side = (ss.get("clerk", {}) if server == "clerk" else res.get("bare_side", {}).get(server, {}))
                w = side.get(f"{db}:{kind}", {}).get(cmd, {}).get("wsgi", [])
                print(f"{LABEL[cmd] if server == 'clerk' else '':<34}{server:<14}{len(xs):>5}{f1(pct(xs, 50)):>8}"
                      f"{f1(pct(xs, 99)):>8}{f1(max(xs) if xs else float('nan')):>8}{f1(pct(w, 50)):>10}"
                      f"{f1(pct(w, 99)):>10}")
            c99 = pct(ph["lat"]["clerk"][cmd], 99)
            rd, rp = ratio(c99, pct(ph["lat"]["bolt-default"][cmd], 99)), ratio(c99, pct(ph["lat"]["bolt-pbr"][cmd], 99))
            print(f"{'':<34}Clerk p99 / bolt-default p99 = {rd:.2f} ({'meets' if rd <= target else 'MISSES'} "
                  f"<= {target}); Clerk p99 / bolt-pbr p99 = {rp:.2f}")
        if ph.get("rps"):
            print("throughput (requests/s): " + ", ".join(f"{s} {ph['rps'][s]:.0f}" for s in SERVERS if s in ph["rps"]))
        d = ph["drain"]
        print(f"fake Slack Web API calls during the run ({ph['seconds']:.0f} s): {calls_text(ph['calls_during'])}")
        print(f"  ... until the sender drained the outbox ({'drained' if d['drained'] else 'NOT drained'} "
              f"{d['seconds']:.1f} s after the run): {calls_text(ph['calls_total'])}")
        print(f"outbox at the run's end: {ph['outbox_at_end']}; after draining: {d['outbox']}")
        print(f"Clerk's resident memory at the run's end: {ph['rss_end_mb']:.0f} MB; load average "
              f"{ph['load'][0][0]:.2f} -> {ph['load'][1][0]:.2f}")
    print(f"Clerk's resident memory: {res['rss_start_mb']:.0f} MB at start, peak {res['rss']['peak_mb']:.0f} MB "
          f"(target < {TARGET_RSS_MB} MB: {'meets' if res['rss']['peak_mb'] < TARGET_RSS_MB else 'MISSES'})"
          + sender_memory(res['rss']))
    seen = res.get("seen", {})
    listed = seen.get(f"{db}:seq:listed")
    if listed:
        print(f"/action list mine named {', '.join(f'{n} of the bench user actions ({k}x)' for n, k in sorted(listed.items()))}")
    dig = seen.get(f"{db}:seq:digest")
    if dig:
        print(f"/action digest: {', '.join(f'{k} ({v}x)' for k, v in dig.items())}")
    errors = [e for k, v in res.get("errors", {}).items() for e in v if not k.endswith("cwarm")]
    if errors:
        by = Counter(e.split(":")[0] for e in errors)
        print(f"!!! {len(errors)} UNEXPECTED REPLIES ({dict(by)}); first: " + " | ".join(errors[:3]))
    else:
        print("every reply from Clerk looked like the command was done")
    sys.stdout.flush()


def print_import(db: str, imp: dict) -> None:
    print(f"\n=== {db}: python bot.py import actions <{imp['rows']:,}-row csv> into the live database ===")
    if imp.get("seconds"):
        n = imp.get("imported") or 0
        rate = n / imp["seconds"] if imp["seconds"] else 0
        startup = imp.get("startup_s")
        net = n / max(1e-9, imp["seconds"] - startup) if startup else float("nan")
        print(f"{imp['seconds']:.1f} s wall, {n:,} actions imported: {rate:,.0f} rows/s "
              f"(target >= {TARGET_IMPORT:,}: {'meets' if rate >= TARGET_IMPORT else 'MISSES'})"
              + (f"; `bot.py db upgrade` alone takes {startup:.1f} s, so {net:,.0f} rows/s net" if startup else ""))
        if imp.get("stdout"):
            print("  its summary starts: " + imp["stdout"].replace("\n", "\n    "))
    live = imp.get("live", {})
    allx = [x for xs in live.values() for x in xs]
    if allx:
        print(f"commands sent to the live server meanwhile: {len(allx)}; p50 {f1(pct(allx, 50))} p99 {f1(pct(allx, 99))} "
              f"max {f1(max(allx))} ms; {sum(x > LIVE_LIMIT_MS for x in allx)} over {LIVE_LIMIT_MS / 1000:.0f} s "
              f"(target: none)")
        print("  " + "; ".join(f"{c} n={len(live[c])} p99 {f1(pct(live[c], 99))} max {f1(max(live[c]))}"
                               for c in CMDS if live.get(c)))
    errs = imp.get("live_errors") or []
    if errs:
        print(f"!!! {len(errs)} unexpected replies during the import; first: " + " | ".join(errs[:3]))
    print(f"fake Slack Web API calls meanwhile: {calls_text(imp.get('calls', {}))}")
    print(f"Clerk's resident memory during the import: peak {imp['rss']['peak_mb']:.0f} MB")
    if imp.get("error"):
        print(f"!!! IMPORT: {imp['error']}")
        if imp.get("stderr"):
            print("  stderr ends:\n    " + imp["stderr"].replace("\n", "\n    "))
    sys.stdout.flush()


def _stmt(s: str, n: int = 150) -> str:
    return " ".join(s.split())[:n]


def print_profile(db: str, result: dict, args) -> None:
    prof = result.get("profile") or {}
    st = result.get("stats", {})
    n = args.profile_requests
    print(f"\n=== {db}: profile of a fresh Clerk, sender running (every statement and transaction timed) ===")
    for ph, title in (("sql", f"sequential, {n} of each command"), ("csql", f"{args.threads} clients, mixed")):
        if ph not in st:
            continue
        print(f"\n{title}: per request (ms; in_app = Bolt + Clerk inside waitress)")
        print(f"{'command':<34}{'in_app p50':>11}{'p99':>8}{'SQL p50':>9}{'p99':>8}{'statements':>12}")
        for c in CMDS:
            d = st[ph].get(c, {})
            h, q, nq = d.get("in_app", []), d.get("sql", []), d.get("sql_n", [])
            print(f"{LABEL[c]:<34}{f1(pct(h, 50)):>11}{f1(pct(h, 99)):>8}{f1(pct(q, 50)):>9}{f1(pct(q, 99)):>8}"
                  f"{pct(nq, 50):>12.0f}")
    for bucket, title in (("request:sql", "requests, sequential"), ("request:csql", "requests, concurrent"),
                          ("sender", "the outbox sender thread, whole run")):
        rows = prof.get("statements", {}).get(bucket, [])
        if not rows:
            continue
        print(f"\nstatements by total time, {title} (ms):")
        print(f"{'calls':>6}{'total':>9}{'avg':>8}{'p99':>8}{'max':>8}  engine   statement")
        for row in rows[:10]:
            ms = row["ms"]
            print(f"{len(ms):>6}{sum(ms):>9.1f}{sum(ms) / len(ms):>8.2f}{pct(ms, 99):>8.2f}{max(ms):>8.1f}  "
                  f"{row['engine']:<8} {_stmt(row['statement'])}")
    tx = prof.get("transactions", {})
    if tx:
        print("\ntransactions, by engine / thread: how long each was held (first statement or BEGIN to "
              "COMMIT/ROLLBACK), ms")
        print(f"{'engine/thread command':<28}{'kind':<7}{'n':>7}{'p50':>8}{'p99':>8}{'max':>9}{'total':>10}")
        for key in sorted(tx):
            for kind in ("wrote", "read"):
                xs = tx[key].get(kind, [])
                if xs:
                    print(f"{key:<28}{kind:<7}{len(xs):>7}{f1(pct(xs, 50)):>8}{f1(pct(xs, 99)):>8}{f1(max(xs)):>9}"
                          f"{sum(xs):>10.0f}")
        for key, ops in prof.get("tx_read_ops", {}).items():
            if key.startswith("engine/") and ops and "request" not in key:
                print(f"  read-only transactions on the writing engine ({key}): statements {ops}")
    waits = prof.get("begin_wait", {})
    for key, xs in sorted(waits.items()):
        print(f"BEGIN wait {key}: n {len(xs)} p50 {pct(xs, 50):.2f} p99 {f1(pct(xs, 99))} max {f1(max(xs))} ms; "
              f"{sum(x > 5 for x in xs)} over 5 ms")
    for plan in prof.get("plans", []):
        print(f"\nplan ({plan['bucket']}, {plan['calls']} calls, {plan['avg']:.2f} ms each): {_stmt(plan['statement'], 220)}"
              f"\n  params {plan['params']}")
        print("\n".join("  | " + line for line in plan["plan"].splitlines()))
    worst = result.get("worst")
    for cmd, cp in sorted((prof.get("cprofile_request") or {}).items(), key=lambda kv: kv[0] != worst):
        print(f"\ncProfile of {max(1, n // 2)} x {LABEL.get(cmd, cmd)} (request threads; {cp.get('summary', '')}); "
              "Clerk's own functions by cumulative time (cProfile roughly doubles Python-heavy time):")
        print(cp.get("own", ""))
        if cmd == worst:
            for key in ("cumulative", "tottime"):
                print(f"... every function, by {key}, top 30:\n{cp.get(key, '')}")
    for name, t in (prof.get("threads") or {}).items():
        if t.get("text", {}).get("cumulative") and t.get("total_s", 0) > 0.05:
            print(f"\ncProfile of thread {name} over the whole profile run ({t['text'].get('summary', '')}); "
                  "Clerk's own functions by cumulative time:")
            print(t["text"].get("own", ""))
            print(f"... every function, by tottime, top 30:\n{t['text'].get('tottime', '')}")
    errors = [e for v in (result.get("errors") or {}).values() for e in v]
    if errors:
        print(f"!!! {len(errors)} unexpected replies in the profile run; first: " + " | ".join(errors[:3]))
    try:  # a micro-measure of the date parser, if grammar.dates still reads this way
        from grammar.dates import read_date, warm

        warm()
        read_date("14/12", dt.date.today())
        t0 = time.perf_counter()
        for _ in range(200):
            read_date("14/12", dt.date.today())
        print(f"\ndateparser: grammar.dates.read_date('14/12') costs {(time.perf_counter() - t0) / 200 * 1000:.2f} ms "
              "per call (in the bench process, warm)")
    except Exception:  # noqa: BLE001
        pass
    sys.stdout.flush()


def summary(results: list[dict], args) -> list[str]:
    """The markdown tables for bench/README.md."""
    out = []
    for res in results:
        db = res["db"]
        seq, conc = res.get("seq"), res.get("conc")
        if not seq:
            out.append(f"\n#### {db}\n")
            out.extend(_import_summary(res.get("import")))
            continue
        out.append(f"\n#### {db}: sequential, 1 client, {args.requests} per command per server (ms)\n")
        out.append("| command | Clerk p50 / p99 / max | bolt-default p50 / p99 / max | bolt-pbr p50 / p99 / max "
                   "| Clerk p99 / default p99 (<= 0.5) | Clerk p99 / pbr p99 |")
        out.append("|---|---|---|---|---|---|")
        for cmd in CMDS:
            cells = []
            for s in SERVERS:
                xs = seq["lat"][s][cmd]
                cells.append(f"{f1(pct(xs, 50))} / {f1(pct(xs, 99))} / {f1(max(xs))}")
            c99 = pct(seq["lat"]["clerk"][cmd], 99)
            rd = ratio(c99, pct(seq["lat"]["bolt-default"][cmd], 99))
            rp = ratio(c99, pct(seq["lat"]["bolt-pbr"][cmd], 99))
            out.append(f"| `{LABEL[cmd]}` | {' | '.join(cells)} | **{rd:.2f}** | {rp:.1f} |")
        if conc:
            out.append(f"\n#### {db}: {args.threads} concurrent clients, {args.concurrent_requests} per command per "
                       "server (ms)\n")
            out.append("| command | Clerk p50 / p99 / max | bolt-default p50 / p99 / max | bolt-pbr p99 "
                       "| Clerk p99 / default p99 (<= 1.0) |")
            out.append("|---|---|---|---|---|")
            for cmd in CMDS:
                c, d, b = (conc["lat"][s][cmd] for s in SERVERS)
                out.append(f"| `{LABEL[cmd]}` | {f1(pct(c, 50))} / {f1(pct(c, 99))} / {f1(max(c))} | "
                           f"{f1(pct(d, 50))} / {f1(pct(d, 99))} / {f1(max(d))} | {f1(pct(b, 99))} | "
                           f"**{ratio(pct(c, 99), pct(d, 99)):.2f}** |")
            out.append("\nThroughput: " + ", ".join(f"{s} {conc['rps'][s]:.0f}/s" for s in SERVERS if s in conc["rps"]))
        lines = []
        for kind, ph in (("sequential", seq), ("concurrent", conc)):
            if ph:
                cd, ct = ph["calls_during"]["calls"], ph["calls_total"]["calls"]
                lines.append(f"{kind} run ({ph['seconds']:.0f} s): chat.postMessage {cd.get('chat.postMessage', 0)}, "
                             f"views.publish {cd.get('views.publish', 0)} during it; "
                             f"{ct.get('chat.postMessage', 0)} / {ct.get('views.publish', 0)} once the outbox drained "
                             f"({ph['drain']['seconds']:.0f} s later)")
        out.append("\nFake Slack: " + "; ".join(lines) + ".")
        out.append(f"Clerk's resident memory: {res['rss_start_mb']:.0f} MB at start, peak {res['rss']['peak_mb']:.0f} MB"
                   f"{sender_memory(res['rss'])}.")
        out.extend(_import_summary(res.get("import")))
    return out


def _import_summary(imp: dict | None) -> list[str]:
    if not imp or not imp.get("seconds"):
        return []
    n = imp.get("imported") or 0
    allx = [x for xs in imp.get("live", {}).values() for x in xs]
    return [f"Import of {imp['rows']:,} rows into the live database: {imp['seconds']:.1f} s, "
            f"{n / imp['seconds']:,.0f} rows/s ({n:,} imported{'; ' + imp['error'] if imp.get('error') else ''}); "
            f"meanwhile {len(allx)} commands to the live server: p50 {f1(pct(allx, 50))}, "
            f"p99 {f1(pct(allx, 99))}, max {f1(max(allx) if allx else float('nan'))} ms, "
            f"{sum(x > LIVE_LIMIT_MS for x in allx)} over 3 s; peak memory {imp['rss']['peak_mb']:.0f} MB."]


def machine() -> str:
    cpu = ""
    with contextlib.suppress(OSError):
        m = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = m.group(1).strip() if m else ""
    t0 = time.perf_counter()
    for _ in range(1_000_000):
        pass
    loop_ms = (time.perf_counter() - t0) * 1000
    return (f"nproc {os.cpu_count()}; {cpu}; a 1,000,000-iteration empty for loop takes {loop_ms:.0f} ms; "
            f"Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}; {platform.system()} "
            f"{platform.release()}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


# ==========================================================================================
# main
# ==========================================================================================

SMOKE = {"actions": 5000, "open": 1500, "mine": 50, "requests": 30, "warmup": 5, "concurrent_requests": 20,
         "import_rows": 2000, "profile_requests": 10}


def parse(argv: list[str]):
    p = argparse.ArgumentParser(prog="bench/commands.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--actions", type=int, default=100_000, help="actions to seed (default 100000)")
    p.add_argument("--open", type=int, default=3000, help="how many of them are open (default 3000)")
    p.add_argument("--mine", type=int, default=50, help="open actions the bench user owns (default 50)")
    p.add_argument("--requests", type=int, default=300, help="timed rounds, sequential (default 300)")
    p.add_argument("--warmup", type=int, default=20, help="warm-up rounds (default 20)")
    p.add_argument("--threads", type=int, default=4, help="concurrent clients; 0 skips that run (default 4)")
    p.add_argument("--concurrent-requests", type=int, default=200, help="per command per server (default 200)")
    p.add_argument("--channel", choices=["general", "board"], default="general",
                   help="type the commands in a general channel (default) or the board's channel")
    p.add_argument("--databases", default="sqlite,postgresql",
                   help="which: sqlite, postgresql or both (default; PostgreSQL only if --postgres-server answers)")
    p.add_argument("--postgres-server", metavar="URL", default=DEFAULT_PG,
                   help=f"a server where a throwaway database may be created and dropped (default {DEFAULT_PG})")
    p.add_argument("--database-url", help="instead: one EMPTY database to seed and use (any SQLAlchemy URL)")
    p.add_argument("--profile", choices=["auto", *CMDS, "off"], default="auto",
                   help="profile a fresh Clerk; auto: when a command misses its target, the worst under cProfile")
    p.add_argument("--profile-requests", type=int, default=100)
    p.add_argument("--import-rows", type=int, default=100_000, help="rows of the import csv; 0 skips the import")
    p.add_argument("--import-only", action="store_true",
                   help="only the import (with live commands), on a freshly seeded database")
    p.add_argument("--live-pause", type=float, default=0.1, help="seconds between live commands during the import")
    p.add_argument("--import-timeout", type=float, default=1800)
    p.add_argument("--timeout", type=float, default=120, help="per request, seconds (default 120)")
    p.add_argument("--drain-timeout", type=float, default=600, help="seconds to wait for the outbox to drain")
    p.add_argument("--fake-slack-nice", type=int, default=0, metavar="N",
                   help="CPU priority of the fake Slack Web API (default 0, Clerk's); it stands in for Slack's "
                        "servers, whose work is not done on Clerk's machine: 10 makes it take the CPU last")
    p.add_argument("--smoke", action="store_true", help="small and quick: " +
                   " ".join(f"--{k.replace('_', '-')} {v}" for k, v in SMOKE.items()))
    p.add_argument("--json", metavar="FILE", help="also write every measurement to FILE")
    p.add_argument("--keep", action="store_true", help="keep the temp dir (databases, csv, every process's log)")
    args = p.parse_args(argv)
    if args.smoke:
        given = {a.split("=")[0] for a in argv if a.startswith("--")}
        for k, v in SMOKE.items():
            if f"--{k.replace('_', '-')}" not in given:
                setattr(args, k, v)
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] and argv[0].startswith("_"):
        return main_child(argv[0], argv[1:])
    args = parse(argv)
    if args.import_only:
        args.requests = args.warmup = args.threads = 0
        args.profile = "off"
    today = dt.datetime.now(TZ).date()
    tmpdir = Path(tempfile.mkdtemp(prefix="clerk-bench-"))
    print(f"machine: {machine()}")
    print(f"before starting: {cpu_busy()}; busiest processes (ps, lifetime average): {busiest()}")
    print(f"Clerk: {ROOT} ({_git_head()}); today is {today} ({TZ.key})")
    print(f"work dir: {tmpdir}" + ("" if args.keep else " (removed at the end; --keep keeps it)"), flush=True)

    wanted = {w.strip() for w in args.databases.split(",") if w.strip()}
    targets: list[tuple[str, object]] = []
    if args.database_url:
        targets.append((args.database_url.split(":")[0].split("+")[0], lambda: contextlib.nullcontext(args.database_url)))
    else:
        if "sqlite" in wanted:
            targets.append(("SQLite", lambda: contextlib.nullcontext(f"sqlite:///{tmpdir}/clerk.db")))
        if "postgresql" in wanted:
            why = postgres_reachable(args.postgres_server)
            if why is None:
                targets.append(("PostgreSQL", lambda: throwaway_postgres(args.postgres_server)))
            else:
                print(f"PostgreSQL at {safe_url(args.postgres_server)} does not answer ({why}): SQLite only. "
                      "Start it (pg_ctlcluster 15 main start) and give the role CREATEDB (see .ci/run), "
                      "or pass --postgres-server URL.", flush=True)
    results: list[dict] = []
    fake = bare = None
    try:
        csv_path = None
        if args.import_rows:
            csv_path = tmpdir / f"actions-{args.import_rows}.csv"
            write_import_csv(csv_path, args.import_rows, today)
        fake = Fake(tmpdir, args.fake_slack_nice)
        bare = {"bolt-default": Child("bolt-default", ["_bolt", "--fake-url", fake.url], tmpdir),
                "bolt-pbr": Child("bolt-pbr", ["_bolt", "--pbr", "--fake-url", fake.url], tmpdir)}
        print("servers: waitress threads " + ", ".join(f"{k} {c.info['threads']} ({c.info['how']})"
                                                      for k, c in bare.items())
              + f"; the fake Slack at nice {args.fake_slack_nice}", flush=True)
        for label, make in targets:
            with make() as url:
                res = run_database(label, url, fake, bare, tmpdir, args, csv_path, today) if not args.import_only \
                    else import_only(label, url, fake, tmpdir, args, csv_path, today)
                results.append(res)
        for c in bare.values():
            c.finish()
        bare = None
        calls = fake.child.finish()
        fake = None
        print("\n" + "=" * 100)
        print(f"machine: {machine()}")
        print(f"busiest processes at the end (ps, lifetime average): {busiest()}")
        print(f"fake Slack Web API calls over the whole run: {calls_text(calls)}")
        print("\nSUMMARY (markdown, for bench/README.md)")
        print("\n".join(summary(results, args)))
        if args.json:
            Path(args.json).write_text(json.dumps(results, default=str))
            print(f"\nevery measurement: {args.json}")
    finally:
        for child in (*(bare or {}).values(), *([fake.child] if fake else [])):
            child.kill()
        if not args.keep:
            shutil.rmtree(tmpdir, ignore_errors=True)
    bad = sum(len(v) for res in results for k, v in res.get("errors", {}).items() if not k.endswith("cwarm"))
    return 1 if bad else 0


def import_only(label: str, url: str, fake: Fake, tmpdir: Path, args, csv_path: Path | None, today: dt.date) -> dict:
    now = dt.datetime.now(dt.timezone.utc)
    seeded = seed(url, args.actions, args.open, args.mine, today, now, pool_size=min(600, max(20, args.open // 5)))
    res = {"db": label, "url": safe_url(url), "seeded": {"actions": seeded.actions}}
    if csv_path is not None:
        res["import"] = import_phase(label, url, fake, tmpdir, csv_path, args.import_rows,
                                     GENERAL_CHANNEL if args.channel == "general" else BOARD_CHANNEL,
                                     Work(seeded, today), args, today)
        print_import(label, res["import"])
    return res


def cpu_busy(seconds: float = 1.0) -> str:
    """How busy the machine's CPUs were over `seconds` (from /proc/stat), before this benchmark's load."""
    def read():
        with open("/proc/stat") as f:
            xs = [int(x) for x in f.readline().split()[1:]]
        return sum(xs), xs[3] + xs[4]  # total, idle + iowait
    try:
        t0, i0 = read()
        time.sleep(seconds)
        t1, i1 = read()
        return f"{100 * (1 - (i1 - i0) / max(1, t1 - t0)):.0f}% of {os.cpu_count()} CPUs busy"
    except OSError:
        return "?"


def busiest(n: int = 5) -> str:
    """The processes using the most CPU (ps's lifetime average), to note what else the machine runs."""
    try:
        out = subprocess.run(["ps", "-eo", "pcpu,etimes,args", "--sort=-pcpu"], capture_output=True, text=True,
                             timeout=10).stdout.splitlines()[1:n + 1]
        return "; ".join(f"{line.split()[0]}% {' '.join(line.split()[2:])[:70]}" for line in out)
    except (OSError, subprocess.SubprocessError):
        return "?"


def _git_head() -> str:
    try:
        return subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True,
                              text=True, timeout=10).stdout.strip() or "no git"
    except OSError:
        return "no git"


if __name__ == "__main__":
    sys.exit(main())
