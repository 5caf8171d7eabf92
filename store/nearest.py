"""Nearest words: what a person probably meant, by edit distance with transpositions (so `47/18`
finds 74/18 and `acton` finds action). Used for refs, verbs, nouns, boards and settings; each
suggestion once, closest first."""
from __future__ import annotations

from collections.abc import Iterable

from store.words import listed


def distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal-string-alignment distance (Damerau–Levenshtein without repeated edits of one place),
    giving up above `limit` (returns limit + 1): cheap for short words, never quadratic in long text."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if len(a) > 64 or len(b) > 64:
        return 0 if a == b else limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def nearest(typed: str, candidates: Iterable[str], *, n: int = 3, limit: int | None = None,
            key=str.lower) -> list[str]:
    """Up to `n` candidates within `limit` edits of `typed` (default: 1 for words of up to three
    letters, else 2), closest first, each once."""
    want = key(typed)
    limit = limit if limit is not None else (1 if len(want) <= 3 else 2)
    scored: dict[str, int] = {}
    for candidate in candidates:
        if candidate in scored:
            continue
        d = distance(want, key(candidate), limit)
        if d <= limit:
            scored[candidate] = d
    return [c for c, _ in sorted(scored.items(), key=lambda kv: kv[1])][:n]


def either(words: list[str], *, conjunction: str = "or") -> str:
    """"A", "A or B", "A, B or C"."""
    return listed(words, conjunction)
