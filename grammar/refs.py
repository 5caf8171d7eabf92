"""Action refs as people type them: 74/18, 74, #74, Action 74."""
from __future__ import annotations

import re

from store.terms import Ref, format_ref

REF_AT_START = re.compile(r"^\s*(?:action\s+|#)?(\d{1,6})(?:/(\d{1,4}))?(?=\s|$|[.,:;])", re.I)
REF_FORMS = "74/18, 74, #74 or Action 74"

__all__ = ["Ref", "format_ref", "take_ref", "REF_FORMS"]


def _year(yy: str) -> int:
    return int(yy) if len(yy) == 4 else 2000 + int(yy) if len(yy) <= 2 else int(yy)


def take_ref(text: str) -> tuple[Ref | None, str]:
    """The ref at the start of `text`, and the rest of the text."""
    m = REF_AT_START.match(text)
    if not m:
        return None, text.strip()
    number, yy = m.groups()
    year = _year(yy) if yy else None
    return Ref(int(number), year, m.group(0).strip()), text[m.end():].strip().lstrip(":-–").strip()
