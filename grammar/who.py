"""Owners as people write them: @mentions, initials (AH, or ah when AH is registered), names, and
lists of them: `AH and VH`, `SH/VH`, `DM/RH/CG/SH`, `<@U1> <@U2>`, `Annette Hadley, VH`.

Reading only classifies the words; whether AH is someone is the store's to say (store.people.resolve),
which refuses unknown people with how to register them."""
from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from grammar.slacktext import MENTION
from store.terms import Who

INITIALS = re.compile(r"^[A-Z][A-Za-z]{0,1}[A-Z]{1,3}$|^[A-Z]{2}$")
LETTERS = re.compile(r"^[A-Za-z]{2,6}$")
NAME_WORD = re.compile(r"^[A-Z][a-zA-Z'’.\-]*$|^(?:de|van|von|der|la|le|du|da|di|st\.?)$")
_SEPARATORS = re.compile(r"\s*(?:,|/|&|\+|;|\band\b)\s*", re.I)
WHO_FORMS = "@someone, initials such as AH, a registered name, or several: AH and VH, SH/VH"
MAX_PEOPLE = 20

__all__ = ["Who", "WhoError", "read_who", "WHO_FORMS", "MENTION"]


class WhoError(ValueError):
    pass


def read_who(text: str, initials: Collection[str] = (), names: Mapping[str, str] | None = None) -> list[Who]:
    """Split an owner list into people. `initials` (upper-case) and `names` (lower-case -> as
    registered) are the registered ones, so `ah, vh` and `annette hadley` read in any case.
    Raises WhoError for what is not a list of people."""
    names = names or {}
    found: list[Who] = []
    rest = MENTION.sub(lambda m: found.append(Who("slack", m.group(1), m.group(2) or "")) or " , ", text)
    for chunk in _SEPARATORS.split(rest):
        chunk = chunk.strip().strip(".:")
        if not chunk:
            continue
        words = chunk.split()
        if chunk.lower() in names:
            found.append(Who("name", names[chunk.lower()]))
        elif all(_initials(w, initials) for w in words):
            found += [Who("initials", w.upper()) for w in words]
        elif chunk.startswith("@"):
            raise WhoError(f"“{chunk}” is a plain-text @name; pick the person from Slack's @ menu "
                           f"so the mention is a real one, or use their initials.")
        elif NAME_WORD.match(words[0]) and words[0][0].isupper() and all(NAME_WORD.match(w) for w in words):
            found.append(Who("name", " ".join(words)))
        else:
            raise WhoError(f"“{chunk}” is not a person. Owners are {WHO_FORMS}.")
        if len(found) > MAX_PEOPLE:
            raise WhoError(f"That is more than {MAX_PEOPLE} people; name at most {MAX_PEOPLE}.")
    if not found:
        raise WhoError(f"no owner given. Owners are {WHO_FORMS}.")
    return list(dict.fromkeys(found))


def _initials(word: str, registered: Collection[str]) -> bool:
    if INITIALS.match(word):
        return True
    return bool(LETTERS.match(word)) and (word.upper() in registered or len(word) <= 3 and word.islower())
