"""The minutes corpus (tests/data/minutes/corpus/): sets of minutes in the shapes boards write them,
each with a hand-counted table of what it decides, and the scoring of the reader against them.

Each set is `<name>.json` (its shape, the board's log before the meeting, its people, the meetings
already on its calendar, and the decisions counted by hand) beside its minutes: `<name>.txt` or
`.md` as text, or `<name>.docx.json`, a Word document's paragraphs and tables that `build_docx`
makes into a real .docx, read the way a secretary's file is (exchange.minutes.minutes_text).

`roles` (optional) names the board's chair and secretary by initials, as Clerk knows them.
A proposed change is right when its kind and every field the hand count gives agree (ref, owners,
due date, where a paper goes, its recurrence, words its title or condition must hold, the line it
starts on). Precision is right proposals over proposals, recall right proposals over the hand
count. Decisions ("RESOLVED – that the report be noted") are scored in the sets that count them;
elsewhere they are listed but change nothing, so they cost nothing. A next meeting already on the
calendar is no change, as the review shows it, so it is not a proposal. Used by
tests/test_minutes_corpus.py and bench/minutes.py."""
from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from exchange.minutes import minutes_text
from grammar.minutes import CHANGES, DECISION, MEETING_ADD, Change, Proposal, read_minutes

CORPUS = Path(__file__).resolve().parent / "data" / "minutes" / "corpus"


@dataclass
class Sample:
    name: str
    shape: str
    text: str
    meeting_date: dt.date | None
    refs: list[str]
    people: dict[str, str]
    meetings: set[str]
    expected: list[dict]
    docx: bool = False
    roles: dict[str, str] = field(default_factory=dict)

    def read(self) -> Proposal:
        return read_minutes(self.text, refs=self.refs, people=self.people, roles=self.roles)


@dataclass
class Score:
    sample: Sample
    proposal: Proposal
    right: list[tuple[dict, Change]] = field(default_factory=list)
    missed: list[dict] = field(default_factory=list)
    wrong: list[Change] = field(default_factory=list)

    @property
    def proposed(self) -> int:
        return len(self.right) + len(self.wrong)

    @property
    def expected(self) -> int:
        return len(self.right) + len(self.missed)


def build_docx(spec: dict, path: Path) -> Path:
    """A Word document from `{"blocks": [{"p": text} | {"table": [[cell, …], …]}]}`: a cell's lines
    are its paragraphs, as Word keeps them."""
    from docx import Document

    document = Document()
    for block in spec["blocks"]:
        if "p" in block:
            document.add_paragraph(block["p"])
            continue
        rows = block["table"]
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                cell = table.cell(i, j)
                first, *more = str(text).split("\n")
                cell.text = first
                for line in more:
                    cell.add_paragraph(line)
    document.save(str(path))
    return path


def samples() -> list[Sample]:
    out = []
    for meta_path in sorted(CORPUS.glob("*.json")):
        if meta_path.name.endswith(".docx.json"):
            continue
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        source = CORPUS / meta["source"]
        docx = source.name.endswith(".docx.json")
        if docx:
            with tempfile.TemporaryDirectory() as folder:
                built = build_docx(json.loads(source.read_text(encoding="utf-8")), Path(folder) / "minutes.docx")
                text = minutes_text(built)
        else:
            text = minutes_text(source)
        day = meta.get("meeting_date")
        out.append(Sample(meta_path.stem, meta["shape"], text, dt.date.fromisoformat(day) if day else None,
                          list(meta.get("refs", [])), dict(meta.get("people", {})), set(meta.get("meetings", [])),
                          list(meta["expected"]), docx, dict(meta.get("roles", {}))))
    return out


def _same(change: Change, want: dict, *, lines: bool) -> bool:
    if change.kind != want["kind"]:
        return False
    if want.get("ref") and (change.ref or "").split(" ")[0] != want["ref"]:
        return False
    if want.get("owners") is not None and "owners" in want and set(change.owners) != set(want["owners"]):
        return False
    if "due" in want:
        due = want["due"]
        if due is None:
            if change.due is not None:
                return False
        elif len(due) == 10 and due[4] == "-":
            if change.due != dt.date.fromisoformat(due):
                return False
        elif due.lower() not in change.due_words.lower():
            return False
    if want.get("when") and change.when != want["when"]:
        return False
    if want.get("recurrence") and change.recurrence != want["recurrence"]:
        return False
    said = change.title.lower()
    if any(w.lower() not in said for w in want.get("title_words", [])):
        return False
    if any(w.lower() not in change.condition.lower() for w in want.get("condition_words", [])):
        return False
    if lines and want.get("line") and change.lines:
        return min(change.lines) - 1 <= want["line"] <= max(change.lines) + 1
    return True


def score(sample: Sample, proposal: Proposal | None = None) -> Score:
    proposal = proposal or sample.read()
    kinds = set(CHANGES) | ({DECISION} if any(w["kind"] == DECISION for w in sample.expected) else set())
    proposed = [c for c in proposal.changes if c.kind in kinds
                and not (c.kind == MEETING_ADD and c.when in sample.meetings)]
    result = Score(sample, proposal)
    left = list(proposed)
    for want in sample.expected:
        found = next((c for c in left if _same(c, want, lines=not sample.docx)), None)
        if found is None:
            result.missed.append(want)
        else:
            left.remove(found)
            result.right.append((want, found))
    result.wrong = left
    return result


def by_shape(scores: list[Score]) -> dict[str, tuple[int, int, int]]:
    """shape -> (right, proposed, expected)."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for s in scores:
        row = out[s.sample.shape]
        row[0] += len(s.right)
        row[1] += s.proposed
        row[2] += s.expected
    return {k: tuple(v) for k, v in sorted(out.items())}


def uncovered(sample: Sample, proposal: Proposal) -> list[tuple[int, str]]:
    """The lines of the minutes that no proposal uses, none is quoted as not placed, and none was read
    as a heading, attendance or page furniture: what the reader would have dropped silently."""
    seen = {n for c in proposal.changes for n in c.lines} | {n for u in proposal.unplaced for n in u.lines} \
        | set(proposal.structure)
    return [(n, line) for n, line in enumerate(sample.text.replace("\r\n", "\n").split("\n"), 1)
            if line.strip() and n not in seen]
