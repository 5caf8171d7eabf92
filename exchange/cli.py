"""`python bot.py import actions FILE …` and `python bot.py export actions …`.

Exit codes: 0 done; 1 rows that cannot be read (nothing imported); 2 bad usage (no such
board, file, date or option). Errors go to standard error; summaries, and csv and md exports
without --output, to standard output.
"""
from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from exchange import actions as log
from store.errors import Refusal
from store.terms import describe, in_words
from store.words import count, listed, plural

WRITERS = {"csv": log.write_csv, "md": log.write_md}
PUBLISHING = ("md", "docx")  # formats for the meeting pack (Part B left out); csv and xlsx are data


def run(clerk, args) -> int:
    if args.what == "backup":
        return import_backup(clerk, args) if args.cmd == "import" else export_backup(clerk, args)
    if args.cmd == "import" and args.what == "minutes":
        from exchange.minutes_cli import import_minutes

        return import_minutes(clerk, args)
    if args.cmd == "import":
        return import_actions(clerk, args)
    if not args.format:
        return _fail("export actions and export plan need --format csv, xlsx, md or docx.", 2)
    return export_actions(clerk, args)


def export_backup(clerk, args) -> int:
    from exchange.backup import export_backup as write

    if not args.output:
        return _fail("A backup is a workbook: add --output FILE.xlsx, e.g. --output clerk-backup.xlsx", 2)
    path = Path(args.output)
    try:
        counts = write(clerk.read_sessions, path, clerk.clock())
    except OSError as exc:
        return _fail(cannot_write(path, exc), 2)
    print(f"Wrote a backup of everything to {path}: " + listed(
        count(counts[k], word) for k, word in (("board", "board"), ("person", "person"), ("action", "action"),
                                               ("action_event", "history entry"), ("meeting", "meeting"),
                                               ("plan_item", "paper"))) + ".")
    return 0


def import_backup(clerk, args) -> int:
    from exchange.backup import BackupError
    from exchange.backup import import_backup as load

    path = Path(args.file)
    try:
        done, counts = load(clerk.sessions, path)
    except BackupError as exc:
        return _fail(str(exc), 2)
    except OSError as exc:
        return _fail(f"cannot read {path}: {exc.strerror or exc}", 2)
    if done == "already":
        print(f"Nothing imported: everything in {path.name} is already in this database.")
    else:
        print(f"Imported the backup {path.name}: {count(counts['board'], 'board')}, "
              f"{count(counts['person'], 'person')} with {count(counts['board_role'], 'role')} on boards, "
              f"{count(counts['action'], 'action')} with {count(counts['action_event'], 'history entry')}, "
              f"{count(counts['meeting'], 'meeting')} and {count(counts['plan_item'], 'paper')}.")
    return 0


def _today(clerk) -> dt.date:
    return clerk.clock().astimezone(clerk.settings.tz).date()


def cannot_write(path: Path, exc: OSError) -> str:
    """Why an export could not be written, and where it could: in Clerk's container the code's
    folder (/app, the working folder) is read-only, and /data (the volume) is writable."""
    said = f"cannot write {path}: {exc.strerror or exc}"
    folder = path.absolute().parent
    if folder.is_dir() and not os.access(folder, os.W_OK):
        data = Path("/data")  # the container's volume
        hint = f", e.g. --output {data / path.name}" if data.is_dir() and os.access(data, os.W_OK) else ""
        said += f" (the folder {folder} is read-only for this user): write to a folder you may write{hint}"
    return said


def _fail(message: str, code: int) -> int:
    print(message, file=sys.stderr)
    return code


def import_actions(clerk, args) -> int:
    today = _today(clerk)
    try:
        as_of = log.read_day(args.as_of, today) if args.as_of else today
    except ValueError as exc:
        return _fail(f"--as-of: {exc}", 2)
    if as_of is None:
        return _fail(f"--as-of: “{args.as_of}” is not a date; give the day of the log, e.g. 2018-11-28.", 2)
    path = Path(args.file)
    try:
        table = log.read_table(path)
        rows, bad = log.read_log(table, as_of)
    except log.TableError as exc:
        return _fail(str(exc), 2)
    try:
        with clerk.read_sessions() as s:
            board_id = log.choose_board(s, args.board).id
        done = log.import_log(clerk.sessions, board_id, rows, bad, as_of, clerk.clock(), skip_bad=args.skip_bad)
    except log.BadRows as exc:
        return _fail(bad_rows_text(exc, path), 1)
    except log.BoardError as exc:
        return _fail(exc.message, 2)
    except Refusal as exc:
        return _fail(f"Nothing imported: {exc}", 2)
    print(import_summary(done, path, as_of))
    if table.cleaned:
        shown = ", ".join(map(str, table.cleaned[:10])) + (" …" if len(table.cleaned) > 10 else "")
        print(f"Control characters (a Word paste leaves them) were removed from {plural('row', len(table.cleaned))} "
              f"{shown}; tabs and line breaks are kept.")
    return 0


def bad_rows_text(exc: log.BadRows, path: Path) -> str:
    n = len(exc.bad)
    lines = [f"Nothing imported from {path.name}: {count(n, 'row')} cannot be read."]
    lines += [f"  {bad}" for bad in exc.bad]
    if exc.readable:
        lines.append(f"Correct {'them' if n != 1 else 'it'} and import again, "
                     f"or add --skip-bad to import the other {count(exc.readable, 'row')}.")
    else:
        lines.append("Correct them and import again.")
    return "\n".join(lines)


def import_summary(done: log.Imported, path: Path, as_of: dt.date) -> str:
    n = len(done.refs)
    if not n:
        what = (f"all {done.already} of its actions are" if done.already != 1 else "its action is") \
            if done.already else "it has no actions"
        return f"Nothing imported from {path.name}: {what} already on {done.board}'s log as they are."
    lines = [f"Imported {count(n, 'action')} from {path.name} into {done.board}'s log "
             f"(as of {describe(as_of)}): {done.refs_said or done.refs[0]}; "
             + ", ".join(f"{count} {status}" for status, count in done.statuses.items()) + "."]
    if done.already:
        lines.append(f"{done.already} already on the log as they are: left as they are.")
    if done.skipped:
        lines.append(f"Skipped {count(len(done.skipped), 'row')} that cannot be read:")
        lines += [f"  {bad}" for bad in done.skipped]
    if done.new_people:
        example = next((label for label in done.new_people if label.isupper() and " " not in label), "GN")
        lines.append(f"New people without Slack: {', '.join(done.new_people)} — register them with /clerk person "
                     f"{example} @their-slack-name (or /clerk person <initials> <Full Name> for someone not on Slack).")
    return "\n".join(lines)


def export_actions(clerk, args) -> int:
    """export actions|plan: csv and md to standard output (or --output), xlsx and docx to --output."""
    from exchange import exporting

    is_plan = args.what == "plan"
    choices = exporting.PLAN_STATUS_CHOICES if is_plan else log.STATUS_CHOICES
    status = (args.status or "all").lower()
    if status not in choices:
        return _fail(f"--status {args.status}: choose one of {', '.join(choices)}.", 2)
    if args.format in ("xlsx", "docx") and not args.output:
        return _fail(f"{args.format} is not text: add --output FILE, e.g. --output {args.what}.{args.format}", 2)
    today = _today(clerk)
    with clerk.sessions() as s:
        try:
            board = log.choose_board(s, args.board)
        except log.BoardError as exc:
            return _fail(exc.message, 2)
        if is_plan:
            rows = exporting.plan_rows(s, board, status, today, clerk.calendar)
        else:
            rows = log.export_rows(s, board, status, today)
        name = board.name
    columns = exporting.PLAN_COLUMNS if is_plan else log.COLUMNS
    what = "paper" if is_plan else "action"
    hidden = 0
    if args.format in PUBLISHING and not getattr(args, "include_private", False):
        # md and docx are for the pack: Part B stays out unless asked for; csv and xlsx are data, kept whole
        private = columns.index("private")
        kept = [r for r in rows if r[private] != "yes"]
        hidden, rows = len(rows) - len(kept), kept
    if not args.output:
        WRITERS[args.format](rows, sys.stdout, columns)
        if hidden:
            print(f"\n{count(hidden, 'Part B item')} not included (add --include-private).")
        return 0
    path = Path(args.output)
    try:
        if args.format == "docx":
            if is_plan:
                body, headings, title = exporting.plan_pack_rows(rows), exporting.PLAN_HEADINGS, "Forward plan"
            else:
                body, headings, title = exporting.appendix_rows(rows), exporting.APPENDIX_HEADINGS, "Action log"
            note = f"As at {in_words(today)}." + (f" {count(hidden, 'Part B item')} not included." if hidden
                                                 else "")
            log.write_docx(f"{name} — {title}", headings, body, path, note)
            rows = body
        elif args.format == "xlsx":
            log.write_xlsx(rows, path, columns, exporting.PLAN_DATE_COLUMNS if is_plan else log.DATE_COLUMNS,
                           "Forward plan" if is_plan else "Actions")
        else:  # a byte-order mark on csv files, so Excel reads “–” and names with accents right
            with path.open("w", encoding="utf-8-sig" if args.format == "csv" else "utf-8", newline="") as out:
                WRITERS[args.format](rows, out, columns)
    except OSError as exc:
        return _fail(cannot_write(path, exc), 2)
    print(f"Wrote {count(len(rows), what)} of {name}'s {'forward plan' if is_plan else 'log'} to {path}.")
    return 0
