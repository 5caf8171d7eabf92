"""Files from the real world and from someone hostile, all made here (no binary fixtures): control
characters as Word pastes leave them, spreadsheet and zip bombs, files too big or too many rows,
a docx that is a zip of something else, tampered backups, formula payloads, a dead import. Each is
refused with one sentence, exit code 2 and no traceback, and leaves the database as it was; what is
imported exports again in every format. On SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import datetime as dt
import io
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from store import imports
from store.boards import board_key
from store.db import make_engine, make_sessionmaker, unit_of_work, upgrade
from store.models import Action, Board, ImportRun, Person
from tests.cli import bot

HEADER = ["ref", "title", "owners", "due", "status", "raised", "closed", "last_update", "private"]
CONTROL = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x1f", "\x7f"]  # each class a paste leaves


@pytest.fixture
def db(database_url, tmp_path):
    """A database with the board P&R and nothing else; its URL."""
    engine = make_engine(database_url)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    with unit_of_work(sessions) as s:
        s.add(Board(name="P&R", key=board_key("P&R"), created=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)))
    engine.dispose()
    return database_url


def counts(url: str) -> tuple[int, int, int]:
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as s:
            return tuple(s.scalar(select(func.count()).select_from(t)) for t in (Action, Person, ImportRun))
    finally:
        engine.dispose()


def refused(done, *words: str) -> None:
    """One clear sentence (a line or two) on stderr, exit code 2, no traceback."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and done.stderr.strip(), done.stderr
    for word in words:
        assert word in done.stderr, done.stderr


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([HEADER, *rows])
    return path


def write_xlsx(path: Path, rows: list[list], *, placeholders: dict[str, str] | None = None) -> Path:
    """An xlsx; `placeholders` are replaced in its XML afterwards (how Excel writes a control
    character: `_x000B_`), as openpyxl will not write one itself."""
    book = Workbook()
    sheet = book.active
    for row in [HEADER, *rows]:
        sheet.append(row)
    book.save(path)
    if placeholders:
        patched = path.with_suffix(".tmp")
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                data = src.read(item.filename)
                for old, new in placeholders.items():
                    data = data.replace(old.encode(), new.encode())
                dst.writestr(item, data)
        patched.replace(path)
    return path


# -- control characters ---------------------------------------------------------------------------

def test_control_characters_from_any_file_are_taken_out_and_every_export_works(db, tmp_path):
    rows = [[f"{n + 1}/26", f"Circulate{ch}the paper {n}", "", "2026-12-20", "open", "2026-11-02", "", "", "no"]
            for n, ch in enumerate(CONTROL)]
    rows.append(["20/26", "Word\r\npaste\twith a tab", "", "", "open", "2026-11-02", "", "2026-11-03: seen\x0b ok", "no"])
    done = bot("import", "actions", str(write_csv(tmp_path / "pasted.csv", rows)), "--board", "P&R",
               database_url=db)
    assert done.returncode == 0, done.stderr
    assert "Control characters (a Word paste leaves them) were removed from rows 2, 3" in done.stdout
    xlsx = write_xlsx(tmp_path / "pasted.xlsx", [["30/26", "VTABHERE title", "", "", "open", "2026-11-02", "", "", "no"]],
                      placeholders={"VTABHERE": "_x000B_"})
    done = bot("import", "actions", str(xlsx), "--board", "P&R", database_url=db)
    assert done.returncode == 0, done.stderr
    engine = make_engine(db)
    with make_sessionmaker(engine)() as s:
        titles = list(s.scalars(select(Action.title)))
    engine.dispose()
    assert "Circulatethe paper 0" in titles and "Word\npaste\twith a tab" in titles and "title" in titles, [t for t in titles if "Circulate" not in t]
    assert not any(ch in t for t in titles for ch in CONTROL)
    for fmt in ("csv", "md", "xlsx", "docx"):
        out = tmp_path / f"log.{fmt}"
        done = bot("export", "actions", "--board", "P&R", "--format", fmt, "--output", str(out), database_url=db)
        assert done.returncode == 0, (fmt, done.stderr)
    done = bot("export", "backup", "--output", str(tmp_path / "backup.xlsx"), database_url=db)
    assert done.returncode == 0, done.stderr
    minutes = tmp_path / "minutes.txt"  # and minutes pasted from Word, as a text file
    minutes.write_text("Minutes of the P&R Board, 3 December 2026\n\nAction 1/26:\x0b can now close.\x0c\n")
    done = bot("import", "minutes", str(minutes), "--board", "P&R", database_url=db)
    assert done.returncode == 0 and "action close 1/26" in done.stdout, done.stdout + done.stderr


def test_a_title_longer_than_a_typed_one_is_a_bad_row(db, tmp_path):
    rows = [["1/26", "x" * 1000, "", "", "open", "2026-11-02", "", "", "no"]]
    done = bot("import", "actions", str(write_csv(tmp_path / "long.csv", rows)), "--board", "P&R", database_url=db)
    assert done.returncode == 1 and "row 2" in done.stderr and "1000 characters" in done.stderr, done.stderr
    assert counts(db)[0] == 0


# -- bombs and limits -----------------------------------------------------------------------------

def test_a_dimension_bomb_is_refused_quickly(db, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "title"
    sheet["XFD1048576"] = "boom"
    path = tmp_path / "bomb.xlsx"
    book.save(path)
    assert path.stat().st_size < 20_000
    done = bot("import", "actions", str(path), "--board", "P&R", database_url=db)  # its time: bench/README
    refused(done, "bomb.xlsx has more than 150,000 rows", "split it")
    assert "not an xlsx" not in done.stderr
    assert counts(db) == (0, 0, 0)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(db, tmp_path):
    path = tmp_path / "zipbomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b" " * (1 << 20)
            for _ in range(310):
                member.write(block)
    assert path.stat().st_size < 5 * 1024 * 1024
    done = bot("import", "actions", str(path), "--board", "P&R", database_url=db)
    refused(done, "would unpack to", "MB")
    docx = path.with_suffix(".docx")
    path.rename(docx)
    done = bot("import", "minutes", str(docx), "--board", "P&R", database_url=db)
    refused(done, "would unpack to")
    assert counts(db) == (0, 0, 0)


def test_too_big_or_too_many_rows_is_refused_with_the_limit(db, tmp_path):
    big = tmp_path / "big.csv"
    with big.open("wb") as f:
        f.truncate(60 * 1024 * 1024)  # 60 MB, sparse: refused from its size, never read
    refused(bot("import", "actions", str(big), "--board", "P&R", database_url=db), "60 MB", "30 MB")
    many = tmp_path / "many.csv"
    with many.open("w") as f:
        f.write("title\n" + "x\n" * 200_000)
    refused(bot("import", "actions", str(many), "--board", "P&R", database_url=db), "150,000 rows")
    wide = tmp_path / "wide.csv"
    wide.write_text("title," + ",".join(f"c{n}" for n in range(100)) + "\n")
    refused(bot("import", "actions", str(wide), "--board", "P&R", database_url=db), "60 columns")
    assert counts(db) == (0, 0, 0)


def test_a_docx_that_is_a_zip_of_something_else_is_refused(db, tmp_path):
    path = tmp_path / "minutes.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a Word document")
    refused(bot("import", "minutes", str(path), "--board", "P&R", database_url=db), "not a Word .docx document")


# -- backups ----------------------------------------------------------------------------------------

@pytest.fixture
def backup(db, tmp_path):
    rows = [["1/26", "Circulate the paper", "", "2026-12-20", "open", "2026-11-02", "", "", "no"],
            ["2/26", "Timeline for the study", "", "", "closed", "2026-11-02", "2026-11-20", "", "no"]]
    assert bot("import", "actions", str(write_csv(tmp_path / "log.csv", rows)), "--board", "P&R",
               database_url=db).returncode == 0
    assert bot("console", stdin="clerk person AH <@UAH0001> Anna Hook\n", database_url=db).returncode == 0
    path = tmp_path / "backup.xlsx"
    assert bot("export", "backup", "--output", str(path), database_url=db).returncode == 0
    return path



def tamper(path: Path, change) -> Path:
    book = load_workbook(path)
    change(book)
    out = path.with_name(f"tampered-{time.monotonic_ns()}.xlsx")
    book.save(out)
    return out


def column(sheet, name: str) -> int:
    return [c.value for c in sheet[1]].index(name) + 1


TAMPERED = {
    "no due column": (lambda b: b["action"].delete_cols(column(b["action"], "due")), "no due column"),
    "an extra column": (lambda b: b["action"].cell(1, b["action"].max_column + 1, "colour"), "does not keep (colour)"),
    "the console's rights": (lambda b: b["person"].cell(next(r for r in range(2, b["person"].max_row + 1)
                                                             if b["person"].cell(r, column(b["person"], "slack_user_id")).value),
                                                        column(b["person"], "console"), True), "never grants that"),
    "a newer or unknown schema": (lambda b: b["Clerk backup"].cell(2, 2, "0099"), "schema is 0099, newer"),
    "an unknown status": (lambda b: b["action"].cell(2, column(b["action"], "status"), "abandoned"),
                          "“abandoned” is not one of"),
    "a duplicate ref": (lambda b: [b["action"].cell(3, column(b["action"], c), b["action"].cell(2, column(b["action"], c)).value)
                                   for c in ("number", "year")], "is also on row 2"),
    "a broken link": (lambda b: b["action"].cell(2, column(b["action"], "board_id"), 99), "names no row of sheet board"),
    "text in a number": (lambda b: b["action"].cell(2, column(b["action"], "number"), "seventy-four"),
                         "is not a whole number"),
    "an impossible date": (lambda b: b["action"].cell(2, column(b["action"], "due"), "2026-02-30"), "is not a date"),
}


@pytest.mark.parametrize("kind", list(TAMPERED))
def test_a_tampered_backup_is_refused_whole_before_anything_is_written(backup, empty_url, kind):
    change, says = TAMPERED[kind]
    path = tamper(backup, change)
    done = bot("import", "backup", str(path), database_url=empty_url)
    refused(done, "nothing was imported", says)
    assert counts(empty_url) == (0, 0, 0)


def test_a_backup_of_an_older_schema_is_migrated_forward(db, backup, empty_url):
    from store.db import revisions
    older = revisions()[-2]
    path = tamper(backup, lambda b: b["Clerk backup"].cell(2, 2, older))
    done = bot("import", "backup", str(path), database_url=empty_url)
    assert done.returncode == 0 and done.stdout.startswith(f"Imported the backup {path.name}: 1 board,"), done.stderr
    assert counts(empty_url)[:2] == counts(db)[:2] == (2, 2)  # two actions; AH and the console


# -- formulas, and a dead import ----------------------------------------------------------------------

def test_the_minutes_proposal_csv_neutralises_formulas(db, tmp_path):
    minutes = tmp_path / "minutes.txt"
    minutes.write_text("Minutes of the P&R Board, 3 December 2026\n\n"
                       "ACTION: =HYPERLINK(\"http://evil.example\",\"click\") to be circulated (AH, 20 December 2026).\n")
    done = bot("import", "minutes", str(minutes), "--board", "P&R", "--format", "csv", database_url=db)
    assert done.returncode == 0, done.stderr
    cells = [cell for row in csv.reader(io.StringIO(done.stdout)) for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells), cells


def test_a_new_import_while_another_is_unfinished_never_counts_hidden_rows(db, tmp_path):
    engine = make_engine(db)
    sessions = make_sessionmaker(engine)
    wall = dt.datetime.now(dt.UTC)
    with unit_of_work(sessions) as s:  # what kill -9 of a long import leaves: hidden rows, a fresh heartbeat
        board = s.scalar(select(Board))
        run = imports.start(s, board.id, 60_000, wall, wall)
        s.add(Action(board_id=board.id, number=1, year=2026, title="Circulate the paper", status="open",
                     raised=dt.date(2026, 11, 2), import_run_id=run.id))
        run_id = run.id
    rows = [["1/26", "Circulate the paper", "", "", "open", "2026-11-02", "", "", "no"]]
    path = write_csv(tmp_path / "again.csv", rows)
    done = bot("import", "actions", str(path), "--board", "P&R", database_url=db)
    refused(done, "still running", "nothing was imported")
    assert "already on" not in done.stderr + done.stdout
    with unit_of_work(sessions) as s:  # its process is gone: no heartbeat since
        s.get(ImportRun, run_id).heartbeat = wall - imports.STALE * 2
    engine.dispose()
    done = bot("import", "actions", str(path), "--board", "P&R", database_url=db)
    assert done.returncode == 0 and "Imported 1 action" in done.stdout, done.stdout + done.stderr
    assert counts(db)[0] == 1
