"""Owners as people write them: @mentions, initials (AH), names, and lists of them.

`AH and VH`, `SH/VH`, `DM/RH/CG/SH`, `<@U1> <@U2>`, `Annette Hadley, VH`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
INITIALS = re.compile(r"^[A-Z][A-Za-z]{0,1}[A-Z]{1,3}$|^[A-Z]{2}$")
NAME_WORD = re.compile(r"^[A-Z][a-zA-Z'’.\-]*$|^(?:de|van|von|der|la|le|du|da|di|st\.?)$")
_SEPARATORS = re.compile(r"\s*(?:,|/|&|\+|\band\b)\s*", re.I)
WHO_FORMS = "@someone, initials such as AH, a registered name, or several: AH and VH, SH/VH"


@dataclass(frozen=True)
class Who:
    kind: str  # "slack" | "initials" | "name"
    value: str  # user id, initials (upper-case) or full name
    display: str = ""  # the name Slack sent with a mention, if any


class WhoError(ValueError):
    pass


def read_who(text: str) -> list[Who]:
    """Split an owner list into people. Raises WhoError for what is not a list of people."""
    found: list[Who] = []
    rest = MENTION.sub(lambda m: found.append(Who("slack", m.group(1), m.group(2) or "")) or " , ", text)
    for chunk in _SEPARATORS.split(rest):
        chunk = chunk.strip().strip(".")
        if not chunk:
            continue
        words = chunk.split()
        if all(INITIALS.match(w) for w in words):
            found += [Who("initials", w.upper()) for w in words]
        elif chunk.startswith("@"):
            raise WhoError(f"“{chunk}” is a plain-text @name; pick the person from Slack's @ menu "
                           f"so the mention is a real one, or use their initials.")
        elif NAME_WORD.match(words[0]) and words[0][0].isupper() and all(NAME_WORD.match(w) for w in words):
            found.append(Who("name", " ".join(words)))
        else:
            raise WhoError(f"“{chunk}” is not a person. Owners are {WHO_FORMS}.")
    if not found:
        raise WhoError(f"no owner given. Owners are {WHO_FORMS}.")
    unique: list[Who] = []
    for who in found:
        if who not in unique:
            unique.append(who)
    return unique
