"""The words minutes use for decisions, as patterns and small pure functions: what a sentence
says of an action (close, close when, stays open), the forward plan's verbs, recurrence, headings,
attendance, titles, the meeting's own date, and the merging of a paper said twice.

Every pattern is linear: bounded repetitions, no nested quantifiers that backtrack, and callers
pass at most MAX_SENTENCE characters of a sentence."""
from __future__ import annotations

import datetime as dt
import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from grammar.minutes import text as mt
from grammar.minutes.model import CLOSE, CLOSE_WHEN, PLAN_ADD, PLAN_TBC, UPDATE, Change
from grammar.minutes.text import MAX_SENTENCE, Para, Row, Typed

# -- what a sentence says about an action -------------------------------------------------

_NEG_CLOSE = re.compile(r"\b(?:cannot|can\s?not|can't|could\s+not|should\s+not|will\s+not|won't|must\s+not|not\s+yet)"
                        r"\s+(?:yet\s+)?(?:be\s+)?(?:closed?|discharged|signed\s+off)\b", re.I)
_OFF_THE_LOG = r"(?:removed|taken|struck|come|came)\s+off\s+the\s+(?:action\s+)?log|removed\s+from\s+the\s+(?:action\s+)?log"
_CLOSE = re.compile(r"\b(?:can|could|may|will|shall|should|would|to|must)\s+(?:(?:now|then|therefore|also|thus|be)\s+){0,3}"
                    r"(?:closed?|discharged|signed\s+off|ticked\s+off|" + _OFF_THE_LOG + r")\b"
                    r"(?!\s+(?:the|a|an|its|their|this|that|these|those|down|out|off|of|gap|loop)\b)", re.I)
_CLOSE_OBJECT = re.compile(r"\b(?:to|can|could|may|will|should|would)\s+(?:now\s+)?close\s+(?:(?:the|this)\s+(?:original\s+)?"
                           r"(?:actions?|items?)|it|them|actions?\s+\d)\b|\bbe\s+(?:now\s+)?(?:closed|discharged|signed\s+off)\b",
                           re.I)
_NOT_DONE = re.compile(r"\b(?:not|never)\s+(?:yet\s+)?(?:been\s+)?(?:complete|completed|done|closed|finished)\b"
                       r"|\b(?:remains?|stays?|be\s+kept|kept|be\s+left|left)\s+on\s+the\s+(?:action\s+)?log\b"
                       r"|\bincomplete\b", re.I)
_HOLD_UNTIL = re.compile(r"\b(?:leave|keep|park|hold|remain|stay)s?\s+(?:(?:this|the|it)\s+)?(?:action\s+|item\s+|one\s+)?"
                         r"(?:open\s+|on\s+the\s+(?:action\s+)?log\s+)?until\s+(.{3,300}?)\s*(?:[;.]|$)", re.I)
_PROPOSE_CLOSURE_WHEN = re.compile(r"\b(?:propose[sd]?|recommend(?:s|ed)?)\s+(?:for\s+)?closure\s+(?:once|when|after|upon|on|"
                                   r"following|subject\s+to|as\s+soon\s+as)\s+(.{3,300})$", re.I)
_CLOSURE = re.compile(r"\b(?:proposed|recommended|agreed|approved|put\s+forward|ready)\s+for\s+closure\b|\bclosure\s+(?:was\s+)?"
                      r"(?:agreed|approved|confirmed)\b|\b(?:superseded|no\s+longer\s+(?:required|needed|relevant))\b", re.I)
_CLOSED_WHEN = re.compile(r"^(?:status\s*[:–-]\s*)?(?:to\s+(?:be\s+)?)?close[ds]?\s+(?:(?:up)?on|once|when|after|following|"
                          r"subject\s+to|pending|as\s+soon\s+as)\s+(.{3,300})$", re.I)
_DONE = re.compile(r"(?:^|[;:–—]\s*|,\s*(?:and\s+|so\s+)?|\b(?:and|so)\s+)(?:the\s+|"
                   r"this\s+)?(?:original\s+)?(?:action\s+|item\s+)?"
                   r"(?:is|was|has\s+been|is\s+now|has\s+now\s+been)\s+"
                   r"(?:now\s+)?(?:complete|completed|closed|done|discharged|achieved|finished)\b(?!\s+(?:by|on)\b)", re.I)
_DONE_WORD = re.compile(r"^(?:status\s*[:–-]\s*)?(?:action\s+|item\s+)?(?:now\s+)?(?:closed|complete|completed|done|"
                        r"discharged|achieved"
                        r"|signed\s+off|ticked\s+off|no\s+further\s+action(?:\s+(?:needed|required))?|close(?:\s+it)?)"
                        r"(?:\s*[:–-].{0,200}|\s+(?:at|on|in|by|following|after|with)\s.{0,200})?[.;:,]?$", re.I)
_OPEN = re.compile(r"\b(?:remains?|remaining|stays?|kept|keep|be\s+left|left|leave|continues?\s+to\s+be)\s+"
                   r"(?:open|outstanding|ongoing|on-going|in\s+progress|live)\b"
                   r"|\bcarr(?:y|ied)\s+(?:forward|over)\b|\b(?:rolled|roll)\s+(?:forward|over)\b"
                   r"|^(?:this\s+|the\s+)?(?:action\s+|item\s+)?(?:is\s+|was\s+|has\s+been\s+)?deferred\b", re.I)
_DASH_DONE = re.compile(r"\s[–—-]\s*(?:now\s+)?(?:close|closed|complete|completed|done|discharged|"
                        r"signed\s+off)\s*[.!]?\s*$", re.I)
_OPEN_WORD = re.compile(r"^(?:status\s*[:–-]\s*)?(?:still\s+)?(?:open|ongoing|on-going|in\s+progress|carried\s+forward|c/f|"
                        r"outstanding"
                        r"|not\s+started|pending|amber|red|green|on\s+track|not\s+yet\s+due|no\s+(?:further\s+)?update)[.;:,]?$",
                        re.I)
_ONGOING = re.compile(r"^(?:the\s+|this\s+)(?:original\s+)?(?:action|item)\s+(?:is|remains)\s+(?:still\s+)?"
                      r"(?:ongoing|on-going|in\s+progress|outstanding|open)\b", re.I)
_REOPEN = re.compile(r"\b(?:be|is|was|been|being|to)\s+re-?opened\b|\bre-?open(?:ed|s|ing)?\s+(?:the\s+|this\s+|that\s+)?"
                     r"(?:original\s+)?(?:action|item)\b|\bre-?open(?:ed|s|ing)?\s+(?:it|\d{1,5}/\d{2})\b", re.I)
_CONDITION_AFTER = re.compile(r"^\s*,?\s*(?:(?:up)?on\s+(?!\d)|when\s|once\s|after\s|following\s|subject\s+to\s|pending\s"
                              r"|as\s+soon\s+as\s|if\s|provided(?:\s+that)?\s)", re.I)
_CONDITION_BEFORE = re.compile(r"^(?:once|when|after|following|subject\s+to|upon|on|as\s+soon\s+as)\s+(.{3,300}?),\s", re.I)
_TRAILING_STATUS = re.compile(r"\s*(?:[–—:-]|\(|\[)\s*((?:action\s+)?(?:now\s+)?(?:closed?|complete|completed|done|"
                              r"discharged|open"
                              r"|ongoing|on-going|in\s+progress|carried\s+forward))\s*[)\].]?\s*$", re.I)
_UPDATE_LABEL = re.compile(r"^(?:update|updates|progress|comment|comments|response|status)\s*[:–-]\s*", re.I)


_STATUS_HINT = re.compile(r"clos|complet|done|discharg|achiev|finish|signed|ticked|log\b|open|outstanding|going|progress|live|"
                          r"carr|roll|defer|until|superseded|longer|amber|red\b|green|track|pending|started|update|c/f|"
                          r"action", re.I)


@dataclass(frozen=True)
class Status:
    kind: str  # CLOSE, CLOSE_WHEN, UPDATE, or "reopen"
    condition: str = ""
    note: str = ""
    at: int = 0  # where the status words start in the sentence
    end: int = 0  # where they end, when news may follow them ("Remains open – the audit has been done …")


def substance(sentence: str, status: Status) -> str:
    """What a status sentence says besides its status: `Recruitment continues; this action will
    remain open` -> `Recruitment continues`. Most say nothing else ("This action can now close")."""
    s = mt.without_speaker(sentence)
    head = s[:status.at]
    cut = max(head.rfind(";"), head.rfind(". "))
    said = head[:cut].strip(" ,;") if cut > 0 else ""
    after = re.match(r"\s*[–—:;-]\s*(\S.{10,})$", s[status.end:]) if status.end else None
    return f"{said}; {after.group(1)}".strip("; ") if after else said


_SUBJECT_WORDS = frozenset("""this the that these original action actions item items it which now also therefore then thus
    so agreed proposed decided requested recommended asked able board panel committee members meeting was were is are
    has have been one""".split())
_ABOUT_IT = re.compile(r"\b(?:(?:this|the|that)\s+(?:original\s+)?(?:action|item|one)|it)$", re.I)
_CLAUSE_BREAK = re.compile(r"(?:[,;:–—]|[.!?]\s|\b(?:and|but|that|so|therefore|which)\b)", re.I)


def _closes_the_action(before: str) -> bool:
    """Whether the words before "can close" are about the action: nothing (`… and can now close`),
    `This action`, `The original action`, `It`, `action 81/18`, `The Board agreed to`."""
    clause = _CLAUSE_BREAK.split(before[-120:])[-1]
    words = clause.split()
    if len(words) <= 8 and _ABOUT_IT.search(clause.strip()):
        return True  # "Members were content for this action (to be closed)"
    return len(words) <= 5 and all(w.lower().strip("().") in _SUBJECT_WORDS or mt.REF_IN_TEXT.fullmatch(w)
                                   or re.fullmatch(r"#?\d{1,5}", w) for w in words)


def _clause(text: str) -> str:
    return text.strip().rstrip(".;:,").strip()


def status_of(sentence: str) -> Status | None:
    """What a sentence (or a status cell) says of its action, if anything."""
    s = mt.without_speaker(sentence)[:MAX_SENTENCE].strip()
    if not s or not _STATUS_HINT.search(s):
        return None  # none of the words any status below is made of: one search instead of fifteen
    neg = _NEG_CLOSE.search(s)
    if neg:
        return Status(UPDATE, note="the minutes say it cannot close yet", at=neg.start())
    not_done = _NOT_DONE.search(s)
    if not_done:
        return Status(UPDATE, at=not_done.start())
    hold = _HOLD_UNTIL.search(s)  # "Leave open until the leaflets are in custody suites"
    if hold and _clause(hold.group(1)):
        return Status(CLOSE_WHEN, _clause(hold.group(1)), at=hold.start())
    proposed = _PROPOSE_CLOSURE_WHEN.search(s)  # "propose closure once the LMNS has validated it"
    if proposed and _clause(proposed.group(1)):
        return Status(CLOSE_WHEN, _clause(proposed.group(1)), at=proposed.start())
    m = _CLOSE.search(s) or _CLOSE_OBJECT.search(s)
    if m and not _closes_the_action(s[:m.start()]):
        m = None  # "The consultation will close on 30 June" is not the action closing
    if m:
        rest = s[m.end():]
        c = _CONDITION_AFTER.match(rest)
        if c and _clause(rest[c.end():]):
            return Status(CLOSE_WHEN, _clause(rest[c.end():]), at=m.start())
        b = _CONDITION_BEFORE.match(s[:m.start()] + " ")
        if b:
            return Status(CLOSE_WHEN, _clause(b.group(1)), at=0)
        return Status(CLOSE, at=m.start())
    when = _CLOSED_WHEN.match(s)
    if when and _clause(when.group(1)):
        return Status(CLOSE_WHEN, _clause(when.group(1)))
    if _DONE.search(s) or _DONE_WORD.match(s) or _DASH_DONE.search(s):
        return Status(CLOSE)
    closure = _CLOSURE.search(s)
    if closure:
        return Status(CLOSE, at=closure.start())
    reopen = _REOPEN.search(s)
    if reopen:
        return Status("reopen", note="the minutes reopen it: Clerk does not reopen from minutes; use /action reopen",
                      at=reopen.start())
    o = _OPEN.search(s)
    if o:
        return Status(UPDATE, at=o.start(), end=o.end())
    if _OPEN_WORD.match(s) or _ONGOING.match(s):
        return Status(UPDATE)
    return None


# -- the forward plan and meetings --------------------------------------------------------

_PLACE = r"(?:forward\s+(?:work\s+)?plan|forward\s+agenda|work\s*programme|work\s*plan|cycle\s+of\s+business|agenda)"
_ADD_VERB = re.compile(r"\b(?:to\s+be|will\s+be|would\s+be|should\s+be|shall\s+be|is\s+to\s+be|are\s+to\s+be|be|was|were|been)\s+"
                       r"(?:added|included|placed|put|scheduled|listed)\s+(?:back\s+)?(?:on|onto|to|in|into|for)\s+(?:the\s+)?"
                       r"(?:[\w&'’().-]+\s+){0,8}?" + _PLACE + r"\b", re.I)
_ADD_ACTIVE = re.compile(r"\b(?:add|adding|include|including)\s+(?P<obj>[^.;]{3,200}?)\s+(?:to|on|in)\s+(?:the\s+)?"
                         r"(?:[\w&'’-]+\s+){0,4}?" + _PLACE + r"\b", re.I)
_REPORT_VERB = re.compile(r"\b(?:be|to\s+be|will\s+be|would\s+be|should\s+be|is\s+to\s+be|are\s+to\s+be)\s+"
                          r"(?:reported|presented|brought(?:\s+back)?|submitted|provided|tabled|considered|received|taken)\s+"
                          r"(?:back\s+)?(?:to|at|before)\s+(?:the\s+|a\s+)?(?:[\w&'’-]+\s+){0,4}?meetings?\b"
                          r"|\b(?:will|to|should|would|shall)\s+(?:come|return)\s+(?:back\s+)?to\s+(?:the|a)\s+(?:[\w&'’-]+\s+){0,3}?"
                          r"(?:board|panel|committee|group|authority|meetings?)\b", re.I)
_TBC = re.compile(r"\b(?:once|when|as\s+soon\s+as|after)\s+(?:a|the)\s+(?:\w+\s+){0,3}?date\b|"
                  r"\bdate\s+(?:to\s+be\s+confirmed|tbc)\b"
                  r"|\(tbc\)|\btbc\b|\bto\s+be\s+confirmed\b", re.I)
_DROP_VERB = re.compile(r"\b(?:remov(?:e|ed|ing|al\s+of)|drop(?:ped|ping)?|delet(?:e|ed|ing|ion\s+of)|withdr(?:aw|awn|awing|ew)"
                        r"|tak(?:e|en|ing)\s+off|deferr?al\s+of)\b", re.I)
_MOVE_VERB = re.compile(r"\b(?:mov(?:e|ed|ing)|defer(?:red|ring)?|postpone(?:d)?|slipp?(?:ed)?|brought\s+forward|"
                        r"reschedul\w*)\b", re.I)
_RECURRENCE = re.compile(r"(?:\bas\s+an?\s+)?(?:\brolling\s+)?\b(?P<word>quarterly|monthly|bi-?monthly|six-?monthly|"
                         r"half-?yearly|annually|yearly|on\s+an\s+annual\s+basis"
                         r"|every\s+(?:quarter|month|year)|each\s+(?:quarter|month))\b(?:\s+rolling)?"
                         r"(?:\s+(?:updat\w*|reports?|items?|basis|reviews?|papers?))?", re.I)
_NEXT_MEETING = re.compile(r"\b(?:date\s+of\s+(?:the\s+)?next\s+meeting|next\s+(?:[\w&'’-]+\s+)?meeting)\b", re.I)
_TIME = re.compile(r"\b(?:at\s+)?(\d{1,2})(?:[:.](\d{2}))\s*(am|pm|a\.m\.|p\.m\.)?|\b(?:at\s+)?(\d{1,2})\s*(am|pm|a\.m\.|"
                   r"p\.m\.)", re.I)
_PROVISIONAL = re.compile(r"\bprovisional", re.I)
_WHEN_PREPOSITION = re.compile(r"(?:\b(?:for|in|on|at|by|from|starting\s+from|starting|until|to)\s+(?:the\s+)?"
                               r"(?:(?:[\w&'’-]+\s+){0,3}?meeting\s+(?:on|of|in|held\s+on)\s+(?:the\s+)?)?|\bthe\s+)$", re.I)
_PRONOUN = re.compile(r"^(?:this|it|these|they|that|this\s+(?:item|topic|issue|matter|report|paper|study|action|work|"
                      r"one))$", re.I)
_TRAILING_VERB = re.compile(r",?\s+(?:to\s+be|to|will\s+be|would\s+be|should\s+be|be|is\s+to\s+be)\s+(?:added|provided|"
                            r"presented|brought|"
                            r"reported|submitted|included|placed|considered|tabled|received|come|go|return)\b.*$", re.I)
_TRAILING_WORDS = re.compile(r"(?:[\s,;:–—-]+|\b(?:for|in|on|at|by|from|starting|the|to|as|a|an|of|until|during|"
                             r"rolling)\s*)$", re.I)
_LEAD_IN = re.compile(r"^(?:(?:it\s+was\s+(?:(?:therefore|also|further|then|unanimously|duly|[a-z]+ly)\s+)?)?"
                      r"(?:agreed|resolved|decided|noted|requested|suggested|proposed)\s*(?:that|:)?\s*"
                      r"|that\s+|(?:the\s+)?(?:board|panel|committee|meeting|group|chair(?:man|woman|person)?|members)\s+"
                      r"(?:agreed|resolved|decided|asked|requested)\s+"
                      r"(?:that\s+|for\s+)?|(?:suggested|proposed)\s+)", re.I)
_ONCE_CLAUSE = re.compile(r"^(?:once|when|as\s+soon\s+as|after)\b[^,]{0,160}?\b(?:is|are|has\s+been|have\s+been)\s+"
                          r"(?:identified|agreed|known|confirmed|set|fixed|available|received)\b,?\s*", re.I)


def _recurrence(text: str) -> tuple[str, str, int]:
    """("quarterly" | "monthly" | "" , a note for one Clerk does not keep, where it starts or -1)."""
    m = _RECURRENCE.search(text[:MAX_SENTENCE * 2])
    if not m:
        return "", "", -1
    word = m.group("word").lower()
    if "quarter" in word:
        return "quarterly", "", m.start()
    if word in ("monthly", "every month", "each month"):
        return "monthly", "", m.start()
    return "", f"the minutes say “{m.group('word')}”: Clerk repeats papers monthly or quarterly only", m.start()


def _tidy_title(text: str) -> str:
    title = " ".join(text.split())
    for _ in range(6):
        trimmed = _TRAILING_WORDS.sub("", title)
        if trimmed == title:
            break
        title = trimmed
    title = title.strip(" ,;:–—-(")
    return title[:1].upper() + title[1:] if title else ""


def _cut_title(text: str, cut: int | None, *, drop_verb_clause: bool) -> str:
    """The title of a paper or action: the words before where it goes (and before "to be
    provided to the Board"), without a trailing full stop."""
    title = text if cut is None else text[:cut]
    if drop_verb_clause:
        shorter = _TRAILING_VERB.sub("", title)
        if _tidy_title(shorter):
            title = shorter
    return _tidy_title(title.rstrip(". "))


# -- the reader ---------------------------------------------------------------------------

_HEADING_WORDS = re.compile(
    r"^(?:(?:the\s+)?(?:forward\s+(?:work\s+)?plan|action\s+log|actions?\s+(?:log|arising|update)|matters\s+arising|"
    r"any\s+other\s+business|a\.?o\.?b\.?|date\s+of\s+(?:the\s+)?next\s+meeting|minutes\s+of\s+(?:the\s+)?(?:last|"
    r"previous)\s+meeting|"
    r"apologies(?:\s+for\s+absence)?|declarations?\s+of\s+interests?|welcome(?:\s+and\s+introductions?)?|introductions?|"
    r"part\s+b\b|work\s*programme|chair'?s\s+(?:announcements?|business)|urgent\s+items?|public\s+question\s+time|"
    r"public\s+participation|public\s+forum|questions\s+from\s+the\s+public|correspondence))\b"
    r"(?=\s*(?:$|[:.–—(-]|\d|and\b|&|for\b))", re.I)
_ATTENDANCE = re.compile(r"^(?:present|apologies(?:\s+for\s+absence)?|in\s+attendance|attendees|attending|members\s+present|"
                         r"also\s+present|absent|membership|officers\s+present|distribution|members)\s*(?:[:–-]|$)", re.I)
_ATTENDEE = re.compile(r"([A-Z][\w'’.-]{0,30}(?:[ -][A-Z][\w'’.-]{0,30}){0,3})\s*\(([A-Z][A-Za-z]{1,4})\)")
_FP_HEADING = re.compile(r"\b(?:forward\s+(?:work\s+)?plan|work\s*programme|forward\s+agenda|cycle\s+of\s+business)\b", re.I)
_ADD_INTRO = re.compile(r"^(?:additions?|items?\s+(?:to\s+be\s+)?added|new\s+items?|to\s+(?:be\s+)?add(?:ed)?|add|"
                        r"items?\s+for\s+(?:the\s+)?|"
                        r"the\s+following\s+"
                        r"(?:items?\s+)?(?:were|was|will\s+be|are|to\s+be)\s+added)\b", re.I)
_DROP_INTRO = re.compile(r"^(?:removals?|items?\s+(?:to\s+be\s+)?removed|to\s+(?:be\s+)?remove[d]?|remove|deletions?|"
                         r"the\s+following"
                         r"\s+(?:items?\s+)?(?:were|was|will\s+be|are|to\s+be)\s+removed)\b", re.I)
_NEXT_ITEMS_INTRO = re.compile(r"^(?:[\d/.]{1,8}\s+)?(?:(?:agenda\s+)?items?|papers?|reports?|topics?)\s+(?:for|to\s+be\s+"
                               r"(?:brought|taken)\s+to)\s+(?:the\s+)?next\s+(?:meeting|agenda)\s*:?$", re.I)
_LIST_INTRO = re.compile(r"\b(?:agreed|resolved|decided|approved|made)\b.{0,60}\bfollowing\b.{0,40}:$", re.I)
_ACTIONS_INTRO = re.compile(r"^(?:(?:new|agreed)\s+actions?|actions?(?:\s+(?:points?|agreed|arising(?:\s+from\s+the\s+meeting)?|"
                            r"from\s+the\s+meeting|summary))?)\s*:?$", re.I)
_RESOLVED_INTRO = re.compile(r"^(?:(?:it\s+was|members|the\s+(?:board|panel|committee|authority|council|group))\s+"
                             r"(?:unanimously\s+)?)?(?:resolved|agreed|decisions?(?:\s+(?:made|taken|agreed))?|decided|"
                             r"recommendations?\s+agreed)(?:\s+(?:to|that))?\s*:?$", re.I)
_MEETINGS_INTRO = re.compile(r"\bmeetings\b.{0,120}?\b(?:as\s+follows|will\s+(?:take\s+place|be\s+held)\s+on|dates?\s*:)", re.I)
_DECISION = re.compile(r"^(?:it\s+was\s+(?:agreed|resolved|decided)|(?:the\s+)?(?:board|panel|committee|meeting|group|members)\s+"
                       r"(?:agreed|resolved|decided)|agreed\b|resolved\b|decisions?\s*[:–-]|decided\b|actions?\s*[:–-])", re.I)
_NO_CHANGE = re.compile(r"\bbe\s+(?:noted|approved|received|endorsed|accepted|adopted|agreed|congratulated|thanked|welcomed|"
                        r"confirmed|signed|ratified|supported)\b|\b(?:were|was)\s+(?:noted|approved|received|endorsed|accepted|"
                        r"taken\s+as\s+read|confirmed|signed|agreed)\b|\b(?:board|panel|committee|members|meeting|group)\s+"
                        r"(?:unanimously\s+)?(?:noted|approved|endorsed|accepted|received|ratified|agreed|supported|welcomed)\s+"
                        r"(?:the|this|that|its)\b|^(?:noted|approved|received|endorsed)\b", re.I)
_PART_B = re.compile(r"\bpart\s+b\b", re.I)
_MINUTES_OF = re.compile(r"^(?:draft\s+|unconfirmed\s+|confirmed\s+)?minutes\s+of\s+(?:the\s+|a\s+)?", re.I)
_PREVIOUS = re.compile(r"\b(?:approved|confirmed|signed|taken\s+as\s+read|accurate|previous|last)\b", re.I)
_DATE_LABEL = re.compile(r"^(?:date(?:\s*(?:/|and|&)\s*time)?|meeting\s+date|date\s+of\s+(?:the\s+)?meeting|"
                         r"held\s+on)\s*[:–-]\s*", re.I)
_STOPWORDS = frozenset("""a an the and or of on for to in at by with from as is be will this that these those update updates
    report reports paper papers item items further new including include proposed regular rolling quarterly monthly
    board meeting panel committee plan forward action""".split())


@dataclass
class _Block:
    typed: Typed
    ref: str | None  # the log's ref, None when the log has no such action
    index: int
    head: Para
    title: str
    head_rest: str  # what the heading line says after the title
    paras: list[tuple[int, Para]] = field(default_factory=list)
    consumed: set[int] = field(default_factory=set)  # paragraphs that became new actions
    private: bool = False


@dataclass
class _Found:
    change: Change
    seq: int
    rank: int = 0  # plan items: 2 from a forward-plan list, 1 from its section, 0 elsewhere
    section: str = ""



def _numbered_minutes(unknown: list[Typed]) -> bool:
    """Minutes numbered `19/041, 19/042 …` (year first) or `45/19, 46/19, 47/19 …`: three or more
    headings whose refs are not on the log and run in sequence."""
    if len(unknown) < 3:
        return False
    if len({t.number for t in unknown}) == 1:
        return True
    run = best = 1
    for a, b in zip(unknown, unknown[1:]):
        run = run + 1 if (b.number == a.number + 1 and b.year == a.year) else 1
        best = max(best, run)
    return best >= 3


_VERB = re.compile(r"\b(?:was|were|is|are|has|have|had|will|would|agreed|noted|welcomed|received|discussed|presented|"
                   r"approved|said|asked|reported|updated|advised|confirmed|resolved|decided|can|to)\b", re.I)


def _looks_like_attendance(body: str) -> bool:
    """`Jane Gardner (JG)`, `Deputy Police, Fire and Crime Commissioner for Essex, Chair`, `Cllr. Roger
    Begy, OBE`: names and roles, not a sentence, not an item."""
    if mt.ref_at_start(body)[0] is not None or len(body) > 150:
        return False
    if _ATTENDEE.search(body):
        return True
    return not _VERB.search(body)


def _time_in(text: str) -> dt.time | None:
    for m in _TIME.finditer(text[:300]):
        if m.group(1) is not None:
            hour, minute, half = int(m.group(1)), int(m.group(2)), (m.group(3) or "").lower()
        else:
            hour, minute, half = int(m.group(4)), 0, m.group(5).lower()
        half = half.replace(".", "")
        if half == "pm" and hour < 12:
            hour += 12
        if half == "am" and hour == 12:
            hour = 0
        if hour <= 23 and minute <= 59:
            return dt.time(hour, minute)
    return None


@functools.lru_cache(maxsize=4096)
def _words(title: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(title.lower()) if w not in _STOPWORDS)


_WORD = re.compile(r"[a-z0-9]{3,}")


def _same_paper(a: _Found, b: _Found) -> bool:
    ca, cb = a.change, b.change
    if ca.when != cb.when:
        return False
    wa, wb = _words(ca.title), _words(cb.title)
    if wa and wb:
        shared = len(wa & wb)
        return shared >= 2 and shared * 2 >= min(len(wa), len(wb))
    return a.section == b.section and (not wa or not wb) and bool(ca.title or cb.title)


def _merged_plan(found: list[_Found]) -> list[_Found]:
    """One proposal per paper: the same paper said twice (in an item and in the forward plan's
    list) is one change, with the list's title and both places' lines. Each paper is compared
    with the last few of the same kind and place only, so a long plan stays linear."""
    out: list[_Found | None] = []
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    extra: dict[int, list[_Found]] = defaultdict(list)  # what was merged into out[i]
    for f in found:
        if f.change.kind not in (PLAN_ADD, PLAN_TBC):
            out.append(f)
            continue
        key = (f.change.kind, f.change.when)
        twin_at = next((i for i in reversed(groups[key][-20:]) if _same_paper(out[i], f)), None)
        if twin_at is None:
            groups[key].append(len(out))
            out.append(f)
            continue
        twin = out[twin_at]
        if len(extra[twin_at]) >= 20:  # a paper said more than 20 times is said again, not merged
            out.append(f)
            continue
        extra[twin_at].append(f)
        later_better = (f.rank, len(_words(f.change.title))) > (twin.rank, len(_words(twin.change.title)))
        if later_better:
            out[twin_at] = _Found(f.change, twin.seq, f.rank, f.section)
            extra[twin_at][-1] = twin
    merged_out: list[_Found] = []
    for i, f in enumerate(out):
        if not extra.get(i):
            merged_out.append(f)
            continue
        every = sorted([f] + extra[i], key=lambda g: g.change.lines)
        change = f.change
        merged = replace(change, lines=tuple(sorted({n for g in every for n in g.change.lines})),
                         text="\n".join(g.change.text for g in every),
                         recurrence=change.recurrence or next((g.change.recurrence for g in every if g.change.recurrence), ""),
                         notes=tuple(n for n in change.notes if "give it a title" not in n or not change.title))
        merged_out.append(_Found(merged, min(g.seq for g in every), f.rank, f.section))
    return merged_out


# -- the meeting's date ---------------------------------------------------------------------

def meeting_date_in(items: list[Para | Row]) -> tuple[dt.date, tuple[int, ...]] | None:
    """The meeting's own date, from its heading: `Minutes of the meeting held on 29 November 2018`,
    `Date: …`, or a date line at the top (`29 November 2018, 10.00am …`). Dates of other meetings
    ("The minutes of the meeting of 25th October 2018 were approved") are not it."""
    candidates: dict[int, tuple[dt.date, tuple[int, ...]]] = {}
    in_heading = True
    for item in items[:120]:
        if isinstance(item, Row):
            break
        text = item.body
        if mt.ref_at_start(text)[0] is not None:
            break
        if _ATTENDANCE.match(text) or mt.is_numbered_heading(item):
            in_heading = False
        if _NEXT_MEETING.search(text[:300]):
            continue
        phrases = [ph for ph in mt.date_phrases(text[:300]) if ph.kind == "day" and re.search(r"\d{4}|/\d{2}$", ph.words)]
        if not phrases:
            continue
        day = mt.day_of(phrases[0].words, None)
        if day is None:
            continue
        if _MINUTES_OF.match(text) and not _PREVIOUS.search(text[:300]):
            candidates.setdefault(0, (day, item.lines))
        elif _DATE_LABEL.match(text):
            candidates.setdefault(1, (day, item.lines))
        elif in_heading and len(text) < 160 and not _PREVIOUS.search(text):
            candidates.setdefault(2, (day, item.lines))
    return candidates[min(candidates)] if candidates else None
