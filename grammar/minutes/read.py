"""Reading the decisions out of minutes, paragraph by paragraph.

The minutes are walked in order. A paragraph that starts with a ref (`42/18 on …`, `84/1 – …`)
opens that action's item: its paragraphs up to the next ref or heading are what was said about
it, and its status sentence ("can now close", "can close upon …", "will remain open") decides
the change; the sentences before it become the update. `Action 90: …`, `Action: …`, a table row
of an action table, "It was agreed that AH would …" raise new actions. The forward plan is read
from its section ("Additions for the Forward Plan:" and the bullets after it) and from sentences
anywhere that add, drop or hold a paper "once a date is identified". "Date of next meeting – …"
offers a meeting. "RESOLVED – that …" and "It was agreed that …" with no change to the log are
listed as decisions. What none of this places is kept, quoted, among the paragraphs not placed.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace

from grammar.minutes import text as mt
from grammar.minutes.model import (
    CLOSE,
    CLOSE_WHEN,
    DECISION,
    NEW,
    NOT_UNDERSTOOD,
    PLAN_TBC,
    UPDATE,
    Change,
    Proposal,
    Unplaced,
)
from grammar.minutes.plan import PlanReading
from grammar.minutes.rules import (
    _ATTENDANCE,
    _ATTENDEE,
    _FP_HEADING,
    _HEADING_WORDS,
    _LEAD_IN,
    _PART_B,
    _TRAILING_STATUS,
    _UPDATE_LABEL,
    _Block,
    _cut_title,
    _Found,
    _looks_like_attendance,
    _merged_plan,
    _numbered_minutes,
    _tidy_title,
    status_of,
    substance,
)
from grammar.minutes.text import Para, Row, Typed


def _initials_by_name(people: Mapping[str, str]) -> dict[str, str]:
    """A registered person's initials by the names minutes call them: the full name, and the first
    name or surname alone when no one else registered shares it ("Dr Patel", "Priya")."""
    out: dict[str, str] = {}
    parts: dict[str, set[str]] = defaultdict(set)
    for initials, name in people.items():
        words = mt.without_title(name).lower().split()
        if not words:
            continue
        out[" ".join(words)] = initials
        for word in {words[0], words[-1]}:
            if len(word) > 2:
                parts[word].add(initials)
    for word, who in parts.items():
        if len(who) == 1:
            out.setdefault(word, next(iter(who)))
    return out


_SAID = re.compile(r"\b(?:was|were|has|have|had|is|are|been)\b", re.I)  # a heading that is a sentence, not a title
_NO_NEWS = re.compile(r"\b(?:no\s+(?:further\s+)?(?:update|change|progress|news)|nothing\s+(?:new|further)(?:\s+to\s+report)?|"
                      r"not\s+yet\s+due)\b", re.I)
_BARE_STATUS = re.compile(r"(?:still\s+)?(?:open|ongoing|on-going|on\s+track|in\s+progress|not\s+yet\s+due|outstanding|"
                          r"pending|green|amber|red|no\s+(?:further\s+)?update|no\s+change)", re.I)
_NAMED_FIRST = re.compile(r"(?:\((?P<title>[^()]{2,120})\)\s*[:.–—-]?\s+(?=\S)|(?P<title2>[^.:;()]{2,100}?)\s*:\s+(?=[a-z])"
                          r"|(?P<title3>[^.:;()–—]{2,100}?)\s+[–—-]\s+(?=[a-z]))")
_STATUS_THEN_NEWS = re.compile(r"([A-Za-z][A-Za-z /-]{1,30}?)\s*[–—:;.-]\s+(\S.*)$")
_ASKS = re.compile(r"\bto\s+be\s+[a-z]+(?:ed|en|wn)\b|\b(?:asked|agreed|requested|resolved)\b|\bto\s+(?:come|return|report|"
                   r"bring|provide|produce|prepare|circulate|review|draft|write|arrange)\b", re.I)
_DASH_DUE = re.compile(r"\s[–—-]\s*(?:by\s+|due\s+)?(?P<words>[A-Za-z0-9][\w /.]{1,30}?)\s*[.;]?\s*$")
_OFFICE_TO = re.compile(r"^(?:the\s+)?(clerk|secretary|chair(?:man|woman|person)?)\s+to\s+(?=[a-z])", re.I)
_NEXT_ITEMS = re.compile(r"\b(?:items?|papers?|reports?|topics?)\s+for\s+(?:the\s+)?next\s+(?:agenda|meeting)\s*:?\s*$", re.I)
SOURCE_SHOWN = 400  # characters of the minutes' words a proposal quotes


class Reader(PlanReading):
    """One reading of one set of minutes: call read(), then proposal()."""

    def __init__(self, items: list[Para | Row], *, base: dt.date | None, refs: Iterable[str],
                 people: Mapping[str, str] | None, headers: Iterable[Para] = (), roles: Mapping[str, str] | None = None):
        self.items = items
        self.headers = list(headers)
        self.base = base
        self.known: dict[str, str] = {}  # canonical "74/18" or "74" -> the ref as the log writes it
        self.by_number: dict[int, list[str]] = defaultdict(list)
        for ref in refs:
            m = re.fullmatch(r"\s*#?(\d{1,6})(?:/(\d{1,4}))?\s*", str(ref))
            if m:
                key = f"{int(m.group(1))}/{int(m.group(2)) % 100:02d}" if m.group(2) else str(int(m.group(1)))
                self.known[key] = str(ref).strip()
                self.by_number[int(m.group(1))].append(key)
        self.known_set = frozenset(self.known)
        self.numbered_minutes = _numbered_minutes(
            [t for t in (mt.ref_at_start(i.body)[0] for i in items if isinstance(i, Para)) if t and not t.labelled
             and not self.resolve_key(t)])
        self.continuous = bool(self.known) and all("/" not in k for k in self.known)
        self.people = None if people is None else {k.upper(): v for k, v in people.items()}
        self.names = set() if people is None else {v.lower() for v in people.values()}
        self.initials_of = _initials_by_name(self.people or {})
        self.roles = {k.lower(): v for k, v in (roles or {}).items() if v}
        self.found: list[_Found] = []
        self.placed: set[int] = set()
        self.structural: set[int] = set()
        self.context: dict[int, str] = {}
        self.block: _Block | None = None
        self.section = ""
        self.fp_section = False
        self.mode: str | None = None
        self.mode_year: int | None = None
        self.mode_time: dt.time | None = None
        self.mode_when = ""  # where a listed paper goes when its line does not say
        self.seen_structure = False
        self.after_image = False
        self.quiet_rows: list[tuple[Row, str]] = []  # rows that change nothing, and why
        self.attendees: dict[str, str] = {}
        self.spoken: list[tuple[str, bool]] = []  # refs spoken of as the log's: (ref, on the log)
        self.seq = 0
        self._by_line: dict[int, int] | None = None
        self._full_names: tuple[dict[str, str], re.Pattern | None] | None = None

    # -- output ------------------------------------------------------------------------

    def add(self, change: Change, *, rank: int = 0) -> None:
        if change.owners:
            owners = tuple(dict.fromkeys(self.initials_of.get(" ".join(mt.without_title(o).lower().split()), o)
                                         for o in change.owners))
            change = replace(change, owners=owners, unknown_owners=self._unknown(owners))
        self.seq += 1
        self.found.append(_Found(change, self.seq, rank, self.section))

    def office_holder(self, text: str) -> tuple[tuple[str, ...], str] | None:
        """`Clerk to place the order.`, `The Chair to write to the Commissioner`: the one person who
        holds that office on the board, and the words after "to"."""
        m = _OFFICE_TO.match(text)
        if not m:
            return None
        office = m.group(1).lower()
        office = "chair" if office.startswith("chair") else office
        held = self.roles.get(office) or (self.roles.get("secretary") if office == "clerk" else None)
        return ((held,), text[m.end():]) if held else None

    def named_in(self, text: str) -> tuple[str, ...]:
        """The registered people a clause names by their full name ("the Treasurer, Yasmin Cole, report
        on …"), as initials; titles and surnames alone are too loose to act on here."""
        if self._full_names is None:
            names = {" ".join(mt.without_title(name).lower().split()): initials
                     for initials, name in (self.people or {}).items() if len(mt.without_title(name).split()) > 1}
            self._full_names = (names, re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
                                                  + r")\b") if names else None)
        names, pattern = self._full_names
        if pattern is None:
            return ()
        return tuple(dict.fromkeys(names[m.group(0)] for m in pattern.finditer(" ".join(text.lower().split()))))

    def _unknown(self, owners: tuple[str, ...]) -> tuple[str, ...]:
        if self.people is None:
            return ()
        return tuple(o for o in owners if o.upper() not in self.people and o.lower() not in self.names)

    def resolve_key(self, typed: Typed) -> bool:
        return typed.canonical() in self.known

    def resolve(self, typed: Typed) -> str | None:
        """The log's ref that a written ref means; None when the log has none (or several)."""
        if typed.year is not None:
            return self.known.get(typed.canonical())
        keys = self.by_number.get(typed.number, [])
        if len(keys) == 1:
            return self.known[keys[0]]
        if self.base is not None:
            key = f"{typed.number}/{self.base.year % 100:02d}"
            if key in self.known:
                return self.known[key]
        return None

    def new_ref(self, typed: Typed | None) -> str | None:
        if typed is None:
            return None
        if typed.year is not None:
            return typed.canonical()
        if self.continuous or self.base is None:
            return str(typed.number)
        return f"{typed.number}/{self.base.year % 100:02d}"

    # -- the walk ----------------------------------------------------------------------

    def read(self) -> None:
        for index, item in enumerate(self.items):
            if isinstance(item, Row):
                self.end_block()
                self.mode = None
                self.seen_structure = True
                self.row(index, item)
            else:
                self.paragraph(index, item)
        self.end_block()

    def paragraph(self, index: int, p: Para) -> None:
        body = p.body
        self.seen_structure = self.seen_structure or p.in_table
        if mt.FURNITURE.match(body) or (self.after_image and len(body) < 60):
            self.after_image = self.after_image or bool(re.match(r"image\d", body, re.I))
            self.structural.add(index)  # page numbers, pictures and the words in a logo
            return
        self.after_image = False
        if _ATTENDANCE.match(body) and len(body) < 400:
            self.end_block()
            self.mode = "attendance"
            self.seen_structure = True
            self.structural.add(index)
            self._attendees(body)
            return
        if self.mode == "actions" and p.mark != "#" and not mt.is_numbered_heading(p) \
                and mt.ref_at_start(body)[0] is None and self.list_item(index, p):
            return
        if p.mark == "#" or mt.is_numbered_heading(p) or (_HEADING_WORDS.match(body) and len(body) < 90):
            self.end_block()
            self.mode = None
            self.seen_structure = True
            self.section = p.text
            self.fp_section = bool(_FP_HEADING.search(body))
            self.structural.add(index)
            self.meetings_in(index, p)
            return
        if self.mode == "attendance":
            if _looks_like_attendance(body):
                self.structural.add(index)
                self._attendees(body)
                return
            self.mode = None
        typed, rest = mt.ref_at_start(body)
        if typed is not None and not typed.labelled and typed.yy == (typed.number + 1) % 100 \
                and self.resolve(typed) is None and not self.numbered_minutes:
            typed = None  # "19/20 budget …": a financial year, not an action
        if typed is not None:
            ref = self.resolve(typed)
            if not typed.labelled or (ref and any(status_of(s) for s in mt.sentences(rest))):
                self.end_block()
                self.mode = None
                self.seen_structure = True
                self.start_block(index, p, typed, ref, rest)
                return
            self.new_action(index, p, rest, typed)
            return
        said = mt.owner_line(body)
        if said and self.owners_for_previous(index, p, said[0], due_written=said[1]):
            return  # "Owner: RM" under the action it owns
        label = mt.action_label(body)
        if label:
            owners = mt.owners_of(label) if len(label) < 60 else None
            if owners and self.owners_for_previous(index, p, owners):
                return
            self.new_action(index, p, label, None)
            return
        if self.mode and self.list_item(index, p):
            return
        self.mode = None
        if self.intro(index, p):
            return
        if self.block is not None and self._names_another(body):
            self.end_block()  # "The Board agreed that action 81/18 be proposed for closure." after 80/18's item
        if self.block is not None:
            self.block.paras.append((index, p))
            self.plan_in_block(index, p)
            return
        if self.prose(index, p):
            return
        if not self.seen_structure and len(body) < 200:
            self.structural.add(index)
            return
        self.context[index] = self.section

    def _names_another(self, body: str) -> bool:
        """A sentence of this paragraph gives another action a status."""
        own = self.block.ref or self.block.typed.raw()
        for sentence in mt.sentences(body):
            if status_of(sentence) is None:
                continue
            for typed in mt.refs_in(sentence):
                ref = self.resolve(typed) or (typed.raw() if typed.year is not None else None)
                if ref and ref != own:
                    return True
        return False

    # -- attendance --------------------------------------------------------------------

    def _attendees(self, text: str) -> None:
        for m in _ATTENDEE.finditer(text[:2000]):
            self.attendees.setdefault(m.group(2).upper(), m.group(1).strip())

    # -- an existing action's item ------------------------------------------------------

    def start_block(self, index: int, p: Para, typed: Typed, ref: str | None, rest: str) -> None:
        parts = mt.sentences(rest)
        title, head_rest = "", ""
        trailing = _TRAILING_STATUS.search(parts[0][:300]) if parts else None
        if trailing and trailing.start() > 0:  # "75/18 – Mobile Policing – Closed"
            parts = [parts[0][:trailing.start()], trailing.group(1)] + parts[1:]
        named = _NAMED_FIRST.match(rest)  # "(knife crime sessions): six schools …", "Speed cameras: the last site …"
        name = named and (named.group("title") or named.group("title2") or named.group("title3"))
        if name and named.group("title3") and len(re.split(r"[.;]", rest[named.end():], maxsplit=1)[0].split()) < 4:
            name = None  # "Finance – monthly report": the title goes on after the dash
        if name and not _SAID.search(name):
            title, head_rest = _tidy_title(name), rest[named.end():]
        elif parts and _SAID.search(parts[0]) and len(parts[0]) > 60:
            head_rest = rest  # the item opens with news, not a title
        elif parts and status_of(parts[0]) is None and len(parts[0]) <= 160:
            title = _tidy_title(re.sub(r"^(?:on|re|about|regarding)\b[\s:–-]*", "", parts[0].rstrip("."), flags=re.I))
            head_rest = " ".join(parts[1:])
        else:
            head_rest = rest
        private = bool(_PART_B.search(rest[:200]) or _PART_B.search(self.section))
        self.block = _Block(typed, ref, index, p, title, head_rest, private=private)
        self.placed.add(index)

    def end_block(self) -> None:
        block, self.block = self.block, None
        if block is None:
            return
        units: list[tuple[int, str]] = []  # (paragraph index, sentence)
        if block.head_rest:
            units += [(block.index, s) for s in mt.sentences(block.head_rest)]
        for index, p in block.paras:
            if index not in block.consumed:
                units += [(index, s) for s in mt.sentences(p.body)]
        statuses = [(i, status_of(s)) for i, (_, s) in enumerate(units)]
        statuses = [(i, st) for i, st in statuses if st is not None]
        written = block.typed.raw()
        lines = list(block.head.lines)
        notes: list[str] = []
        if block.ref is None and not statuses and self._minute_number(block):
            self._as_heading(block)
            return
        if statuses:
            last_at, status = statuses[-1]
            last_para = units[last_at][0]
            others = {st.kind for _, st in statuses[:-1]} - {status.kind}
            if others:
                notes.append(f"the minutes also say {', '.join(sorted(others))} of it; the last word is taken")
            if status.note:
                notes.append(status.note)
            status_at = dict(statuses)
            closing = status.kind == CLOSE  # a closure keeps the minutes' words, its status too: its closing note
            kept = (_UPDATE_LABEL.sub("", substance(s, status_at[i]) if i in status_at and not closing else s)
                    for i, (para, s) in enumerate(units) if self._upto(block, para, last_para))
            text = " ".join(t for t in kept if t)
            if closing and block.title and _SAID.search(block.title):  # "74/18 – The paper was circulated. …"
                text = f"{block.title.rstrip('.')}. {text}".strip()
            if not text and status.kind == UPDATE and not re.search(
                    r"\b(?:open|on\s+the\s+(?:action\s+)?log|outstanding|ongoing|on-going|live)\b", units[last_at][1], re.I):
                text = _UPDATE_LABEL.sub("", units[last_at][1])  # "Deferred to the March meeting." is the update
            for index, p in block.paras:
                if index in block.consumed:
                    continue
                if self._upto(block, index, last_para):
                    self.placed.add(index)
                    lines += p.lines
                elif index not in self.placed:
                    self.context[index] = f"after {written}"
            kind = status.kind
        else:
            text = " ".join(_UPDATE_LABEL.sub("", s) for _, s in units)
            for index, p in block.paras:
                if index not in block.consumed:
                    self.placed.add(index)
                    lines += p.lines
            kind = UPDATE if text else NOT_UNDERSTOOD
            notes.append("the minutes give no status: it stays open, with this update" if text
                         else "the minutes say nothing about it")
        if kind == "reopen":
            kind = NOT_UNDERSTOOD
        nearest: tuple[str, ...] = ()
        if block.ref is None:
            nearest = mt.nearest_refs(written, self.known_set)
            if not statuses and not block.paras and not block.head_rest and block.title:
                # `93/18 – HR report` with nothing said: a new action only if it names who does it
                owners, _ = mt.leading_owners(block.title)
                if owners:
                    self.add(Change(NEW, self.new_ref(block.typed), block.title, owners, lines=tuple(lines),
                                    private=block.private, text=block.title))
                    return
            notes.insert(0, f"{written} is not on the log" + (f"; nearest: {', '.join(nearest)}" if nearest else
                                                              "; no ref near it"))
        if statuses or block.ref is not None:
            self.spoken.append((block.ref or written, block.ref is not None))
        if statuses and kind == UPDATE and block.ref is not None and not _NO_NEWS.sub("", text).strip(" .;,–-"):
            for index in [block.index] + [i for i, _ in block.paras if i not in block.consumed]:
                self.placed.discard(index)  # "3/27 – No update.": it stays open; quoted, nothing to change
                self.context[index] = f"{written} stays open; the minutes say nothing new of it"
            return
        self.add(Change(kind, block.ref or written, block.title, condition=status.condition if statuses else "",
                        text=text.strip() if kind != NOT_UNDERSTOOD else self._quote(block),
                        lines=tuple(sorted(set(lines))), known_ref=block.ref is not None, nearest=nearest,
                        private=block.private, notes=tuple(notes)))

    def _minute_number(self, block: _Block) -> bool:
        """`12/19 Apologies for absence`: a minute's number, not an action's ref. So when the title is
        an agenda heading's, or when the minutes number their items that way (three or more such
        headings, none of them a ref on the log)."""
        if block.title and _HEADING_WORDS.match(block.title):
            return True
        if mt.leading_owners(block.title or block.head_rest)[0]:
            return False
        return self.numbered_minutes

    def _as_heading(self, block: _Block) -> None:
        self.placed.discard(block.index)
        self.structural.add(block.index)
        self.section = block.head.text
        self.fp_section = bool(_FP_HEADING.search(block.head.text))
        if block.head_rest:
            self.context[block.index] = self.section
        listing = _NEXT_ITEMS.search(block.head.text)  # "31/27 Items for next agenda": the papers it lists
        for index, p in block.paras:
            if index in block.consumed or index in self.placed:
                continue
            if listing and len(p.body) < 400:
                self.mode, self.mode_when = "plan add", "next meeting"
                for part in re.split(r"\s*;\s*(?:and\s+)?", p.body):
                    if part.strip(" .;"):
                        self.add(self.plan_listed(part.strip(" ."), Para(p.lines, f"- {part.strip()}", "-")), rank=2)
                self.mode = None
                self.placed.add(index)
            elif not self.prose(index, p):
                self.context[index] = self.section

    @staticmethod
    def _upto(block: _Block, para: int, last: int) -> bool:
        return para <= last

    def _quote(self, block: _Block) -> str:
        return " ".join([block.head.text] + [p.text for _, p in block.paras])

    # -- new actions -------------------------------------------------------------------

    def owners_for_previous(self, index: int, p: Para, owners: tuple[str, ...], *, due_written: str = "") -> bool:
        """`ACTION: TB` on a line of its own: the owners of the action the paragraph before it
        raised, or of that paragraph's last sentence."""
        if index == 0 or not isinstance(self.items[index - 1], Para):
            return False
        last = self.found[-1] if self.found else None
        if last and last.change.kind == NEW and index - 1 in self.placed and \
                set(last.change.lines) & set(self.items[index - 1].lines):
            change = last.change
            notes = tuple(n for n in change.notes if not n.startswith("no owner"))
            if change.owners and set(change.owners) != set(owners):
                notes += (f"the minutes also say “Action: {' / '.join(owners)}”",)
            due, due_words = change.due, change.due_words
            if due_written and due is None and not due_words:
                due, due_words = self.due_of_cell(due_written)
            last.change = replace(change, owners=change.owners or owners, lines=change.lines + p.lines, due=due,
                                  due_words=due_words, unknown_owners=self._unknown(change.owners or owners),
                                  notes=notes)
            self.placed.add(index)
            return True
        previous = self.items[index - 1]
        if index - 1 in self.placed or index - 1 in self.structural or self.block is not None:
            return False
        parts = mt.sentences(previous.body)
        change = self.action_from(parts[-1] if parts else previous.body, None, previous.lines + p.lines,
                                  owners_written=" and ".join(owners), due_written=due_written)
        if change is None:
            return False
        self.add(replace(change, text=f"{previous.text}\n{p.text}"))
        self.placed.update((index - 1, index))
        self.context.pop(index - 1, None)
        return True

    def new_action(self, index: int, p: Para, text: str, typed: Typed | None, *, rank: int = 0) -> None:
        change = self.action_from(text, typed, p.lines)
        if change is None:
            self.add(Change(NOT_UNDERSTOOD, self.new_ref(typed), text=p.text, lines=p.lines,
                            notes=("an action with no words",)))
        else:
            self.add(change, rank=rank)
        self.placed.add(index)
        if self.block is not None:
            self.block.consumed.add(index)

    def action_from(self, text: str, typed: Typed | None, lines: tuple[int, ...], *,
                    owners_written: str = "", due_written: str = "") -> Change | None:
        body = " ".join(text.split()).lstrip(".:–—- ")
        if not body:
            return None
        notes: list[str] = []
        bracket = mt.bracket_after(body) if not owners_written and not due_written else None
        if bracket is not None:  # "… (AH and VH, 27 th January 2019)."
            body = bracket.before
            owners_written = " and ".join(bracket.owners)
            due_written = bracket.due_words
        owners, body_without = mt.labelled_owners(body)
        if owners is None:
            owners, _ = mt.leading_owners(_LEAD_IN.sub("", body))
        else:
            body = body_without
        if owners_written:
            cell = mt.owners_of(owners_written)
            if cell is None:
                owners = (owners_written,)
                notes.append(f"owner “{owners_written}” is not read as people; check it")
            else:
                owners = cell
        if not owners:
            owners = ()
            notes.append("no owner given (the person who raises it will own it)")
        first = mt.sentences(body)[0] if body else ""
        title_source = mt.action_form(_LEAD_IN.sub("", first))
        due, due_words, cut = None, "", None
        if due_written:
            due, due_words = self.due_of_cell(due_written)
            if due is None and due_words and due_words.lower() not in ("next meeting", "the next meeting"):
                notes.append(f"due date “{due_written}” is not read; give it")
        else:
            due, due_words, cut = self.due_in(title_source)
            dash = _DASH_DUE.search(title_source) if due is None and not due_words else None
            if dash:  # "… and report on their timeliness – May meeting.", "… – end of May."
                words = dash.group("words")
                month_meeting = re.fullmatch(rf"(?:the\s+)?({mt.MONTH_WORD})\s+meeting", words, re.I)
                value, _ = self.due_of_cell(words) if not month_meeting else (None, "")
                if value is not None or month_meeting or re.fullmatch(r"(?:the\s+)?next\s+meeting", words, re.I):
                    due = value
                    due_words = f"the {month_meeting.group(1)} meeting" if month_meeting else (
                        "next meeting" if value is None else words)
                    cut = dash.start()
        if due_words.lower().endswith("meeting"):
            notes.append(f"due at {due_words if due_words.startswith('the ') else 'the ' + due_words}")
        title = _cut_title(title_source, cut, drop_verb_clause=cut is not None)
        private = bool(_PART_B.search(title) or _PART_B.search(self.section))
        ref = self.new_ref(typed)
        if ref is not None and ref in self.known:
            notes.append(f"{ref} is already on the log: it gets the next ref unless you say otherwise")
        elif typed is not None and typed.year is not None and self.base is not None \
                and abs(typed.yy - self.base.year % 100) > 1 and not self.continuous:
            notes.append(f"{typed.raw()} has a year unlike the meeting's; check the ref")
        return Change(NEW, ref, title, tuple(owners), due, due_words, text=body.strip(), lines=tuple(lines),
                      private=private, notes=tuple(notes))

    def due_in(self, sentence: str) -> tuple[dt.date | None, str, int | None]:
        """A due date written in an action's words: `by 14 December`, `in March 2019`, `for the
        next meeting`. Returns the date, the words and where the phrase (with its preposition) starts."""
        best = None
        for phrase in mt.date_phrases(sentence):
            before = sentence[max(0, phrase.start - 30):phrase.start].lower()
            pm = re.search(r"\b(by|before|due|deadline|no\s+later\s+than|in|for|at|on|until|from|"
                           r"starting)\s+(?:the\s+)?$", before)
            if not pm:
                continue
            strong = pm.group(1) in ("by", "before", "due", "deadline")
            start = phrase.start - (len(before) - pm.start())
            if best is None or (strong and not best[0]):
                best = (strong, phrase, start)
        if best is None:
            return None, "", None
        _, phrase, start = best
        if phrase.kind == "next meeting":
            return None, "next meeting", start
        if phrase.kind == "month" and re.match(r"\s+meeting\b", sentence[phrase.end:phrase.end + 9], re.I):
            return None, f"the {phrase.words} meeting", start  # the board's meeting that month, not its first day
        value = mt.month_of(phrase.words, self.base) if phrase.kind == "month" else mt.day_of(phrase.words, self.base)
        return value, phrase.words, start

    def due_of_cell(self, cell: str) -> tuple[dt.date | None, str]:
        words = " ".join(cell.split()).strip(" .")
        if not words:
            return None, ""
        if re.fullmatch(r"(?:the\s+)?next\s+(?:[\w&'’-]+\s+)?meeting", words, re.I):
            return None, "next meeting"
        if re.fullmatch(r"(?:tbc|tbd|tba|asap|ongoing|on-going|n/?a|-+|none|immediate(?:ly)?)", words, re.I):
            return None, words
        value = mt.day_of(words, self.base)
        if value is None and mt.month_of(words, self.base):
            value = mt.month_of(words, self.base)
        if value is None:
            phrases = [ph for ph in mt.date_phrases(words) if ph.kind != "next meeting"]
            if phrases:
                ph = phrases[0]
                value = mt.month_of(ph.words, self.base) if ph.kind == "month" else mt.day_of(ph.words, self.base)
        return value, words

    # -- tables ------------------------------------------------------------------------

    def row(self, index: int, row: Row) -> None:
        before = len(self.found), len(self.quiet_rows)
        accounted = self._row(index, row)
        if (len(self.found), len(self.quiet_rows)) == before and row.raw.strip() and not accounted:
            self.quiet_rows.append((row, "a table row with no action in it"))  # quoted, not dropped

    def _row(self, index: int, row: Row) -> bool:
        """Read one row; True when its discussion accounts for it (no change of its own needed)."""
        cells = row.cells
        self.placed.add(index)
        if "title" not in cells:
            return self.discussed(index, row)
        title_cell = cells.get("title", "")
        ref_cell = cells.get("ref", "") or cells.get("item", "")
        row_ref, _ = mt.ref_at_start(ref_cell) if ref_cell else (None, "")
        if row_ref is not None and not (row_ref.year is not None or row_ref.labelled):
            row_ref = None
        if row_ref is None and cells.get("ref") and re.fullmatch(r"#?\d{1,5}", cells["ref"].strip()):
            row_ref = Typed(int(cells["ref"].strip("# ")), None, cells["ref"], True)  # a Ref column: 90 is 90/18
        chunks = mt.action_chunks(title_cell) or ([""] if row_ref else [])
        owner_cells = [x for x in cells.get("owners", "").split("\n") if x.strip()]
        due_cells = [x for x in cells.get("due", "").split("\n") if x.strip()]
        status_cell = " ".join(cells.get("status", "").split())
        worded = _STATUS_THEN_NEWS.match(status_cell)  # "Open – 68 of 110 supervisors trained"
        if worded and status_of(worded.group(1)) is not None and not cells.get("update", "").strip():
            status_cell, cells = worded.group(1), {**cells, "update": worded.group(2)}
        rag = " ".join(cells.get("rag", "").split()).lower()
        if not status_cell and rag in ("blue", "b", "complete", "completed", "closed"):
            status_cell = "Complete"  # BRAG: blue is done
        update_cell = " ".join(cells.get("update", "").split())
        for k, chunk in enumerate(chunks):
            typed, rest = mt.ref_at_start(chunk)
            if typed is None and row_ref is not None and len(chunks) == 1:
                typed, rest = row_ref, chunk
            owners_written = self._pick(owner_cells, k, len(chunks), rest)
            due_written = self._pick(due_cells, k, len(chunks), None)
            ref = self.resolve(typed) if typed is not None else None
            status = status_of(status_cell) if status_cell else None
            if (status is None or status.kind == UPDATE) and update_cell:
                found = [st for st in map(status_of, mt.sentences(update_cell)) if st]
                if found and (status is None or found[-1].kind in (CLOSE, CLOSE_WHEN)):
                    status = found[-1]  # "Open" in the status column, "can close once …" in the update
            if status is None and typed is not None:
                found = [st for st in map(status_of, mt.sentences(rest)) if st]
                status = found[-1] if found else None
            if typed is not None and (ref is not None or status is not None):
                self.row_existing(row, typed, ref, rest, status, update_cell, due_written)
                continue
            if not rest.strip():
                continue
            change = self.action_from(rest, typed, row.lines, owners_written=owners_written or "",
                                      due_written=due_written or "")
            if change is not None:
                if owners_written is None and len(owner_cells) > 1 and not change.owners:
                    change = replace(change, owners=tuple(o for cell in owner_cells for o in (mt.owners_of(cell) or (cell,))),
                                     notes=tuple(n for n in change.notes if not n.startswith("no owner")) + (
                        f"the owner cell has {len(owner_cells)} lines for {len(chunks)} actions; check who owns this one",))
                if due_written is None and len(due_cells) > 1:
                    change = replace(change, notes=change.notes + (
                        f"the date cell has {len(due_cells)} lines for {len(chunks)} actions; give this one's due date",))
                self.add(change, rank=2)
        return False

    def discussed(self, index: int, row: Row) -> bool:
        """A row of minutes kept as a table with no action column (Ref | Discussion | Lead | By): its
        Lead and By are the owners and date of the action its discussion asks for. A row whose
        discussion spoke of the log or the plan needs nothing more; a decision it listed, or its
        last paragraph when that asks for something, becomes the action."""
        owners, due = row.cells.get("owners", "").strip(), row.cells.get("due", "").strip()
        if not owners:
            return False
        said = set(row.discussion)
        related = [f for f in self.found if set(f.change.lines) & said]
        if any(f.change.kind not in (NEW, DECISION, NOT_UNDERSTOOD, PLAN_TBC) for f in related):
            return True
        news = [f for f in related if f.change.kind == NEW]
        if news:
            change = news[-1].change
            if not change.owners or (change.due is None and not change.due_words and due):
                fresh = self.action_from(change.text, None, change.lines, owners_written=owners, due_written=due)
                if fresh is not None:
                    news[-1].change = replace(fresh, ref=change.ref, owners=change.owners or fresh.owners,
                                              unknown_owners=self._unknown(change.owners or fresh.owners))
            return True
        asked = [f for f in related if f.change.kind in (DECISION, NOT_UNDERSTOOD, PLAN_TBC)]  # "… to come back": by whom
        if asked:
            source = asked[-1].change.text
            where = asked[-1].change.lines
        else:
            paragraphs = [(i, self.items[i]) for i in range(max(0, index - 40), index)
                          if isinstance(self.items[i], Para) and set(self.items[i].lines) & said and i not in self.placed]
            if not paragraphs or not _ASKS.search(paragraphs[-1][1].body):
                return False
            at, paragraph = paragraphs[-1]
            source, where = paragraph.body, paragraph.lines
            self.placed.add(at)
            self.context.pop(at, None)
        change = self.action_from(_LEAD_IN.sub("", source), None, where, owners_written=owners, due_written=due)
        if change is None:
            return False
        if asked:
            self.found.remove(asked[-1])
        self.add(replace(change, text=source), rank=2)
        return True

    @staticmethod
    def _pick(cells: list[str], k: int, n: int, rest: str | None) -> str | None:
        """The owner (or, with rest None, date) line for the k-th of n actions sharing a cell:
        one line each, or one `;`-separated part each; else the action's own "SH/VH to …"; else
        the one line for all. None when the cell does not say."""
        if not cells:
            return None
        if n > 1 and len(cells) == 1 and len(cells[0].split(";")) == n:
            cells = [c.strip() for c in cells[0].split(";")]
        if len(cells) == n:
            return cells[k]
        if rest is not None and mt.leading_owners(rest)[0]:
            return None  # the action's own words say who
        if len(cells) == 1:
            return cells[0]
        return None

    def row_existing(self, row: Row, typed: Typed, ref: str | None, rest: str, status, update: str,
                     due_written: str | None) -> None:
        written = typed.raw()
        notes: list[str] = []
        due, due_words = self.due_of_cell(due_written) if due_written else (None, "")
        if due is None and status_of(due_words) is not None:
            due_words = ""  # "Ongoing" in the date column: a status, not a date
        if due_words:
            notes.append(f"the minutes give it the date “{due_words}”; the log's due date may differ")
        if update and status is not None and status.kind == UPDATE and not substance(update, status) \
                and _BARE_STATUS.fullmatch(update.strip(" .")):
            update = ""  # "Ongoing", "On track": the status only, no news
        nearest: tuple[str, ...] = ()
        if ref is None:
            nearest = mt.nearest_refs(written, self.known_set)
            notes.append(f"{written} is not on the log" + (f"; nearest: {', '.join(nearest)}" if nearest else "; no ref near it"))
        kind = status.kind if status else UPDATE
        if kind == "reopen":
            kind = NOT_UNDERSTOOD
        if status and status.note:
            notes.append(status.note)
        if status is None:
            notes.append("the row gives no status: it stays open, with this update")
        text = update
        said = [(s, status_of(s)) for s in mt.sentences(rest)]
        closing = kind == CLOSE
        if not text and any(st for _, st in said):  # the action cell tells the news: "58/16 – … can now close."
            text = " ".join(t for t in (s if st is None or closing else substance(s, st) for s, st in said) if t)
        elif closing and status is not None and text and status_of(text) is None:
            text = f"{text.rstrip('.')}. {' '.join(row.cells.get('status', '').split())}".strip(". ") or text
        title = rest if len(rest) <= 160 and not any(st for _, st in said) else ""
        self.spoken.append((ref or written, ref is not None))
        if kind == UPDATE and not _NO_NEWS.sub("", text).strip(" .;,–-") and ref is not None:
            # "Open", or the action as it stands, and nothing else: nothing changes
            self.quiet_rows.append((row, "a row that changes nothing: it stays open"))
            return
        self.add(Change(kind, ref or written, _tidy_title(title.rstrip(".")), due=due, due_words=due_words,
                        condition=status.condition if status else "",
                        text=text if kind != NOT_UNDERSTOOD else row.raw, lines=row.lines, known_ref=ref is not None,
                        nearest=nearest, private=bool(_PART_B.search(rest)), notes=tuple(notes)))

    # -- the end -----------------------------------------------------------------------

    def _with_source(self, change: Change) -> Change:
        """The change with the minutes' words it was read from: every paragraph or row on its lines."""
        if self._by_line is None:
            self._by_line = defaultdict(list)
            for index, item in enumerate(self.items):
                for line in item.lines:
                    self._by_line[line].append(index)

        def words_of(i: int) -> str:
            return self.items[i].text if isinstance(self.items[i], Para) else self.items[i].raw

        key = (change.ref or change.title or change.text)[:40].lower()
        indexes: dict[int, None] = {}
        for n in change.lines:
            on_line = self._by_line.get(n, [])
            if len(on_line) > 1:  # a table's cell: several paragraphs on one line; the ones that speak of it
                on_line = [i for i in on_line if key and key in words_of(i).lower()] or on_line
            indexes.update(dict.fromkeys(on_line))
        words = " ".join(words_of(i) for i in indexes)
        return replace(change, source=words if len(words) <= SOURCE_SHOWN else words[:SOURCE_SHOWN - 1] + "…")

    def proposal(self, meeting_date: dt.date | None, source: str, warnings: list[str]) -> Proposal:
        found = _merged_plan(self.found)
        changes = tuple(self._with_source(f.change) for f in sorted(found, key=lambda f: (f.change.line, f.seq)))
        unplaced = tuple(Unplaced(item.lines, item.text, self.context.get(index, self.section))
                         for index, item in enumerate(self.items)
                         if isinstance(item, Para) and index not in self.placed and index not in self.structural)
        unplaced = tuple(sorted(unplaced + tuple(Unplaced(r.lines, r.raw, why) for r, why in self.quiet_rows),
                                key=lambda u: u.lines))
        matched = tuple(dict.fromkeys(ref for ref, on_log in self.spoken if on_log))
        spoken_unknown = [ref for ref, on_log in self.spoken if not on_log]
        other_board = bool(self.spoken) and not matched
        if other_board:
            shown = ", ".join(list(dict.fromkeys(spoken_unknown))[:6])
            if self.known:
                warnings.append(f"None of the {len(set(spoken_unknown))} actions these minutes speak of ({shown}) is on this "
                                f"board's log: are these the minutes of another board?")
            else:
                warnings.append(f"This board's log has no actions, so none of the refs in these minutes ({shown}) "
                                f"can be matched.")
        elif self.known and not matched and not any(c.kind == NEW for c in changes):
            warnings.append("These minutes speak of none of the actions on the log.")
        if meeting_date is None:
            warnings.append("The minutes do not say the meeting's date: give it (--date), so dates without a year "
                            "can be read and updates dated.")
        unknown_people = sorted({o for c in changes for o in c.unknown_owners})
        if unknown_people:
            warnings.append("Not registered: " + ", ".join(
                f"{o} ({self.attendees[o.upper()]})" if o.upper() in self.attendees else o for o in unknown_people)
                            + "; applying makes them people without Slack unless you register them.")
        structure = sorted({line for index in self.structural for line in self.items[index].lines}
                           | {line for p in self.headers for line in p.lines})
        return Proposal(changes, meeting_date, source, unplaced, tuple(warnings),
                        tuple(sorted(self.attendees.items())), other_board, matched, len(self.items), tuple(structure))
