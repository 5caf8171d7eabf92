"""How parsing costs grow with a command's length: linear, whatever the text holds.

    .venv/bin/python bench/grammar.py [--repeat 5]

For each pathological shape (runs of spaces, newlines, clause words repeated, quotes opened and
never closed, mentions, flag words at every boundary) the text is doubled from 250 to 4,000
characters (Clerk's cap; longer is refused before parsing) and parsed; the table shows the median
time and the ratio to the previous length. Linear is a ratio near 2 at each doubling; quadratic
would be near 4. The ingress (Slack's escaping taken off) is timed with it."""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from grammar import slacktext  # noqa: E402
from grammar.language import parse  # noqa: E402
from grammar.registry import Context, ParseError  # noqa: E402

CONTEXT = Context(today=dt.date(2026, 11, 23), boards=("P&R", "Strategic Board"), initials=frozenset({"AH", "VH"}))
SHAPES = {
    "spaces": lambda n: "/action new a" + " " * (n - 30) + "b owner AH",
    "newlines": lambda n: "/action new a" + "\n" * (n - 20) + "b",
    "clause words": lambda n: "/action new " + "owner due board " * (n // 16) + "x",
    "unclosed quote": lambda n: '/action new "' + "word " * (n // 5),
    "flags": lambda n: "/action new x " + "private Part B confidential " * (n // 28),
    "mentions": lambda n: "/action new x owner " + "<@U0ABCDEF|a> " * (n // 14),
    "entities": lambda n: "/action update 1/18 " + "&amp;&lt;&gt;" * (n // 12),
    "plan for": lambda n: "/plan add " + "funding for " * (n // 12) + "for tbc",
}


def cost(text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            parse(slacktext.from_slack(text), CONTEXT)
        except ParseError:
            pass
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    parse("/action new warm-up owner AH due 14/12", CONTEXT)
    lengths = [250, 500, 1000, 2000, 4000]
    print(f"{'shape':<16}" + "".join(f"{n:>10}" for n in lengths) + "   ratios at each doubling")
    for name, make in SHAPES.items():
        ms = [cost(make(n)[:slacktext.MAX_TEXT], args.repeat) for n in lengths]
        ratios = [b / a if a else float("nan") for a, b in zip(ms, ms[1:])]
        print(f"{name:<16}" + "".join(f"{m:>8.2f}ms" for m in ms) + "   " + " ".join(f"{r:.1f}" for r in ratios))


if __name__ == "__main__":
    main()
