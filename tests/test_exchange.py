"""Importing a board's action log from csv or xlsx, and exporting it. Run on SQLite and PostgreSQL.

The P&R log (tests/data/pr-board-log-2018-10.csv) is the Essex Performance & Resources Board's
log as it stood before the meeting of 29 November 2018, rebuilt from that meeting's minutes.
"""
import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from exchange import actions as exchange
from store import actions as log
from store import boards
from store.db import make_engine, make_sessionmaker, unit_of_work, upgrade
from store.models import Action, ActionEvent, Board, Person
from tests import cli
from tests.databases import new_postgres_database

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).with_name("data")
PR_LOG = DATA / "pr-board-log-2018-10.csv"
BAD_ROWS = DATA / "pr-board-log-bad-rows.csv"
AS_OF = dt.date(2018, 11, 28)
NOW = dt.datetime(2018, 11, 29, 9, tzinfo=dt.UTC)
MEETING = dt.date(2018, 11, 29)


def open_database(url):
    engine = make_engine(url)
    upgrade(engine)
    return engine, make_sessionmaker(engine)


def make_board(sessions, name="P&R"):
    """A board set up by its secretary, GA; AH is on Slack and registered."""
    with unit_of_work(sessions) as s:
        ga = Person(name="Glykeria Anyfanti", initials="GA", created=NOW)
        ah = Person(name="Anna Hook", initials="AH", slack_user_id="U0ANNAHOOK", created=NOW)
        s.add_all([ga, ah])
        s.flush()
        board = boards.create_board(s, ga, name, NOW)  # GA sets it up: its secretary
        return board.id


@pytest.fixture
def sessions(database_url):
    engine, sessions = open_database(database_url)
    yield sessions
    engine.dispose()


@pytest.fixture
def board_id(sessions):
    return make_board(sessions)


@pytest.fixture
def fresh_sessions(database_url, tmp_path):
    """A second, empty database of the same kind, for round trips."""
    if database_url.startswith("sqlite"):
        engine, sessions = open_database(f"sqlite:///{tmp_path}/fresh.db")
        yield sessions
        engine.dispose()
    else:
        with new_postgres_database() as url:
            engine, sessions = open_database(url)
            yield sessions
            engine.dispose()


def import_file(sessions, board_id, path, as_of=AS_OF, skip_bad=False, **kw):
    rows, bad = exchange.read_log(exchange.read_table(path), as_of)
    done = exchange.import_log(sessions, board_id, rows, bad, as_of, NOW, skip_bad=skip_bad, **kw)
    return done.refs, [str(b) for b in done.skipped], done.new_people


def action(s, ref):
    number, yy = ref.split("/")
    return s.scalars(select(Action).where(Action.number == int(number), Action.year == 2000 + int(yy))).one()


def export_csv(sessions, board_id, status="all", today=MEETING):
    with sessions() as s:
        rows = exchange.export_rows(s, s.get(Board, board_id), status, today)
    out = io.StringIO()
    exchange.write_csv(rows, out)
    return out.getvalue()


# -- importing the P&R log ------------------------------------------------------------------

PR_REFS = ["42/18", "51/18", "65/18", "66/18", "68/18", "71/18", "72/18", "73/18", "74/18", "75/18", "76/18",
           "77/18", "78/18", "79/18", "80/18", "81/18", "82/18", "83/18", "84/18", "85/18", "87/18", "89/18"]


def test_the_pr_log_imports_its_22_open_actions_with_their_refs(sessions, board_id):
    refs, skipped, new_people = import_file(sessions, board_id, PR_LOG)

    assert refs == PR_REFS
    assert skipped == []
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Action)) == 22
        assert {a.status for a in s.scalars(select(Action))} == {"open"}
        assert {a.raised for a in s.scalars(select(Action))} == {AS_OF}


def test_owners_are_read_as_logs_write_them_and_unknown_ones_are_reported(sessions, board_id):
    _, _, new_people = import_file(sessions, board_id, PR_LOG)

    assert new_people == ["Gareth Nicholson", "PBI", "AP", "DM", "DS", "AG", "MH", "JG", "MG", "JD", "VH", "RH",
                          "Richard Leicester", "CG"]  # AH is registered already
    with sessions() as s:
        assert [p.label for p in action(s, "74/18").owners] == ["AH", "MG"]
        assert [p.label for p in action(s, "78/18").owners] == ["VH", "AH"]
        assert [p.label for p in action(s, "83/18").owners] == ["AH", "Richard Leicester"]
        anna = action(s, "74/18").owners[0]
        assert anna.slack_user_id == "U0ANNAHOOK"
        gareth = action(s, "42/18").owners[0]
        assert (gareth.name, gareth.initials, gareth.slack_user_id) == ("Gareth Nicholson", None, None)
        vh = s.scalars(select(Person).where(Person.initials == "VH")).one()
        assert (vh.name, vh.slack_user_id) == ("VH", None)


def test_part_b_titles_make_actions_private(sessions, board_id):
    import_file(sessions, board_id, PR_LOG)

    with sessions() as s:
        private = [a.ref for a in s.scalars(select(Action).where(Action.private).order_by(Action.number))]
    assert private == ["72/18", "73/18", "89/18"]


@pytest.mark.parametrize("ref, due", [
    ("42/18", dt.date(2018, 11, 29)),   # 29 November 2018
    ("51/18", dt.date(2018, 12, 22)),   # 22 nd December: the coming one, not December 2017
    ("66/18", dt.date(2018, 10, 25)),   # 25 October: last month, overdue
    ("72/18", dt.date(2018, 10, 31)),   # 31 st October
    ("74/18", dt.date(2019, 1, 3)),     # 3 rd January 2019
    ("78/18", dt.date(2018, 11, 30)),   # end of November
    ("80/18", dt.date(2018, 11, 29)),   # 29/11/2018
    ("84/18", dt.date(2018, 12, 14)),   # 14/12
    ("87/18", dt.date(2018, 12, 7)),    # 7 th December
    ("68/18", None),                    # TBC
])
def test_due_dates_are_read_against_the_as_of_date(sessions, board_id, ref, due):
    import_file(sessions, board_id, PR_LOG)

    with sessions() as s:
        assert action(s, ref).due == due


def test_each_imported_action_has_a_raised_event_and_its_update_dated_as_of(sessions, board_id):
    import_file(sessions, board_id, PR_LOG)

    with sessions() as s:
        a = action(s, "74/18")
        events = [(e.kind, e.dated, e.person_id) for e in log.history(s, a)]
        assert events == [("raised", AS_OF, None), ("update", AS_OF, None)]
        assert log.history(s, a)[1].text.startswith("Paper being prepared")
        assert s.scalar(select(func.count()).select_from(ActionEvent).where(ActionEvent.kind == "raised")) == 22


def test_the_next_action_raised_after_the_import_is_90_18(sessions, board_id):
    import_file(sessions, board_id, PR_LOG)

    with unit_of_work(sessions) as s:
        change = log.raise_action(s, s.get(Board, board_id), None, "OSG – analysis of anticipated impact",
                                  [], None, False, NOW, MEETING)
        assert change.action.ref == "90/18"


def test_text_a_bulk_write_could_garble_is_stored_as_written_across_parts(sessions, board_id, tmp_path,
                                                                        monkeypatch):
    """Titles and updates with tabs, line breaks, backslashes, quotes, a literal \\N (COPY's null)
    and non-ASCII go in as written, and every part's owners and events land on their own action."""
    from exchange import importing
    parts = []
    write = importing._write
    monkeypatch.setattr(importing, "_write", lambda s, board, part, *a: (parts.append(len(part)),
                                                                         write(s, board, part, *a)))
    odd = ["Tab\there", "Line one\nline two", "Back\\slash \\N and \\\\ two", 'Say "no" \'twice\'',
           "Ωmega – café £5", "Ends with a backslash \\", "\\N"]
    path = tmp_path / "odd.csv"
    with path.open("w", newline="") as out:
        w = csv.writer(out)
        w.writerow(["ref", "title", "owners", "status", "last_update"])
        for i, title in enumerate(odd, start=1):
            w.writerow([f"{i}/18", title, "AH" if i % 2 else "GA; AH", "open", f"2018-11-01: {title} (update)"])
    import_file(sessions, board_id, path, chunk=3)  # parts of 3, so each part's ids meet its own rows
    assert parts == [3, 3, 1]
    with sessions() as s:
        for i, title in enumerate(odd, start=1):
            a = action(s, f"{i}/18")
            assert a.title == title
            assert [p.initials for p in a.owners] == (["AH"] if i % 2 else ["GA", "AH"])
            assert [(e.kind, e.new, e.text) for e in log.history(s, a)] == [
                ("raised", title, None), ("update", None, f"{title} (update)")]


# -- rows that cannot be read ---------------------------------------------------------------

BAD = ["row 3: Due: I can't read “32 Smarch” as a date.",
       "row 4: no title (the Action column is empty)",
       "row 5: Ref: “84/1” is not a ref like 74/18",
       "row 6: 74/18 is already on the log",
       "row 8: 93/18 is also on row 7"]


def test_rows_that_cannot_be_read_are_listed_and_nothing_is_imported(sessions, board_id):
    import_file(sessions, board_id, PR_LOG)

    with pytest.raises(exchange.BadRows) as refused:
        import_file(sessions, board_id, BAD_ROWS)

    reasons = [str(b) for b in refused.value.bad]
    assert [r[:len(want)] for r, want in zip(reasons, BAD)] == BAD and len(reasons) == len(BAD)
    assert refused.value.readable == 2
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Action)) == 22


def test_skip_bad_imports_only_the_good_rows(sessions, board_id):
    import_file(sessions, board_id, PR_LOG)

    refs, skipped, _ = import_file(sessions, board_id, BAD_ROWS, skip_bad=True)

    assert refs == ["90/18", "93/18"]
    assert [s[:len(want)] for s, want in zip(skipped, BAD)] == BAD
    with sessions() as s:
        assert action(s, "90/18").due == dt.date(2019, 3, 1)
        assert s.scalar(select(func.count()).select_from(Action)) == 24


def test_a_file_without_an_action_column_is_refused(tmp_path):
    path = tmp_path / "minutes.csv"
    path.write_text("Item,Owner\n74/18,AH\n")

    with pytest.raises(exchange.TableError, match="Action, Description or Title"):
        exchange.read_log(exchange.read_table(path), AS_OF)


@pytest.mark.parametrize("words, status, condition", [
    ("", "open", None),
    ("This action will remain open.", "open", None),
    ("Ongoing", "open", None),
    ("This action is completed and can now close.", "closed", None),
    ("Complete", "closed", None),
    ("closed", "closed", None),
    ("closure proposed", "closure proposed", None),
    ("This action can close upon evaluation of the updated paper.", "closing when",
     "evaluation of the updated paper"),
    ("closing when the paper is evaluated.", "closing when", "the paper is evaluated."),
])
def test_statuses_are_read_in_the_exports_words_and_the_minutes(words, status, condition):
    assert exchange.read_status(words) == (status, condition)


# -- xlsx ---------------------------------------------------------------------------------------

def write_log_xlsx(path):
    """A log as a secretary keeps it in Excel: a heading above the header, real date cells."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Essex Police Performance and Resources Board – Action Log"])
    sheet.append(["Action No.", "Description", "Lead", "Deadline", "Status", "Comments", "Notes"])
    sheet.append(["74/18", "Mobile Policing", "AH", dt.datetime(2019, 1, 3), "This action will remain open.",
                  "On the agenda of the 3rd January 2019 meeting.", "see minutes"])
    sheet.append(["66/18", "Special Constabulary – funding lines", "DM", "25 October",
                  "This action can close upon evaluation of the updated paper.", None])
    sheet.append(["75/18", "Mobile Policing – assessment of mobile capability", "MG", "soonish", "Open", None])
    sheet.append([91, "Timeline for the DVPO and DVPN study", "AH and VH", None, None, None])
    sheet.append(["76/18", "Strategy and Outcomes for CSAS Organisations", "AH", "25 October", "Complete", None])
    sheet.append([None, "PART B ACTIONS"])
    book.save(path)


def test_an_xlsx_log_imports_with_row_numbers_as_excel_shows_them(sessions, board_id, tmp_path):
    path = tmp_path / "log.xlsx"
    write_log_xlsx(path)

    with pytest.raises(exchange.BadRows) as refused:
        import_file(sessions, board_id, path)
    assert [str(b)[:40] for b in refused.value.bad] == ["row 5: Deadline: I can't read “soonish” ",
                                                        "row 8: only a title, no ref, owner, date"]

    refs, _, _ = import_file(sessions, board_id, path, skip_bad=True)
    assert refs == ["66/18", "74/18", "76/18", "91/18"]
    with sessions() as s:
        assert action(s, "74/18").due == dt.date(2019, 1, 3)
        assert log.status_label(action(s, "66/18")) == "closing when evaluation of the updated paper"
        assert (action(s, "76/18").status, action(s, "76/18").closed) == ("closed", AS_OF)
        assert [p.label for p in action(s, "91/18").owners] == ["AH", "VH"]


# -- exporting ----------------------------------------------------------------------------------

def work_on_the_log(sessions, board_id):
    """What the meeting of 29 November 2018 did to the P&R log, and a little more."""
    with unit_of_work(sessions) as s:
        board = s.get(Board, board_id)
        ga = s.scalars(select(Person).where(Person.initials == "GA")).one()
        anna = s.scalars(select(Person).where(Person.initials == "AH")).one()
        log.add_update(s, action(s, "74/18"), anna, "Added to the agenda of the EP P&R Board, 3rd January 2019.",
                       NOW, MEETING)
        log.close(s, action(s, "51/18"), ga, "The action can now close.", NOW, MEETING)
        log.close(s, action(s, "66/18"), ga, "", NOW, MEETING, condition="evaluation of the updated paper")
        log.add_update(s, action(s, "66/18"), ga, "DM will send the updated analysis | AH circulates it\n"
                       "next week", NOW, MEETING)
        board.closure_rule = "chair-confirms"
        log.close(s, action(s, "79/18"), anna, "", NOW, MEETING)  # AH owns it but is not an officer
        kate = Person(slack_user_id="U0KATE", name="kate.s", created=NOW)  # on Slack, no initials
        s.add(kate)
        log.raise_action(s, board, ga, "DVPO/DVPN study: timeline for delivery", [anna, kate], dt.date(2019, 1, 3),
                         False, NOW, MEETING)


def test_the_export_has_exactly_the_contract_columns(sessions, board_id):
    import_file(sessions, board_id, PR_LOG)
    work_on_the_log(sessions, board_id)

    rows = list(csv.reader(io.StringIO(export_csv(sessions, board_id))))

    assert rows[0] == ["ref", "title", "owners", "due", "status", "raised", "closed", "last_update", "private"]
    by_ref = {r[0]: r for r in rows[1:]}
    assert [r[0] for r in rows[1:]] == PR_REFS + ["90/18"]
    assert by_ref["74/18"] == ["74/18", "Mobile Policing – paper on cashable and non-cashable savings against the "
                               "original business case", "AH; MG", "2019-01-03", "open", "2018-11-28", "",
                               "2018-11-29: Added to the agenda of the EP P&R Board, 3rd January 2019.", "no"]
    assert by_ref["51/18"][4:7] == ["closed", "2018-11-28", "2018-11-29"]
    assert by_ref["66/18"][4] == "closing when evaluation of the updated paper"
    assert by_ref["79/18"][4] == "closure proposed"
    assert by_ref["72/18"][8] == "yes"
    assert by_ref["90/18"][2:4] == ["AH; kate.s", "2019-01-03"]
    assert by_ref["68/18"][3] == "TBC"  # the log said TBC: kept, not made a blank


@pytest.mark.parametrize("status, refs", [
    ("closed", ["51/18"]),
    ("overdue", ["66/18", "72/18", "76/18"]),  # on 29 November 2018
    ("proposed", ["79/18"]),
])
def test_the_export_chooses_by_status(sessions, board_id, status, refs):
    import_file(sessions, board_id, PR_LOG)
    work_on_the_log(sessions, board_id)

    rows = list(csv.reader(io.StringIO(export_csv(sessions, board_id, status))))

    assert [r[0] for r in rows[1:]] == refs


def test_markdown_is_a_table_with_pipes_escaped(sessions, board_id):
    import_file(sessions, board_id, PR_LOG)
    work_on_the_log(sessions, board_id)
    with sessions() as s:
        rows = exchange.export_rows(s, s.get(Board, board_id), "all", MEETING)
    out = io.StringIO()

    exchange.write_md(rows, out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "| ref | title | owners | due | status | raised | closed | last_update | private |"
    assert lines[1] == "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    assert len(lines) == 2 + 23
    sixty_six = next(line for line in lines if line.startswith("| 66/18 |"))
    assert r"2018-11-29: DM will send the updated analysis \| AH circulates it<br>next week |" in sixty_six
    assert all(len(re.findall(r"(?<!\\)\|", line)) == 10 for line in lines)  # 9 cells each


def test_a_csv_export_imports_back_to_the_same_log(sessions, board_id, fresh_sessions, tmp_path):
    import_file(sessions, board_id, PR_LOG)
    work_on_the_log(sessions, board_id)
    first = export_csv(sessions, board_id)
    path = tmp_path / "export.csv"
    path.write_text(first, encoding="utf-8-sig")

    fresh_board = make_board(fresh_sessions, "Performance and Resources")
    import_file(fresh_sessions, fresh_board, path, as_of=dt.date(2026, 1, 5))

    assert export_csv(fresh_sessions, fresh_board) == first


def test_an_xlsx_export_imports_back_to_the_same_log(sessions, board_id, fresh_sessions, tmp_path):
    import_file(sessions, board_id, PR_LOG)
    work_on_the_log(sessions, board_id)
    with sessions() as s:
        exchange.write_xlsx(exchange.export_rows(s, s.get(Board, board_id), "all", MEETING), tmp_path / "first.xlsx")

    fresh_board = make_board(fresh_sessions)
    import_file(fresh_sessions, fresh_board, tmp_path / "first.xlsx", as_of=dt.date(2026, 1, 5))
    with fresh_sessions() as s:
        exchange.write_xlsx(exchange.export_rows(s, s.get(Board, fresh_board), "all", MEETING),
                            tmp_path / "second.xlsx")

    assert export_csv(fresh_sessions, fresh_board) == export_csv(sessions, board_id)
    cells = [list(load_workbook(tmp_path / name).active.values) for name in ("first.xlsx", "second.xlsx")]
    assert cells[0] == cells[1]
    assert cells[0][0] == exchange.COLUMNS


# -- the command line ---------------------------------------------------------------------------

def bot(database_url, *args, cwd=ROOT):
    return cli.bot(*args, database_url=database_url, cwd=cwd)


def test_the_command_line_imports_and_exports(tmp_path):
    url = f"sqlite:///{tmp_path}/clerk.db"
    engine, sessions = open_database(url)
    make_board(sessions)
    engine.dispose()

    done = bot(url, "import", "actions", str(PR_LOG), "--as-of", "2018-11-28")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Imported 22 actions from pr-board-log-2018-10.csv into P&R's log "
                                  "(as of Wed 28 Nov 2018): 42/18 to 89/18 (22 refs, with gaps); 22 open.\n")
    assert "New people without Slack: Gareth Nicholson, PBI, AP," in done.stdout
    assert "/clerk person" in done.stdout

    refused = bot(url, "import", "actions", str(BAD_ROWS), "--as-of", "28 November 2018")
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr.startswith("Nothing imported from pr-board-log-bad-rows.csv: 5 rows cannot be read.\n")
    assert "  row 5: Ref: “84/1” is not a ref like 74/18 (did you mean 84/18?)\n" in refused.stderr
    assert "add --skip-bad to import the other 2 rows" in refused.stderr

    skipped = bot(url, "import", "actions", str(BAD_ROWS), "--as-of", "2018-11-28", "--skip-bad")
    assert skipped.returncode == 0, skipped.stderr
    assert "Imported 2 actions" in skipped.stdout and "Skipped 5 rows" in skipped.stdout

    exported = bot(url, "export", "actions", "--format", "csv", "--status", "open")
    assert exported.returncode == 0, exported.stderr
    lines = exported.stdout.splitlines()
    assert lines[0] == "ref,title,owners,due,status,raised,closed,last_update,private"
    assert len(lines) == 1 + 24 and lines[-1].startswith("93/18,")

    table = bot(url, "export", "actions", "--format", "md")
    assert table.returncode == 0 and table.stdout.startswith("| ref | title |")

    no_file = bot(url, "export", "actions", "--format", "xlsx")
    assert no_file.returncode == 2
    assert no_file.stdout == "" and len(no_file.stderr.strip().splitlines()) == 1 and "--output" in no_file.stderr

    sheet = bot(url, "export", "actions", "--format", "xlsx", "--output", str(tmp_path / "log.xlsx"))
    assert sheet.returncode == 0, sheet.stderr
    assert sheet.stdout == f"Wrote 24 actions of P&R's log to {tmp_path / 'log.xlsx'}.\n"
    assert load_workbook(tmp_path / "log.xlsx").active["A2"].value == "42/18"


def test_the_command_line_says_how_to_create_a_missing_board(tmp_path):
    url = f"sqlite:///{tmp_path}/clerk.db"

    no_board = bot(url, "import", "actions", str(PR_LOG), "--as-of", "2018-11-28")
    assert no_board.returncode == 2
    assert "There is no board yet" in no_board.stderr and "clerk board" in no_board.stderr

    engine, sessions = open_database(url)
    make_board(sessions)
    engine.dispose()
    wrong = bot(url, "export", "actions", "--board", "Strategic Board", "--format", "csv")
    assert wrong.returncode == 2
    assert "There is no board “Strategic Board”. Boards: P&R." in wrong.stderr and "clerk board" in wrong.stderr
    missing = bot(url, "import", "actions", str(tmp_path / "nowhere.csv"))
    assert missing.returncode == 2 and "cannot open" in missing.stderr


def test_a_part_slower_than_an_import_may_be_silent_is_not_taken_for_a_dead_import(sessions, board_id,
                                                                                  monkeypatch):
    """On PostgreSQL an import's heartbeat comes from its own thread, so a process starting while one
    big part is still being written (a slow or busy database) does not undo the import as dead.
    (SQLite has one writer: there a part is 2,000 rows, and its own beat is the heartbeat.)"""
    if sessions.kw["bind"].dialect.name == "sqlite":
        pytest.skip("SQLite's one writer: a part's own beat is its heartbeat (2,000-row parts)")
    import threading
    import time

    from exchange import importing
    from store import imports
    from store.models import ImportRun

    clock = {"now": NOW}
    monkeypatch.setattr(importing, "BEAT_EVERY", 0.02)
    writing, finish_part = threading.Event(), threading.Event()
    write = importing._write

    def slow_part(*args, **kwargs):
        writing.set()
        assert finish_part.wait(60)
        return write(*args, **kwargs)

    monkeypatch.setattr(importing, "_write", slow_part)
    rows, bad = exchange.read_log(exchange.read_table(PR_LOG), AS_OF)
    done = {}
    importer = threading.Thread(target=lambda: done.update(imported=exchange.import_log(
        sessions, board_id, rows, bad, AS_OF, NOW, wall=lambda: clock["now"])))
    importer.start()
    try:
        assert writing.wait(60)
        clock["now"] = NOW + imports.STALE * 3  # the part has now been written for longer than STALE
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # until the heartbeat says so, from its own thread
            with sessions() as s:
                beat = s.scalar(select(ImportRun.heartbeat))
            if beat.replace(tzinfo=beat.tzinfo or dt.UTC) == clock["now"]:
                break
            time.sleep(0.01)
        else:
            raise AssertionError("the running import's heartbeat did not move during its part")
        with unit_of_work(sessions) as s:  # a process starting now
            assert imports.undo_stale(s, clock["now"]) == 0
    finally:
        finish_part.set()
        importer.join(timeout=60)
    assert sorted(done["imported"].refs) == sorted(PR_REFS)
    with sessions() as s:
        assert s.scalar(select(ImportRun.status)) == "done"
        assert s.scalar(select(func.count()).select_from(Action)) == len(PR_REFS)
