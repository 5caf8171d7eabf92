"""The forward plan, meetings, lists and sentences outside any action's item: the half of the
reader that is not about the log's existing actions (grammar/minutes/read.py has that half).

PlanReading is a part of minutes_read.Reader and uses its state (section, mode, placed …) and
its methods (add, new_action, action_from, resolve, end_block)."""
from __future__ import annotations

import re
from dataclasses import replace

from grammar.minutes import text as mt
from grammar.minutes.model import (
    DECISION,
    MEETING_ADD,
    NOT_UNDERSTOOD,
    PLAN_ADD,
    PLAN_DROP,
    PLAN_TBC,
    Change,
)
from grammar.minutes.rules import (
    _ACTIONS_INTRO,
    _ADD_ACTIVE,
    _ADD_INTRO,
    _ADD_VERB,
    _DECISION,
    _DROP_INTRO,
    _DROP_VERB,
    _FP_HEADING,
    _LEAD_IN,
    _LIST_INTRO,
    _MEETINGS_INTRO,
    _MOVE_VERB,
    _NEXT_ITEMS_INTRO,
    _NEXT_MEETING,
    _NO_CHANGE,
    _ONCE_CLAUSE,
    _PART_B,
    _PLACE,
    _PRONOUN,
    _PROVISIONAL,
    _REPORT_VERB,
    _RESOLVED_INTRO,
    _TBC,
    _WHEN_PREPOSITION,
    _cut_title,
    _recurrence,
    _time_in,
    status_of,
)
from grammar.minutes.text import MAX_SENTENCE, Para

_RESOLVED_LEAD = re.compile(r"^(?:decisions?\s*[:–—-]\s*|(?:it\s+was\s+)?(?:resolved|agreed|decided))"
                            r"\s*(?:unanimously\s*)?[:–—-]?\s*(?:that\s*)?[:–—-]?\s*", re.I)


def _decision_words(body: str) -> str:
    """The decision as the minutes word it, without "RESOLVED – that": `The report be noted`."""
    words = _RESOLVED_LEAD.sub("", body, count=1).strip() or body
    return words[:1].upper() + words[1:]


_MEETING_HELD = re.compile(r"\b(?:(?:will|shall)\s+(?:next\s+)?meet\s+(?:again\s+)?on\b|"
                           r"meeting\b[^.;]{0,80}?\b(?:will\s+be\s+held|"
                           r"is\s+to\s+be\s+held|has\s+been\s+(?:arranged|scheduled|called|convened)|will\s+take\s+place)"
                           r"\s+(?:on|for)\b)", re.I)
_MEETING_DATES = re.compile(r"\bdates?\b[^.;:]{0,80}?\b(?:approved|agreed|confirmed|"
                            r"set)\s+for\s+(?:the\s+)?(?:[\w&'’-]+\s+){0,3}?"
                            r"meetings\b", re.I)
_CLAUSE_MARK = re.compile(r"(?:^|(?<=[\s;:,]))\((?:[a-h]|[ivx]{1,4})\)\s+")
_PROCEDURAL = re.compile(r"\bminutes\b.{0,200}?\b(?:correct|accurate|true)\s+record\b|^(?:(?:it\s+was\s+)?(?:agreed|approved|"
                         r"accepted|confirmed)\s+as\s+(?:an?\s+)?(?:correct|accurate|true)\b)", re.I)
_PLAN_LIST = re.compile(r"^(?P<intro>[^:]{0,160}?\b(?P<what>additions?|added|items?|papers?|removals?|removed|deletions?|"
                        r"withdrawals?)\b[^:]{0,80}?\b" + _PLACE + r"\b[^:]{0,40}?):\s*(?P<list>\S.{2,})$", re.I)
_LIST_SPLIT = re.compile(r";\s*(?:and\s+)?|,?\s+and\s+(?=(?:the|a|an)\s)", re.I)
_ASK_TO = re.compile(r"^(?:to\s+)?(?:ask|request|instruct|invite|direct)s?\s+(?:the\s+)?(.{1,60}?),?\s+to\s+(?=[a-z])", re.I)
_PASSIVE_DECISION = re.compile(r"\bbe\s+(?:re-?)?(?:appointed|elected|thanked|congratulated|welcomed|co-opted|nominated|"
                               r"confirmed\s+as|designated|authorised\s+to\s+sign)\b", re.I)
_INTRO_REST = re.compile(r"^[^:]{3,120}?:\s*(\S.*)$")


class PlanReading:
    """The forward plan, meetings, lists and prose; mixed into minutes_read.Reader."""

    def plan_in_block(self, index: int, p: Para) -> None:
        """A paper the item adds to the forward plan or an agenda ("to be added to the Forward Plan
        … for March 2019"); other plan words inside an item are its update."""
        for s in mt.sentences(p.body):
            s0 = mt.without_speaker(s)
            m = _ADD_VERB.search(s0[:MAX_SENTENCE])
            if m:
                change = self.plan_add(s0, m, p, pronoun_title=self.block.title if self.block else "")
                if change:
                    recurrence, note, _ = _recurrence(p.body)
                    self.add(replace(change, recurrence=change.recurrence or recurrence,
                                     notes=change.notes + ((note,) if note else ())), rank=0)
                    self.placed.add(index)

    # -- lists: additions to the plan, actions, resolutions, meeting dates -------------------

    def intro(self, index: int, p: Para) -> bool:
        body = p.body
        if len(body) > 200:
            return False
        plan_words = bool(_FP_HEADING.search(body)) or self.fp_section
        self.mode_when = ""
        if _NEXT_ITEMS_INTRO.match(body):  # "Items for the next meeting:" and a list
            self.mode, self.mode_when = "plan add", "next meeting"
        elif body.endswith(":") or plan_words:
            if _LIST_INTRO.search(body) or (plan_words and re.search(r"\bfollowing\b[^:]{0,100}:$", body, re.I)):
                # "The Board agreed the following changes:", "Members asked for the following to be added to …:"
                self.mode = "plan" if plan_words else "resolved"
            elif _ADD_INTRO.match(body) and plan_words:
                self.mode = "plan add"
            elif _DROP_INTRO.match(body) and plan_words:
                self.mode = "plan drop"
            elif _ACTIONS_INTRO.match(body):
                self.mode = "actions"
            elif _RESOLVED_INTRO.match(body):
                self.mode = "resolved"
            else:
                m = _MEETINGS_INTRO.search(body)
                if not m:
                    return False
                self.mode = "meetings"
                year = re.search(r"\b((?:19|20)\d{2})\b", body)
                self.mode_year = int(year.group(1)) if year else None
                self.mode_time = _time_in(body)
        elif _ACTIONS_INTRO.match(body) and len(body) < 40:
            self.mode = "actions"
        elif _RESOLVED_INTRO.match(body):
            self.mode = "resolved"
        else:
            return False
        self.end_block()
        self.seen_structure = True
        self.structural.add(index)
        rest = _INTRO_REST.search(body)
        if rest and self.mode in ("plan add", "plan drop", "plan", "actions", "resolved", "meetings"):
            # "Additions for the Forward Plan: Estates strategy – quarterly from March 2019.": the list on one line
            self.structural.discard(index)
            for part in re.split(r"\s*;\s*(?:and\s+)?", rest.group(1)):
                if part.strip(" .") and not self.list_item(index, Para(p.lines, f"- {part.strip()}", "-")):
                    self.context[index] = self.section
            if index not in self.placed:
                self.context.setdefault(index, self.section)
        return True

    def list_item(self, index: int, p: Para) -> bool:
        body = p.body
        if self.mode == "meetings":
            phrases = [ph for ph in mt.date_phrases(body) if ph.kind == "day"]
            if not phrases or phrases[0].start > 3 or len(body) > 200:
                return False
            words = phrases[0].words
            if self.mode_year and not re.search(r"\d{4}", words):
                words = f"{words} {self.mode_year}"
            day = mt.day_of(words, self.base)
            if day is None:
                self.add(Change(NOT_UNDERSTOOD, text=p.text, lines=p.lines,
                                notes=(f"“{phrases[0].words}” is not read as a date",)))
            else:
                self.add(Change(MEETING_ADD, title="Meeting", when=day.isoformat(), time=_time_in(body) or self.mode_time,
                                provisional=bool(_PROVISIONAL.search(body)), text=p.text, lines=p.lines))
            self.placed.add(index)
            return True
        if not p.mark and self.mode in ("plan add", "plan drop", "resolved", "plan"):
            return False
        if self.mode == "plan":  # a list of changes to the plan: each says whether it adds or drops
            drop = _DROP_VERB.search(body[:MAX_SENTENCE])
            change = (self.plan_drop(body, drop, p) if drop else None) or self.plan_listed(body, p)
            self.add(change, rank=2)
            self.placed.add(index)
            return True
        if self.mode == "actions":
            if not (p.mark or mt.leading_owners(body)[0]):
                return False
            self.new_action(index, p, body, None, rank=2)
            return True
        if self.mode == "plan add":
            change = self.plan_listed(body, p)
            self.add(change, rank=2)
            self.placed.add(index)
            return True
        if self.mode == "plan drop":
            self.add(self.plan_drop_listed(body, p), rank=2)
            self.placed.add(index)
            return True
        if self.mode == "resolved":
            if not self.prose(index, p, resolution=True):
                self.context[index] = self.section
            return True
        return False

    def plan_listed(self, body: str, p: Para) -> Change:
        """A bullet under "Additions for the Forward Plan:": `Update on Mobile Policing, for the 3rd
        January 2019`, `… as a rolling quarterly updating starting from March 2019`."""
        verb = _ADD_VERB.search(body[:MAX_SENTENCE])
        if verb:
            change = self.plan_add(body, verb, p, pronoun_title="")
            if change:
                return change
        owners, without = mt.labelled_owners(body)  # "Estates strategy (DM)": who writes the paper
        body = without if owners else body
        when, when_start, notes = self.when_in(body, 0)
        recurrence, note, recurrence_start = _recurrence(body)
        cuts = [c for c in (when_start, recurrence_start) if c is not None and c > 0]  # "Monthly report" keeps its word
        title = _cut_title(re.sub(r"^(?:the|a|an)\s+(?=\w)", "", body, flags=re.I), None, drop_verb_clause=False) \
            if not cuts else _cut_title(body, min(cuts), drop_verb_clause=True)
        title = re.sub(r"^(?:the|a|an)\s+(?=\w)", "", title, flags=re.I)
        title = title[:1].upper() + title[1:]
        if note:
            notes.append(note)
        kind = PLAN_ADD
        if not when and self.mode == "plan add" and self.mode_when:
            when = self.mode_when
        if not when or when == "tbc":
            kind = PLAN_TBC
            when = "tbc"
            if _TBC.search(body) is None:
                notes.append("no meeting or month given: it waits in tbc")
        return Change(kind, None, title, owners or (), when=when, recurrence=recurrence, text=p.text, lines=p.lines,
                      private=bool(_PART_B.search(body)), notes=tuple(notes))

    def plan_drop_listed(self, body: str, p: Para) -> Change:
        when, when_start, notes = self.when_in(body, 0)
        title = _cut_title(body, when_start, drop_verb_clause=False)
        return Change(PLAN_DROP, None, title, when=when, text=p.text, lines=p.lines, notes=tuple(notes))

    # -- sentences outside any item ----------------------------------------------------

    def prose(self, index: int, p: Para, *, resolution: bool = False) -> bool:
        body = p.body
        found: list[Change] = []
        parts = mt.sentences(body)
        for s in parts:
            s0 = mt.without_speaker(s)
            found += self.sentence(s0, p)
        decided = bool(parts) and bool(resolution or _DECISION.match(mt.without_speaker(parts[0])))
        clauses = _CLAUSE_MARK.split(body) if decided else []
        if not found and decided and (len(clauses) > 2 or resolution):
            # "RESOLVED: That (a) the report be noted; (b) Louise Farrow circulate …", or a listed clause: each on its own
            parts_of = [c for c in clauses[1:] if c.strip(" ;,.")] if len(clauses) > 2 else [body]
            found += [self.resolution_clause(c, p) for c in parts_of]
        elif not found and parts:
            # "It was agreed that AH would …" / "Agreed: AH to …" / "SH/VH to discuss …", in any sentence
            for k, sentence in enumerate(parts):
                spoken = mt.without_speaker(sentence)
                lead = _LEAD_IN.sub("", spoken) if decided and k == 0 else spoken
                owners, _ = mt.leading_owners(lead, strict=not (decided and k == 0))
                office = self.office_holder(lead) if owners is None else None
                if office:  # "Clerk to write to Highways re the pothole …": the board's secretary
                    change = self.action_from(lead, None, p.lines, owners_written=" and ".join(office[0]))
                    if change:
                        found.append(replace(change, text=body))
                    continue
                if owners:
                    change = self.action_from(body if len(parts) == 1 else sentence, None, p.lines)
                    if change:
                        found.append(replace(change, text=body))
            if not found and decided and not _PASSIVE_DECISION.search(parts[0]):
                owners = self.named_in(_LEAD_IN.sub("", parts[0])[:120])
                if owners:  # "It was agreed that the Treasurer, Yasmin Cole, report on …"
                    change = self.action_from(_LEAD_IN.sub("", body), None, p.lines, owners_written=" and ".join(owners))
                    if change:
                        found.append(replace(change, text=body))
        if not found:
            owners, before = mt.labelled_owners(body)
            if owners and re.search(r"\b(?:[Aa]ctions?|ACTIONS?)\s*[:–—-]\s*[^:]{1,80}$", body):
                sentence = mt.sentences(before)[-1] if mt.sentences(before) else before
                change = self.action_from(f"{sentence} Owners: {' and '.join(owners)}", None, p.lines)
                if change:
                    found.append(replace(change, text=body))
        if not found and self.fp_section:
            if p.mark and self.when_in(body, 0)[0]:
                found.append(self.plan_listed(body, p))
            elif _MOVE_VERB.search(body[:MAX_SENTENCE]) and self.when_in(body, 0)[0]:
                found.append(Change(NOT_UNDERSTOOD, text=p.text, lines=p.lines,
                                    notes=("a paper moved to another meeting: use /plan move",)))
        if found:
            for change in found:
                recurrence, note, _ = _recurrence(body) if change.kind in (PLAN_ADD, PLAN_TBC) else ("", "", -1)
                if recurrence and not change.recurrence:
                    change = replace(change, recurrence=recurrence)
                if note and note not in change.notes:
                    change = replace(change, notes=change.notes + (note,))
                self.add(change, rank=1 if self.fp_section else 0)
            self.placed.add(index)
            return True
        first = mt.without_speaker(parts[0]) if parts else ""
        if _PROCEDURAL.search(body[:MAX_SENTENCE]):
            self.context[index] = "the minutes of the last meeting: nothing to change"
            return True
        later = next((s for s in parts[1:] if _DECISION.match(mt.without_speaker(s))), None)
        if later and not resolution and not _DECISION.match(first):  # "(b) 27/00171/FUL … Resolved to object …"
            self.add(Change(DECISION, title=_decision_words(mt.without_speaker(later)), text=p.text, lines=p.lines))
            self.placed.add(index)
            return True
        if resolution or _DECISION.match(first):
            # "RESOLVED – that the report be noted": listed as the board's decision; it names no one to act
            notes = () if _NO_CHANGE.search(body[:MAX_SENTENCE]) else (
                "a decision that names no one to act: raise an action if it needs one",)
            self.add(Change(DECISION, title=_decision_words(body), text=p.text, lines=p.lines, notes=notes))
            self.placed.add(index)
            return True
        return False

    def resolution_clause(self, clause: str, p: Para) -> Change:
        """One lettered clause of a resolution: an action when it names a registered person (or their
        initials) to act, else the board's decision."""
        words = re.sub(r"^(?:that\s+)", "", clause.strip(" ;,."), flags=re.I)

        def decided() -> Change:  # the clause as the board's decision, listed and not applied
            return Change(DECISION, title=words[:1].upper() + words[1:], text=p.text, lines=p.lines)

        if _PASSIVE_DECISION.search(words):  # "Councillor Rachel Adebayo be appointed Vice-Chair": decided, not to do
            return decided()
        asked = _ASK_TO.match(words)  # "(ii) ask KB to publish …", "request the Clerk, Jo Pike, to write …"
        if asked:
            initials = mt.owners_of(asked.group(1)) or ()
            who = initials if initials and all(o.upper() in (self.people or {}) for o in initials) \
                else self.named_in(asked.group(1))
            if who:
                words = f"{' and '.join(who)} to {words[asked.end():]}"
            else:  # "ask the Chief Fire Officer to …": an office, not a registered person; not guessed
                return decided()
        owners, _ = mt.leading_owners(words)
        owners = owners if owners else self.named_in(words[:120])
        if owners:
            change = self.action_from(words, None, p.lines, owners_written=" and ".join(owners))
            if change:
                return replace(change, text=p.text)
        return decided()

    def sentence(self, s: str, p: Para) -> list[Change]:
        """The changes one sentence outside an item asks for."""
        text = s[:MAX_SENTENCE]
        listed = _PLAN_LIST.match(text)
        if listed:  # "The Board agreed two additions to its forward plan: the X (July 2027) and the Y (September 2027)."
            dropping = bool(re.match(r"remov|delet|drop|withdr", listed.group("what"), re.I))
            out = []
            for part in _LIST_SPLIT.split(listed.group("list").strip().rstrip(".")):
                if part.strip(" ,.;"):
                    item = Para(p.lines, f"- {part.strip()}", "-")
                    out.append(self.plan_drop_listed(part.strip(), item) if dropping else self.plan_listed(part.strip(), item))
            return out
        meetings = self.meetings_in_sentence(text, p)
        if meetings:
            return meetings
        verb = _ADD_VERB.search(text)
        if verb:
            change = self.plan_add(text, verb, p, pronoun_title="")
            return [change] if change else []
        active = _ADD_ACTIVE.search(text)
        if active:
            change = self.plan_add(text, active, p, pronoun_title="", subject=active.group("obj"))
            return [change] if change else []
        drop = _DROP_VERB.search(text)
        if drop:
            change = self.plan_drop(text, drop, p)
            if change:
                return [change]
        report = _REPORT_VERB.search(text)
        if report:
            change = self.plan_add(text, report, p, pronoun_title="")
            return [change] if change else []
        status = status_of(text)
        if status is not None:
            out = []
            for typed in mt.refs_in(text):
                ref = self.resolve(typed)
                if ref is None and (typed.year is None or mt.financial_year(typed.number, typed.yy)):
                    continue
                written = typed.raw()
                nearest = () if ref else mt.nearest_refs(written, self.known_set)
                kind = NOT_UNDERSTOOD if status.kind == "reopen" else status.kind
                notes = tuple(n for n in (status.note, "" if ref else f"{written} is not on the log"
                                          + (f"; nearest: {', '.join(nearest)}" if nearest else "")) if n)
                self.spoken.append((ref or written, ref is not None))
                out.append(Change(kind, ref or written, condition=status.condition, text=p.text if kind == NOT_UNDERSTOOD else "",
                                  lines=p.lines, known_ref=ref is not None, nearest=nearest, notes=notes))
            return out
        return []

    # -- the plan ----------------------------------------------------------------------

    def when_in(self, text: str, after: int) -> tuple[str, int | None, list[str]]:
        """Where a paper goes, from the first date after `after` (else the last before it):
        `2019-01-03`, `2019-03`, `next meeting`, `tbc`; where its phrase starts; notes."""
        phrases = mt.date_phrases(text)
        if not phrases:
            return ("tbc" if _TBC.search(text[:MAX_SENTENCE]) else ""), None, []
        later = [ph for ph in phrases if ph.start >= after]
        phrase = later[0] if later else phrases[-1]
        before = text[max(0, phrase.start - 60):phrase.start]
        pm = _WHEN_PREPOSITION.search(before)
        start = phrase.start - (len(before) - pm.start()) if pm else phrase.start
        if phrase.kind == "next meeting":
            return "next meeting", start, []
        if phrase.kind == "month":
            month = mt.month_of(phrase.words, self.base)
            if month is None:
                return "", start, [f"“{phrase.words}” has no year and the meeting's date is not known"]
            return f"{month:%Y-%m}", start, []
        day = mt.day_of(phrase.words, self.base)
        if day is None:
            return "", start, [f"“{phrase.words}” is not read as a date"]
        return day.isoformat(), start, []

    def plan_add(self, text: str, verb: re.Match, p: Para, *, pronoun_title: str, subject: str | None = None) -> Change | None:
        notes: list[str] = []
        if subject is None:
            subject = text[:verb.start()]
        subject = _ONCE_CLAUSE.sub("", _LEAD_IN.sub("", subject.strip())).strip(" ,;:")
        subject = re.sub(r"^(?:the|a|an)\s+(?=\w)", "", subject, flags=re.I)
        tail = re.split(r"[,;]|\b(?:so|and|but|therefore|hence|thus)\b", subject[-200:])[-1].strip()
        if _PRONOUN.match(tail):
            subject = tail
        title = _cut_title(subject, None, drop_verb_clause=False)
        if not title or _PRONOUN.match(title.strip()):
            title = pronoun_title
            if not title:
                notes.append("the minutes do not name the paper here; give it a title")
        tbc = bool(_TBC.search(text))
        when, _, when_notes = self.when_in(text, verb.end())
        notes += when_notes
        if tbc or not when:
            if not tbc and not when_notes:
                notes.append("no meeting or month given: it waits in tbc")
            return Change(PLAN_TBC, None, title, when="tbc", text=p.text, lines=p.lines,
                          private=bool(_PART_B.search(title)), notes=tuple(notes))
        return Change(PLAN_ADD, None, title, when=when, text=p.text, lines=p.lines,
                      private=bool(_PART_B.search(title)), notes=tuple(notes))

    def plan_drop(self, text: str, verb: re.Match, p: Para) -> Change | None:
        """`Suggested removing the Finance report from April 2019`, `The X report is to be removed
        from the forward plan`. Needs the plan named, or a month or meeting it comes off."""
        after = text[verb.end():]
        place = re.search(r"\b(?:from|off)\s+(?:the\s+)?", after)
        plan_named = bool(re.search(_PLACE, text, re.I))
        when, _, notes = self.when_in(after, place.start()) if place else ("", None, [])
        if when and place and mt.date_phrases(after[:place.start()]) and not mt.date_phrases(after[place.start():]):
            when = ""  # the date was before "from": not the meeting it leaves
        if not (plan_named or (self.fp_section and (when or place))):
            return None
        if place and verb.group(0).lower().startswith(("remov", "drop", "delet", "withdr", "tak")) and \
                place.start() > 0 and not re.match(r"\s*(?:from|off)\b", after):
            title = after[:place.start()]  # active: removing <the X> from …
        else:
            title = re.sub(r"\b(?:to\s+be|will\s+be|would\s+be|should\s+be|is\s+to\s+be|be|was|were|is|are|been|has\s+been)\s*$",
                           "", _LEAD_IN.sub("", text[:verb.start()]).strip(), flags=re.I)
        title = re.sub(r"^(?:the|a|an)\s+", "", title.strip(" ,;:"), flags=re.I)
        title = _cut_title(title, None, drop_verb_clause=False)
        if re.fullmatch(_PLACE, title, re.I):
            title = ""
        if not title:
            notes.append("the minutes do not name the paper; choose it from the plan")
        return Change(PLAN_DROP, None, title, when=when if when != "tbc" else "tbc", text=p.text, lines=p.lines,
                      notes=tuple(notes))

    # -- meetings ----------------------------------------------------------------------

    def meetings_in(self, index: int, p: Para) -> None:
        """A heading that gives the next meeting's date: `10. Date of next meeting – 24 th November 2016`."""
        found = [c for sentence in mt.sentences(p.body) for c in self.meetings_in_sentence(sentence[:MAX_SENTENCE], p)]
        for change in found:
            self.add(change)
        if found:
            self.placed.add(index)

    def meetings_in_sentence(self, text: str, p: Para) -> list[Change]:
        """`Date of next meeting – 24 th November 2016`, `The next meeting … will be held on 16
        December at 1.00pm`, `The Board will next meet on …`, `An extra meeting … has been arranged
        for …`, `the following dates be approved for meetings …: 23 September 2027, 9 December 2027`."""
        m = _NEXT_MEETING.search(text) or _MEETING_HELD.search(text)
        listed = _MEETING_DATES.search(text)
        if listed:
            m = listed
        if not m or _REPORT_VERB.search(text) or _ADD_VERB.search(text) or re.search(r"\bminutes\b", text[:m.start()], re.I):
            return []
        if re.search(r"\b(?:bring|come\s+back|report|update|present)\w*\b", text[:m.start()], re.I):
            return []
        days = [ph for ph in mt.date_phrases(text) if ph.kind == "day" and ph.end > m.start()]
        if not days:
            return []
        out = []
        for phrase in days if listed else days[:1]:
            day = mt.day_of(phrase.words, self.base)
            if day is None:
                out.append(Change(NOT_UNDERSTOOD, title="Next meeting", text=p.text, lines=p.lines,
                                  notes=(f"the meeting's date “{phrase.words}” is not read",)))
                continue
            after = text[phrase.end:phrase.end + 60]
            out.append(Change(MEETING_ADD, title="Next meeting" if not listed else "Meeting", when=day.isoformat(),
                              time=_time_in(after) or (_time_in(text[m.start():days[0].start]) if listed else None),
                              provisional=bool(_PROVISIONAL.search(after if listed else text)), text=p.text,
                              lines=p.lines))
        return out
