"""Owners as people write them: @mentions, initials (AH, or ah when AH is registered), names, and
lists of them: `AH and VH`, `SH/VH`, `DM/RH/CG/SH`, `<@U1> <@U2>`, `Annette Hadley, VH`.

Reading only classifies the words; whether AH is someone is the store's to say (store.people.resolve),
which refuses unknown people with how to register them."""
from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from grammar.slacktext import MENTION
from store.names import key, visible
from store.nearest import either
from store.terms import Who

LETTERS = re.compile(r"^[^\W\d_]{2,6}$")  # letters of any script: SÓB, ŁK
NAME_WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’.\-])*$")
PARTICLES = frozenset("de van von der la le du da di st st. ap ab ó o' mac mc bin bint ibn al el".split())
_SEPARATORS = re.compile(r"\s*(?:,|/|&|\+|;|\band\b)\s*", re.I)
WHO_FORMS = "@someone, initials such as AH, a registered name, or several: AH and VH, SH/VH"
MAX_PEOPLE = 20

__all__ = ["Who", "WhoError", "AmbiguousWho", "read_who", "WHO_FORMS", "MENTION", "LETTERS"]


class WhoError(ValueError):
    pass


class AmbiguousWho(WhoError):
    """A name that more than one registered person goes by: they are listed, none is guessed."""


def read_who(text: str, initials: Collection[str] = (), names: Mapping[str, str] | None = None,
             aliases: Mapping[str, tuple[str, ...]] | None = None) -> list[Who]:
    """Split an owner list into people. `initials` (upper-case) are the registered ones, `names`
    the registered full names by their store.names.key, `aliases` the full names a first name may
    mean, so `ah, vh`, `annette hadley`, `Annette` and `ANNETTE HADLEY` all read.
    Raises WhoError for what is not a list of people, AmbiguousWho for a name several people have."""
    names = names or {}
    aliases = aliases or {}
    found: list[Who] = []
    rest = MENTION.sub(lambda m: found.append(Who("slack", m.group(1), m.group(2) or "")) or " , ", visible(text))
    for chunk in _SEPARATORS.split(rest):
        chunk = chunk.strip().strip(".:")
        if not chunk:
            continue
        found += _person(chunk, initials, names, aliases)
        if len(found) > MAX_PEOPLE:
            raise WhoError(f"That is more than {MAX_PEOPLE} people; name at most {MAX_PEOPLE}.")
    if not found:
        raise WhoError(f"no owner given. Owners are {WHO_FORMS}.")
    return list(dict.fromkeys(found))


def _person(chunk: str, initials: Collection[str], names: Mapping[str, str],
            aliases: Mapping[str, tuple[str, ...]]) -> list[Who]:
    words = chunk.split()
    wanted = key(chunk)
    if wanted in names:
        return [Who("name", names[wanted])]
    if all(w.upper() in initials for w in words):  # registered initials first: AH, ah
        return [Who("initials", w.upper()) for w in words]
    if wanted not in aliases and all(_initials(w, initials) for w in words):
        return [Who("initials", w.upper()) for w in words]
    if wanted in aliases:  # a first name (ANNA too, unless ANNA are someone's initials)
        full = aliases[wanted]
        if len(full) == 1:
            return [Who("name", full[0])]
        raise AmbiguousWho(f"“{chunk}” could be {either(list(full))}. Say which: their initials or full name.")
    if chunk.startswith("@"):
        raise WhoError(f"“{chunk}” is a plain-text @name; pick the person from Slack's @ menu "
                       f"so the mention is a real one, or use their initials.")
    if words[0][0].isupper() and all(NAME_WORD.match(w) and w[0].isupper() or w.lower() in PARTICLES for w in words):
        return [Who("name", " ".join(words))]
    raise WhoError(f"“{chunk}” is not a person. Owners are {WHO_FORMS}.")


def _initials(word: str, registered: Collection[str]) -> bool:
    """Initials: letters in any script, 2 to 6 of them, registered (in any case) or written as
    initials are (AH, SÓB, McD), or up to three in lower case (ah)."""
    if not LETTERS.match(word):
        return False
    if word.upper() in registered or (word.isupper() and len(word) <= 5):
        return True
    if 3 <= len(word) <= 5 and word[0].isupper() and word[1].islower() and word[2:].isupper():
        return True
    return len(word) <= 3 and word.islower()
