"""A full-fidelity backup, on SQLite and PostgreSQL: boards, people with their Slack ids, roles,
actions with their whole history, meetings, the plan and settings go into one workbook, and into an
empty database come back exactly; importing it again changes nothing and says so."""
import subprocess
import sys
from pathlib import Path

from exchange.backup import dump
from tests.cli import bot
from tests.test_action_log import SETUP

ROOT = Path(__file__).resolve().parent.parent



def a_busy_log(clerk):
    for who, line in SETUP:
        clerk.says(who, line)
    clerk.says("GA", "/clerk board Strategic Board secretary + <@UGA0001|ga> channel <#CSB|strategic>")
    clerk.says("GA", "/clerk settings closure chair-confirms numbering municipal-year board P&R")
    clerk.says("GA", "/meeting add 3 January 2019 10am board P&R")
    clerk.says("GA", "/meeting add 7 February 2019 provisional board P&R")
    clerk.says("GA", "/action new Circulate the OSG paper owner AH and VH due 14/12 board P&R")
    clerk.says("GA", "/action new Essex Juno evaluation owner AH private due 20/12 board P&R")
    clerk.says("GA", "/action new Strategy refresh owner GN board Strategic Board")
    clerk.says("AH", "/action update 1/18 Sent to the panel; & <the> rest tomorrow")
    clerk.says("AH", "/action close 1/18 Done")
    clerk.says("JG", "/action confirm 1/18")
    clerk.says("GA", "/action close 2/18 when the evaluation is in")
    clerk.says("GA", "/action due 3/18 10/1/2019")
    clerk.says("GA", "/action assign 2/18 + VH")
    clerk.says("GA", "/plan add Q2 Performance Report for 3 January 2019 owner AH quarterly board P&R")
    clerk.says("GA", "/plan add DVPO study for tbc owner AH and VH private board P&R")
    clerk.says("GA", "/plan drop FP-2 not this year board P&R")
    clerk.says("GA", "/clerk person GN name Gareth Nicolson")


def test_a_backup_reproduces_everything_in_an_empty_database(clerk, database_url, empty_url, tmp_path):
    a_busy_log(clerk)
    shown = [clerk.says("GA", f"/action show {ref} board P&R") for ref in ("1/18", "2/18")]
    backup = tmp_path / "clerk-backup.xlsx"
    done = bot("export", "backup", "--output", str(backup), database_url=database_url)
    assert done.returncode == 0, done.stderr
    assert "2 board" in done.stdout
    done = bot("import", "backup", str(backup), database_url=empty_url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Imported the backup clerk-backup.xlsx: 2 boards")

    from store.db import make_engine, make_sessionmaker
    engines = [make_engine(u, writer=False) for u in (database_url, empty_url)]
    try:
        dumps = []
        for engine in engines:
            with make_sessionmaker(engine)() as s:
                dumps.append(dump(s))
        before, after = dumps
    finally:
        for e in engines:
            e.dispose()
    moved_on = after.pop("directory"), before.pop("directory")
    assert after == before  # every other table, every row, every value
    assert moved_on[0][1][1] > moved_on[1][1][1]  # the directory's version: past the backup's (see below)
    for what in ("actions", "plan"):
        for fmt in ("csv", "md"):
            first = bot("export", what, "--board", "P&R", "--format", fmt, database_url=database_url)
            second = bot("export", what, "--board", "P&R", "--format", fmt, database_url=empty_url)
            assert first.returncode == second.returncode == 0 and first.stdout == second.stdout
    again = bot("import", "backup", str(backup), database_url=empty_url)
    assert again.returncode == 0 and again.stdout.startswith("Nothing imported: everything in clerk-backup.xlsx")
    assert shown[0].startswith("*1/18* Circulate the OSG paper")


def test_a_backup_into_a_database_with_another_log_is_refused(clerk, database_url, empty_url, tmp_path):
    a_busy_log(clerk)
    backup = tmp_path / "b.xlsx"
    assert bot("export", "backup", "--output", str(backup), database_url=database_url).returncode == 0
    bot("console", database_url=empty_url)
    done = subprocess.run([sys.executable, "bot.py", "console"], cwd=ROOT, input="clerk board Other\n",
                          env={"PATH": "/usr/bin:/bin", "DATABASE_URL": empty_url}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    refused = bot("import", "backup", str(backup), database_url=empty_url)
    assert refused.returncode == 2 and "already holds a log that is not the backup's" in refused.stderr
    not_one = tmp_path / "x.xlsx"
    not_one.write_text("no")
    refused = bot("import", "backup", str(not_one), database_url=empty_url)
    assert refused.returncode == 2 and "is not a Clerk backup" in refused.stderr


def test_a_clerk_already_serving_the_empty_database_knows_the_restored_people_at_once(
        clerk, database_url, empty_url, fake_slack, tmp_path):
    """A process keeps boards and people by the directory's version. The backup's version is made
    the very one the serving Clerk read for the empty directory: were it kept, that Clerk would go
    on knowing nobody."""
    import openpyxl

    from store.db import make_engine, make_sessionmaker
    from store.people import directory_version
    from tests.harness import ClerkUnderTest

    a_busy_log(clerk)
    backup = tmp_path / "clerk-backup.xlsx"
    assert bot("export", "backup", "--output", str(backup), database_url=database_url).returncode == 0
    with ClerkUnderTest(empty_url, fake_slack) as serving:
        nobody = serving.says("GA", "/action show 1/18 board P&R")
        assert "1/18" not in nobody or "Circulate" not in nobody
        engine = make_engine(empty_url, writer=False)
        try:
            with make_sessionmaker(engine)() as s:
                held = directory_version(s)
        finally:
            engine.dispose()
        book = openpyxl.load_workbook(backup)
        sheet = book["directory"]
        column = [c.value for c in sheet[1]].index("version") + 1
        assert sheet.cell(row=2, column=column).value > held
        sheet.cell(row=2, column=column).value = held
        book.save(backup)
        done = bot("import", "backup", str(backup), database_url=empty_url)
        assert done.returncode == 0, done.stderr
        shown = serving.says("GA", "/action show 1/18 board P&R")
    assert shown.startswith("*1/18* Circulate the OSG paper"), shown
