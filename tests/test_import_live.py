"""A 100,000-row import while the live app answers commands, on SQLite and PostgreSQL: the import
never holds the database for more than a moment, so every command sent meanwhile is answered
within the 3 seconds Slack waits (the client gives up after 3 s, as Slack does), and nobody sees
half an import: the log shows none of it until all of it."""
import csv
import datetime as dt
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from store.models import Action
from tests import slackreq
from tests.cli import clean_env
from tests.harness import SECRET
from tests.test_action_log import SETUP

ROOT = Path(__file__).resolve().parent.parent
ROWS = 100_000
SLACK_WAITS = 3  # seconds: then Slack shows the person an error


def write_log(path: Path, rows: int) -> None:
    people = ["AH", "VH", "GA", "JG", "DM"]
    with path.open("w", newline="") as out:
        w = csv.writer(out)
        w.writerow(["ref", "title", "owners", "due", "status", "raised", "closed", "last_update", "private"])
        for i in range(rows):
            year = 2008 + i * 10 // rows  # refs of years before the live log's (2018)
            raised = dt.date(year, 1, 1) + dt.timedelta(days=i % 360)
            closed = i % 4 != 0
            w.writerow([f"{i % (rows // 10) + 1}/{year % 100:02d}", f"Old action {i} on estates & finance",
                        "; ".join(people[i % 5:i % 5 + 1 + i % 2]), (raised + dt.timedelta(days=60)).isoformat(),
                        "closed" if closed else "open", raised.isoformat(),
                        (raised + dt.timedelta(days=30)).isoformat() if closed else "",
                        f"{raised.isoformat()}: noted" if i % 3 == 0 else "", "no"])


def test_commands_are_answered_while_a_100000_row_import_runs(clerk, database_url, tmp_path):
    for who, line in SETUP:
        clerk.says(who, line)
    clerk.says("GA", "/action new Live action owner AH", channel="CPR")
    log = tmp_path / "log.csv"
    write_log(log, ROWS)
    env = clean_env()
    importing = subprocess.Popen([sys.executable, "bot.py", "import", "actions", str(log), "--board", "P&R",
                                  "--as-of", "2018-11-28"], cwd=ROOT, env={**env, "DATABASE_URL": database_url},
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    answered, seen = [], []

    def officers():
        n = 0
        while importing.poll() is None:
            n += 1
            line = f"new Raised during the import {n} owner AH" if n % 2 else "list mine"
            resp = slackreq.slash(clerk.events_url, SECRET, "/action", line, user_id="UAH0001", user_name="ah",
                                  channel_id="CPR")
            answered.append((line, resp.status_code, resp.json()["text"]))
            with clerk.clerk.read_sessions() as s:
                seen.append(s.scalar(select(func.count()).select_from(Action)))
            time.sleep(0.05)

    original = slackreq.requests.post
    slackreq.requests.post = lambda *a, **kw: original(*a, **{**kw, "timeout": SLACK_WAITS})
    try:
        thread = threading.Thread(target=officers)
        thread.start()
        out, err = importing.communicate(timeout=600)
        thread.join(timeout=30)
    finally:
        slackreq.requests.post = original
    assert importing.returncode == 0, err
    assert f"Imported {ROWS} actions" in out
    assert len(answered) > 10, answered
    assert all(code == 200 for _, code, _ in answered)
    raised = [text for line, _, text in answered if line.startswith("new")]
    assert raised and all(text.startswith("Raised *") for text in raised), raised
    with clerk.clerk.sessions() as s:
        total = s.scalar(select(func.count()).select_from(Action))
    assert total == ROWS + 1 + len(raised)
    # all or nothing: the log held only the live actions until the import's last moment
    assert all(n <= 1 + len(raised) or n >= ROWS for n in seen), sorted(set(seen))[:10]


def test_an_import_killed_half_way_leaves_the_log_as_it_was(clerk, database_url, tmp_path):
    from store.db import unit_of_work
    from store.imports import STALE, undo_stale
    from store.models import ActionEvent, ImportRun, Person
    for who, line in SETUP:
        clerk.says(who, line)
    log = tmp_path / "log.csv"
    write_log(log, 60_000)
    with clerk.clerk.sessions() as s:
        people_before = s.scalar(select(func.count()).select_from(Person))
    env = clean_env()
    importing = subprocess.Popen([sys.executable, "bot.py", "import", "actions", str(log), "--board", "P&R",
                                  "--as-of", "2018-11-28"], cwd=ROOT, env={**env, "DATABASE_URL": database_url},
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:  # until it has written some parts
        with clerk.clerk.read_sessions() as s:
            written = s.scalar(select(func.count()).select_from(Action).execution_options(
                see_unfinished_imports=True))
        if written >= 8000:
            break
        time.sleep(0.1)
    importing.kill()
    importing.wait(timeout=30)
    with clerk.clerk.read_sessions() as s:
        assert s.scalar(select(func.count()).select_from(Action)) == 0  # none of it shows
    with unit_of_work(clerk.clerk.sessions) as s:  # the next start-up (or import), once its heartbeat is old
        assert undo_stale(s, dt.datetime.now(dt.timezone.utc) + STALE * 2) == 1
    with clerk.clerk.read_sessions() as s:
        assert s.scalar(select(func.count()).select_from(Action).execution_options(see_unfinished_imports=True)) == 0
        assert s.scalar(select(func.count()).select_from(ActionEvent)) == 0
        assert s.scalar(select(func.count()).select_from(Person)) == people_before
        assert s.scalar(select(ImportRun.status)) == "undone"
