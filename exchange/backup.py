"""A full-fidelity backup: everything Clerk knows, as one xlsx workbook, and back.

One sheet a table (boards and their settings, people with their Slack ids, roles, meetings, actions
with their owners and whole history, the forward plan, the record of changes to people, the ref
counters and the reminder ledger), a header row of column names, one row a record, ids kept. What is
only in flight (the outbox, delivery ids, unfinished imports) is not kept. `import backup` into an
empty database reproduces everything exactly; into one that already holds the same, it changes
nothing and says so.

Cells: numbers and dates as themselves, times and moments as ISO text, JSON as text, text as typed
(never run as a formula); an empty cell is "no value", and an empty text is written `''` (a text
that itself starts with `''` gets two more), so every value reads back as it was."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import JSON, Boolean, Date, Integer, Time, func, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from exchange.tables import TableError, check_zip, printable
from store import imports
from store.db import revisions, unit_of_work
from store.models import (
    Action,
    ActionEvent,
    ActionOwner,
    Board,
    BoardRole,
    Directory,
    ForwardPlanItem,
    Meeting,
    MinutesApplied,
    PeopleEvent,
    Person,
    PlanEvent,
    PlanItemOwner,
    RefCounter,
    Reminder,
    UTCDateTime,
)
from store.people import directory_version
from store.terms import PaperStatus, Role, Status
from store.words import listed, plural

FORMAT = "clerk-backup-1"
BACKUP_MAX_ROWS = 2_000_000  # rows of one sheet: ten years of a hundred boards, with their history
TABLES = [Board, Person, BoardRole, Meeting, Action, ActionOwner, ActionEvent, ForwardPlanItem, PlanItemOwner,
          PlanEvent, PeopleEvent, RefCounter, Directory, Reminder, MinutesApplied]
_EMPTY = "''"


class BackupError(ValueError):
    """A file that is not a Clerk backup, or a database it cannot go into."""


def _column_kind(column) -> str:
    t = column.type
    if isinstance(t, UTCDateTime):
        return "moment"
    if isinstance(t, Boolean):
        return "bool"
    if isinstance(t, Integer):
        return "int"
    if isinstance(t, Date):
        return "date"
    if isinstance(t, Time):
        return "time"
    if isinstance(t, JSON):
        return "json"
    return "text"


def _to_cell(value, kind: str):
    if value is None:
        return None
    if kind == "moment":
        return value.astimezone(dt.timezone.utc).isoformat()
    if kind == "time":
        return value.isoformat()
    if kind == "json":
        return json.dumps(value, sort_keys=True)
    if kind == "text":
        return _EMPTY + value if value == "" or value.startswith(_EMPTY) else value
    return value


def _from_cell(value, kind: str):
    if value is None:
        return None
    if kind == "moment":
        moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
        if not isinstance(moment, dt.datetime) or moment.tzinfo is None:
            raise ValueError("a moment needs its offset, as Clerk writes it (2026-12-01T09:00:00+00:00)")
        return moment
    if kind == "time":
        return dt.time.fromisoformat(value)
    if kind == "json":
        return json.loads(value)
    if kind == "date":
        return value.date() if isinstance(value, dt.datetime) else dt.date.fromisoformat(str(value))
    if kind == "bool":
        if value in (True, False, 0, 1) or str(value).upper() in ("TRUE", "FALSE"):
            return value is True or value == 1 or str(value).upper() == "TRUE"
        raise ValueError("not true or false")
    if kind == "int":
        return int(value)
    value = printable(str(value))  # as any file's text
    return value[len(_EMPTY):] if value.startswith(_EMPTY) else value


def _rows(s: Session, model) -> list[dict]:
    table = model.__table__
    q = select(table).order_by(*table.primary_key.columns)
    if model is Action:
        q = q.where(table.c.import_run_id.is_(None))
    elif model in (ActionOwner, ActionEvent):  # only the finished imports' actions
        q = q.where(table.c.action_id.in_(select(Action.id).where(Action.import_run_id.is_(None))))
    return [dict(row._mapping) for row in s.execute(q.execution_options(**{imports.SEE_UNFINISHED: True}))]


def dump(s: Session) -> dict[str, list[list]]:
    """Every kept table as rows of cells (header first): what the workbook holds."""
    out = {}
    for model in TABLES:
        table = model.__table__
        columns = _kept_columns(model)  # not an import's run, nor the outbox: only in flight
        out[table.name] = [[c.name for c in columns]] + [[_to_cell(r[c.name], _column_kind(c)) for c in columns]
                                                          for r in _rows(s, model)]
    return out


def export_backup(sessions: sessionmaker[Session], path: Path, now: dt.datetime) -> dict[str, int]:
    """Write the backup; returns how many records of each kind it holds."""
    from openpyxl import Workbook

    with sessions() as s:
        data = dump(s)
        revision = s.execute(text("SELECT version_num FROM alembic_version")).scalar()
    book = Workbook()
    about = book.active
    about.title = "Clerk backup"
    for row in (("format", FORMAT), ("schema", revision), ("made", now.astimezone(dt.timezone.utc).isoformat())):
        about.append(row)
    for name, rows in data.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([printable(v) if isinstance(v, str) else v for v in row])
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula
    book.save(path)
    return {name: len(rows) - 1 for name, rows in data.items()}


def read_backup(path: Path) -> dict[str, list[list]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        check_zip(path, "a Clerk backup")
        book = load_workbook(path, read_only=True)
    except TableError as exc:
        raise BackupError(str(exc)) from None
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise BackupError(f"{path.name} is not a Clerk backup ({exc}).") from None
    if "Clerk backup" not in book.sheetnames:
        raise BackupError(f"{path.name} is not a Clerk backup: it has no “Clerk backup” sheet. Make one with "
                          "python bot.py export backup --output FILE.xlsx")
    about = {r[0]: r[1] for r in book["Clerk backup"].iter_rows(values_only=True) if r and r[0]}
    if about.get("format") != FORMAT:
        raise BackupError(f"{path.name} is a backup in a format this Clerk does not know ({about.get('format')}).")
    data: dict = {"_schema": about.get("schema")}
    older = about.get("schema") in revisions()[:-1]  # made before some tables existed: theirs are missing
    for model in TABLES:
        name = model.__table__.name
        if name not in book.sheetnames and older:
            data[name] = []
            continue
        if name not in book.sheetnames:
            raise BackupError(f"{path.name} has no “{name}” sheet; it is not a whole backup.")
        sheet = book[name]
        sheet.reset_dimensions()  # counted as read, not believed
        rows = []
        for row in sheet.iter_rows(values_only=True, max_col=len(_kept_columns(model)) + 5):
            rows.append(list(row))
            if len(rows) > BACKUP_MAX_ROWS:
                raise BackupError(f"{path.name}: sheet {name} has more than {BACKUP_MAX_ROWS:,} rows; that is no "
                                  "Clerk backup.")
        while rows and not any(v is not None for v in rows[-1]):
            rows.pop()
        width = max((max((i + 1 for i, v in enumerate(r) if v is not None), default=0) for r in rows), default=0)
        data[name] = [r[:width] for r in rows]  # the columns read-only padding added, taken off again
    return data


def _kept_columns(model) -> list:
    table = model.__table__
    columns = [c for c in table.columns if not (model is Action and c.name == "import_run_id")]
    return [c for c in columns if not (model is Reminder and c.name == "outbox_id")]


# What a backup's values may be, beyond their types: the words the log stores.
ALLOWED = {("action", "status"): set(Status), ("board_role", "role"): set(Role),
           ("plan_item", "status"): {PaperStatus.DUE, PaperStatus.RECEIVED, PaperStatus.DROPPED}}
MAX_PROBLEMS = 10


def migrated_forward(data: dict[str, list[list]], schema: str) -> dict[str, list[list]]:
    """A backup made at an older schema, as it reads at this one: put into a scratch SQLite database
    at its own revision, the migrations since run on it, and dumped again. A backup whose sheets do
    not fit its revision is left as it was, for check_backup to say what is wrong."""
    import tempfile

    from sqlalchemy import DateTime, MetaData

    from store.db import make_engine, make_sessionmaker, upgrade

    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{scratch}/migrating.db")
        try:
            upgrade(engine, schema)
            meta = MetaData()
            meta.reflect(engine)
            with engine.begin() as conn:
                for name, rows in data.items():
                    table = meta.tables.get(name)
                    if table is None or len(rows) <= 1:
                        continue
                    kinds = {c.name: "moment" if isinstance(c.type, DateTime) else _column_kind(c) for c in table.c}
                    header = [h for h in rows[0] if h is not None]
                    if any(h not in kinds for h in header):
                        return data
                    conn.execute(table.insert(), [{h: _from_cell(v, kinds[h]) for h, v in zip(header, row)}
                                                  for row in rows[1:] if any(v is not None for v in row)])
            upgrade(engine)
            with make_sessionmaker(engine)() as s:
                return dump(s)
        except (ValueError, TypeError, DBAPIError):
            return data
        finally:
            engine.dispose()


def check_backup(data: dict[str, list[list]], schema: str | None, head: str | None) -> list[str]:
    """Everything wrong with a backup, checked before anything is written: its schema, every sheet's
    columns, every value's type and allowed words, every link and unique key, and no Slack person
    with the console operator's rights. Each problem names its sheet, row and column."""
    problems: list[str] = []
    if schema != head:
        problems.append(f"it was made by a Clerk whose database schema is {schema or 'unknown'}, newer than this "
                        f"one's ({head}) or not Clerk's: restore it with that Clerk, or upgrade this one first")
        return problems
    records: dict[str, list[dict]] = {}
    for model in TABLES:
        name = model.__table__.name
        rows = data[name]
        columns = {c.name: c for c in _kept_columns(model)}
        header = [str(h) if h is not None else "" for h in (rows[0] if rows else [])]
        while header and not header[-1]:
            header.pop()
        missing = [c for c in columns if c not in header]
        extra = [h for h in header if h and h not in columns]
        if missing or extra:
            problems.append(f"sheet {name}: " + "; ".join(
                ([f"no {listed(missing)} {plural('column', len(missing))}"] if missing else [])
                + ([f"a column Clerk does not keep ({', '.join(extra)})"] if extra else [])))
            continue
        found = []
        for number, row in enumerate(rows[1:], start=2):
            if not any(v is not None for v in row):
                continue
            if any(v is not None for v in row[len(header):]):
                problems.append(f"sheet {name}, row {number}: a value in a column with no name")
            record = {}
            for column, value in zip(header, row):
                if not column:
                    problems.append(f"sheet {name}, row 1: a column with no name")
                    break
                kind = _column_kind(columns[column])
                try:
                    record[column] = _from_cell(value, kind)
                except (ValueError, TypeError, json.JSONDecodeError):
                    problems.append(f"sheet {name}, row {number}, column {column}: {str(value)[:40]!r} is not "
                                    f"{'a' if kind != 'int' else 'a whole'} {kind if kind != 'int' else 'number'}")
                    continue
                if value is None and not columns[column].nullable:
                    problems.append(f"sheet {name}, row {number}, column {column}: empty, and it needs a value")
                allowed = ALLOWED.get((name, column))
                if allowed and record[column] is not None and record[column] not in allowed:
                    problems.append(f"sheet {name}, row {number}, column {column}: “{str(value)[:40]}” is not one of "
                                    f"{', '.join(sorted(allowed))}")
            record["_row"] = number
            found.append(record)
        records[name] = found
    if problems:
        return problems
    problems += _links_and_keys(records)
    with_roles = {r.get("person_id") for r in records["board_role"]}
    consoles = [p for p in records["person"] if p.get("console")]
    for person in consoles:  # the operator's record: never a Slack user's, never one with initials or roles
        if person.get("slack_user_id") or person.get("initials") or person["id"] in with_roles:
            problems.append(f"sheet person, row {person['_row']}, column console: a person Slack or a board knows "
                            f"({person.get('slack_user_id') or person.get('initials') or 'with roles'}) marked as "
                            "the console operator; a backup never grants that")
    if len(consoles) > 1:
        problems.append(f"sheet person: {len(consoles)} rows marked as the console operator; there is one")
    return problems


def _links_and_keys(records: dict[str, list[dict]]) -> list[str]:
    """Unique keys (each table's primary key and unique constraints) and links (foreign keys) within the backup."""
    problems = []
    for model in TABLES:
        table = model.__table__
        rows = records[table.name]
        keys = [tuple(c.name for c in table.primary_key.columns)]
        keys += [tuple(c.name for c in u.columns) for u in table.constraints
                 if u.__class__.__name__ == "UniqueConstraint"]
        keys += [(c.name,) for c in table.columns if c.unique]
        for key in keys:
            seen: dict[tuple, int] = {}
            for r in rows:
                value = tuple(r.get(k) for k in key)
                if any(v is None for v in value):
                    continue
                if value in seen:
                    problems.append(f"sheet {table.name}, row {r['_row']}: {', '.join(key)} "
                                    f"{', '.join(map(str, value))} is also on row {seen[value]}")
                else:
                    seen[value] = r["_row"]
        for fk in table.foreign_keys:
            target = fk.column.table.name
            if target not in records:
                continue
            there = {r.get(fk.column.name) for r in records[target]}
            for r in rows:
                value = r.get(fk.parent.name)
                if value is not None and value not in there:
                    problems.append(f"sheet {table.name}, row {r['_row']}, column {fk.parent.name}: {value} names no "
                                    f"row of sheet {target}")
    return problems


def import_backup(sessions: sessionmaker[Session], path: Path) -> tuple[str, dict[str, int]]:
    """Into an empty database: everything, ids kept, once the whole backup is checked (check_backup:
    nothing is written while anything is wrong). Returns ("imported" | "already", counts)."""
    data = read_backup(path)
    schema = data.pop("_schema", None)
    counts = {name: max(len(rows) - 1, 0) for name, rows in data.items()}
    with sessions() as s:
        head = s.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if schema != head and schema in revisions()[:-1]:  # an older Clerk's backup: brought up to this schema first
        data, schema = migrated_forward(data, schema), head
    problems = check_backup(data, schema, head)
    if problems:
        more = f" (and {len(problems) - MAX_PROBLEMS} more)" if len(problems) > MAX_PROBLEMS else ""
        raise BackupError(f"{path.name} cannot be restored, so nothing was imported:\n  "
                          + "\n  ".join(problems[:MAX_PROBLEMS]) + more)
    try:
        return _restore(sessions, data, counts)
    except DBAPIError as exc:  # a rule the check does not know of: still nothing written, and said plainly
        raise BackupError(f"{path.name} cannot be restored: the database refused it "
                          f"({type(exc.orig or exc).__name__}); nothing was imported.") from None


def _restore(sessions: sessionmaker[Session], data: dict[str, list[list]], counts: dict[str, int]
             ) -> tuple[str, dict[str, int]]:
    with unit_of_work(sessions) as s:
        if s.scalar(select(func.count()).select_from(Board)) or s.scalar(select(func.count()).select_from(Person)):
            if _same(dump(s), data):
                return "already", counts
            raise BackupError("This database already holds a log that is not the backup's. Import a backup into "
                              "an empty database (a new DATABASE_URL), then point Clerk at it.")
        for model in TABLES:
            table = model.__table__
            rows = data[table.name]
            if len(rows) <= 1:
                continue
            kinds = {c.name: _column_kind(c) for c in table.columns}
            header = rows[0]
            records = [{name: _from_cell(value, kinds[name]) for name, value in zip(header, row)} for row in rows[1:]
                       if any(v is not None for v in row)]
            if model is not Directory:
                s.execute(insert(table), records)
        _move_directory_on(s, data[Directory.__table__.name])
        if s.get_bind().dialect.name == "postgresql":
            for model in TABLES:
                table = model.__table__
                if "id" in table.c and isinstance(table.c.id.type, Integer) and table.c.id.autoincrement:
                    s.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                   f"COALESCE((SELECT MAX(id) FROM {table.name}), 1))"))
    return "imported", counts


def _move_directory_on(s: Session, rows: list[list]) -> None:
    """The directory's version moves on past both the one this database had and the backup's: a
    Clerk already serving this database keeps its boards and people by that number, and the
    backup's could be the very number it holds for the empty directory."""
    header = rows[0] if rows else []
    at = header.index("version") if "version" in header else None
    theirs = max((int(r[at] or 0) for r in rows[1:]), default=0) if at is not None else 0
    ours = directory_version(s)
    s.execute(Directory.__table__.delete())
    s.execute(insert(Directory.__table__), [{"id": 1, "version": max(ours, theirs) + 1}])


def _same(here: dict[str, list[list]], there: dict[str, list[list]]) -> bool:
    def normal(rows):
        return [[None if v == "" else (v.date() if isinstance(v, dt.datetime) and v.time() == dt.time() else v)
                 for v in row] for row in rows]
    return all(normal(here[name][1:]) == normal([r for r in there[name][1:] if any(v is not None for v in r)])
               for name in here if name != Directory.__table__.name)


__all__ = ["BackupError", "dump", "export_backup", "import_backup", "read_backup"]
