"""Names as people mean them: board and people names compared after Unicode normalisation.

Two spellings are one name when they differ only in what a reader does not see or does not count:
NFKC forms (full-width letters, ligatures, a non-breaking space), curly or straight quotes, case,
runs of spaces, and invisible or direction characters (a zero-width space, a right-to-left
override). `loose` goes one step further for lookalikes: apostrophes, dots and hyphens do not count
either, so "Children’s Services Panel", "Children's services panel" and "childrens services panel"
are one board."""
from __future__ import annotations

import unicodedata

_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "′": "'", "‛": "'",
                         "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "″": '"', "‟": '"'})
_LOOSE_DROP = str.maketrans("", "", "'\".-‐‑–—")
# invisible and direction characters nobody means in text they type: zero-width space and joiners
# of words, the byte-order mark, a soft hyphen, and every bidirectional mark, embedding and isolate
INVISIBLE = frozenset("\u200b\u2060\ufeff\u00ad\u180e\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
                      "\u2066\u2067\u2068\u2069")


def visible(text: str) -> str:
    """Text without invisible and direction characters, in Unicode's composed form (NFC)."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", "".join(ch for ch in text if ch not in INVISIBLE))


# characters that draw nothing though Unicode calls them letters or marks: the Hangul fillers, the
# Braille blank, the combining grapheme joiner, Khmer's inherent vowels and the variation selectors
BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5" + "".join(map(chr, range(0xFE00, 0xFE10)))
                  + "".join(map(chr, range(0xE0100, 0xE01F0))))


def _unseen(ch: str) -> bool:
    """A character nobody sees: a format (Cf: invisible, direction) character, a control other
    than white space, or a blank of BLANK."""
    return ch in BLANK or unicodedata.category(ch) == "Cf" or (unicodedata.category(ch) == "Cc" and not ch.isspace())


# letters of other alphabets drawn like Latin ones (a small table, not Unicode's whole confusables
# list): Cyrillic and Greek letters that look like a, b, c, e, … in lower or upper case. Applied after
# case folding, so a name typed with a Cyrillic "а" or "Е" or a Greek "ο" is the Latin one; a name
# written wholly in Cyrillic or Greek still equals itself, letter for letter.
LOOKALIKES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w",
    "α": "a", "β": "b", "ε": "e", "η": "h", "ι": "i", "κ": "k", "μ": "m", "ν": "n", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "y", "χ": "x", "ζ": "z",
})


def key(name: str) -> str:
    """The form two names are compared in: NFKC, one quote style, case folded, lookalike letters of
    other alphabets as the Latin ones, one space between words, nothing unseen (format, direction
    or blank characters)."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(ch for ch in text if not _unseen(ch)).translate(_QUOTES)
    return " ".join(text.casefold().translate(LOOKALIKES).split())


def blank(text: str) -> bool:
    """True when nothing in `text` can be seen: the one test of "no title" and "no name"."""
    return not key(text)


def loose(name: str) -> str:
    """`key` without apostrophes, quotes, dots and hyphens: lookalikes of one name meet here."""
    return " ".join(key(name).translate(_LOOSE_DROP).split())


def same(a: str, b: str) -> bool:
    return loose(a) == loose(b)


def find(typed: str, names) -> str | None:
    """The one of `names` that `typed` means (equal after `key`, else after `loose`), or None."""
    want = key(typed)
    for name in names:
        if key(name) == want:
            return name
    want = loose(typed)
    return next((name for name in names if loose(name) == want), None)
