"""`python bot.py import minutes FILE --board B [--date D] [--format text|csv] [--apply]`.

The file is a meeting's minutes (.txt, .md, .docx): Clerk shows the changes they propose, one
line a change (or, with --format csv, as `change,ref,title,owners,due,condition,text`), and with
--apply makes them, all in one transaction: all or nothing. With --apply --skip-bad, the changes the
log would refuse as they stand (each named, with its reason, in the proposal) are left out and the
rest applied. A .csv file is such a proposal, perhaps edited (a row deleted is a change left out; an
owner, date or condition changed is taken as written).
Exit codes: 0 done (or nothing to do); 1 a change that cannot be applied (nothing applied; with
--skip-bad, some left out); 2 a file or option that cannot be used."""
from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import select

from exchange.minutes import MinutesError, minutes_text
from exchange.reading import read_day
from exchange.tables import TableError, read_table, write_csv
from service import minutes
from service.conversation import Speaker
from store.boards import board_for
from store.models import ForwardPlanItem, Meeting
from store.terms import Refusal

CONSOLE = Speaker(user_id="console", user_name="console", surface="console")


def _fail(message: str, code: int) -> int:
    print(message, file=sys.stderr)
    return code


def import_minutes(clerk, args) -> int:
    conversation = clerk.conversation
    today = conversation.today(clerk.clock())
    try:
        meeting = read_day(args.date, today) if args.date else None
    except ValueError as exc:
        return _fail(f"--date: {exc}", 2)
    path = Path(args.file)
    try:
        if path.suffix.lower() == ".csv":
            if meeting is None:
                return _fail("An edited proposal needs the meeting's date: add --date, e.g. --date 29/11/2018.", 2)
            table = read_table(path)  # as any csv: its size checked, cp1252 read, control characters taken out
            rows, text = table[1:], "\n".join("\t".join(row) for row in table)
            with conversation.read_sessions() as s:
                board = board_for(s, args.board, None)
                papers = list(s.scalars(select(ForwardPlanItem).where(ForwardPlanItem.board_id == board.id)))
                days = set(s.scalars(select(Meeting.day).where(Meeting.board_id == board.id,
                                                               Meeting.cancelled.is_(False))))
                lines = minutes.lines_of_rows(rows, meeting, papers, days)
                review = minutes.Review(board.name, meeting, minutes.digest_of(board.id, text, meeting), lines, [],
                                        f"{len(lines)} changes from {path.name}", [], [])
        else:
            review = minutes.review(conversation, minutes_text(path), board_name=args.board, channel=None,
                                    meeting=meeting, who=CONSOLE)
    except (MinutesError, TableError, OSError) as exc:
        return _fail(str(exc), 2)
    except Refusal as exc:
        return _fail(exc.message, 2)
    if args.format == "csv":  # through the one csv writer: no cell is run as a formula when opened
        table = review.rows or [["change", "ref", "title", "owners", "due", "condition", "text"]]
        write_csv(table[1:], sys.stdout, columns=table[0])
    else:
        print("\n".join(review.text()))
    if not args.apply:
        if args.format != "csv":
            print("Nothing is changed until you apply: add --apply (or edit the csv, then import it with --apply).")
        return 0
    try:
        done = minutes.apply(conversation, [line.command for line in review.lines], board_name=review.board,
                             meeting=review.meeting, digest=review.digest, who=CONSOLE, skip_refused=args.skip_bad)
    except minutes.NotApplied as exc:
        lines = [f"  {n + 1}. {review.lines[n].command}: {message}" for n, message in exc.errors.items()]
        return _fail("Nothing applied; these changes cannot be made as they are:\n" + "\n".join(lines)
                     + "\nCorrect them (write the proposal with --format csv, edit it, import the csv), then apply; "
                     "or add --skip-bad to apply the rest without them.", 1)
    except Refusal as exc:
        return _fail(f"Nothing applied: {exc.message}", 1)
    print("\n".join(done.lines))
    if done.skipped:
        lines = [f"  {n + 1}. {review.lines[n].command}: {message}" for n, message in done.skipped.items()]
        return _fail(f"Left out ({len(lines)}), as --skip-bad asked:\n" + "\n".join(lines), 1)
    return 0
