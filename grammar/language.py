"""One line of Clerk's command language into a typed command.

The same words arrive as `/action close 74/18`, as a DM `action close 74/18`, after an @mention,
typed at the console, or pasted into an import. Parsing is pure: the caller passes the typed text
(grammar.slacktext has taken Slack's escaping off) and a Context (today, boards, people), and gets
a Command or a ParseError whose message says what was wrong and shows the right form."""
from __future__ import annotations

from grammar import action, clerk, planning  # noqa: F401 - each registers its verbs
from grammar.commands import Command, Help
from grammar.registry import NOUNS, VERBS, Context, ParseError, suggest, verbs_of
from store.nearest import nearest
from store.terms import Refusal

__all__ = ["parse", "Context", "ParseError"]
_NOUN_WORDS = {"action": "action", "actions": "action", "plan": "plan", "plans": "plan", "meeting": "meeting",
               "meetings": "meeting", "clerk": "clerk"}
GENERAL_USAGE = "/action help · /plan help · /meeting help · /clerk help"


def parse(text: str, context: Context) -> Command:
    words = text.strip().lstrip("/").strip()
    first, _, rest = words.partition(" ")
    first = first.lower()
    if first in ("help", "?", "") and not rest.strip():
        return Help(about="")
    noun = _NOUN_WORDS.get(first)
    if noun is None:
        near = nearest(first, list(_NOUN_WORDS), n=1)
        hint = f" Did you mean /{_NOUN_WORDS[near[0]]}{' ' + rest.strip() if rest.strip() else ''}?" if near else ""
        raise ParseError(f"I didn't recognise “{first[:40]}”.{hint}",
                         f"{GENERAL_USAGE}  (e.g. action new Circulate the OSG paper owner AH due 14/12)")
    verb_word, _, rest = rest.strip().partition(" ")
    verb_word = verb_word.lower()
    if verb_word in ("", "help", "?"):
        return Help(about=noun, topic=rest.strip().lower() or None)
    found = _verb(noun, verb_word)
    if found is None:
        names = [v.name for v in verbs_of(noun)] + ["help"]
        raise ParseError(f"“{verb_word[:40]}” is not a /{noun} command.{_did_you_mean(noun, verb_word, names)}",
                         f"/{noun} help")
    try:
        return found.parse(rest.strip(), context)
    except ParseError:
        raise
    except Refusal as exc:  # the clause scanner's refusals show the verb's form too
        raise ParseError(exc.message, found.usage) from None


def _verb(noun: str, word: str):
    for v in verbs_of(noun):
        if word == v.name or word in v.synonyms:
            return v
    return None


def _did_you_mean(noun: str, word: str, names: list[str]) -> str:
    hint = suggest(word, names)
    return hint.replace("Did you mean ", f"Did you mean /{noun} ") if hint else ""


def all_verbs():
    return [VERBS[key] for key in VERBS if key[0] in NOUNS]
