"""Words a proofreader would pass, in one place: lists of names ("AH, VH and MG"), counts with
their plurals ("1 person", "9 people"), and runs of refs that say where the gaps are."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

IRREGULAR = {"person": "people", "history entry": "history entries", "entry": "entries", "child": "children",
             "reply": "replies", "is": "are", "was": "were", "has": "have"}


def listed(items: Iterable[str], conjunction: str = "and") -> str:
    """"AH", "AH and VH", "AH, VH and MG"; nothing for nothing."""
    words = [w for w in items if w]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def plural(word: str, n: int) -> str:
    """`word` as it goes with `n`: board/boards, person/people, history entry/history entries."""
    if n == 1:
        return word
    if word in IRREGULAR:
        return IRREGULAR[word]
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def count(n: int, word: str) -> str:
    """"1 board", "4 boards", "9 people", "4500 actions" (`n` as digits, as the sums beside it are written)."""
    return f"{n} {plural(word, n)}"


def ref_runs(refs: Sequence[tuple[int | None, int]], write: Callable[[int, int | None], str], *,
             most: int = 6) -> str:
    """Refs (year, number) in order, written as runs that state their gaps: "12/26 to 13/26 and
    16/26 to 17/26", never "12/26 to 17/26" when 14 and 15 are not among them. `write(number, year)`
    writes one ref. More than `most` runs: the first and last, how many, and that there are gaps."""
    runs: list[list[tuple[int | None, int]]] = []
    for year, number in refs:
        if runs and runs[-1][-1][0] == year and runs[-1][-1][1] + 1 == number:
            runs[-1].append((year, number))
        else:
            runs.append([(year, number)])
    if len(runs) > most:
        return f"{write(refs[0][1], refs[0][0])} to {write(refs[-1][1], refs[-1][0])} ({count(len(refs), 'ref')}, with gaps)"
    said = []
    for run in runs:
        first, last = run[0], run[-1]
        if len(run) == 1:
            said.append(write(first[1], first[0]))
        elif len(run) == 2:
            said += [write(first[1], first[0]), write(last[1], last[0])]
        else:
            said.append(f"{write(first[1], first[0])} to {write(last[1], last[0])}")
    return listed(said)
