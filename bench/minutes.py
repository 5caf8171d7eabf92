"""How long the minutes reader takes on a whole set of real minutes.

    .venv/bin/python bench/minutes.py [--runs 20] [--file tests/data/domain/board-minutes-2018-11.txt]

Reads the file with exchange.minutes.read_minutes against the board's log before the meeting
(tests/data/pr-board-log-2018-10.csv), N times in one process, and prints the median and the
spread (target: median under 200 ms). The first run is shown apart: it includes loading
dateparser's English data, which `python bot.py` does at start-up (grammar.dates.warm()).
Also times the reader on a 100,000-character paste (the limit) made of the same minutes repeated.
Each run clears the reader's cache of dates read, so every run calls dateparser afresh.
Then the corpus (tests/data/minutes/corpus: minutes in ten shapes, each with its decisions counted
by hand): precision and recall per shape, and the time to read each shape's minutes repeated to
100,000 characters (target: under 200 ms).
Then, for each pathological text of tests/test_minutes_reader.py (PATHOLOGICAL: texts earlier
readers took seconds to minutes over), the time to read 12,500, 25,000, 50,000 and 100,000
characters of it and the ratio at each doubling: linear is near 2, quadratic near 4.
Not part of the test suite.
"""
from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from exchange.minutes import MAX_CHARS, read_minutes  # noqa: E402
from grammar.minutes import MinutesError  # noqa: E402
from grammar.minutes import text as minutes_text  # noqa: E402

DEFAULT_FILE = ROOT / "tests" / "data" / "domain" / "board-minutes-2018-11.txt"
LOG = ROOT / "tests" / "data" / "pr-board-log-2018-10.csv"


def _time(text: str, refs: list[str], runs: int) -> tuple[float, list[float], object]:
    times, proposal = [], None
    first = None
    for i in range(runs + 1):
        minutes_text._read_day.cache_clear()  # every run reads its dates afresh
        start = time.perf_counter()
        proposal = read_minutes(text, refs=refs)
        elapsed = (time.perf_counter() - start) * 1000
        if i == 0:
            first = elapsed
        else:
            times.append(elapsed)
    return first, times, proposal


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    args = parser.parse_args()
    text = args.file.read_text(encoding="utf-8")
    with LOG.open(encoding="utf-8") as f:
        refs = [row["Item"] for row in csv.DictReader(f)]

    first, times, proposal = _time(text, refs, args.runs)
    median = statistics.median(times)
    print(f"{args.file.name}: {len(text):,} characters, {proposal.paragraphs} paragraphs, "
          f"{len(proposal.changes)} changes, {len(proposal.unplaced)} paragraphs not placed")
    print(f"first run (loads dateparser's data): {first:.1f} ms")
    print(f"median of {args.runs} runs: {median:.1f} ms (min {min(times):.1f}, max {max(times):.1f})"
          f"  target < 200 ms: {'met' if median < 200 else 'MISSED'}")

    big = (text + "\n\n") * (MAX_CHARS // (len(text) + 2) + 1)
    big = big[:MAX_CHARS]
    _, times, proposal = _time(big, refs, max(3, args.runs // 4))
    print(f"a {len(big):,}-character paste (the limit): median {statistics.median(times):.1f} ms, "
          f"{len(proposal.changes)} changes")
    _corpus(args.runs)
    _linearity(refs)
    return 0


def _corpus(runs: int) -> None:
    from tests.minutes_corpus import by_shape, samples, score

    corpus = samples()
    scores = [score(s) for s in corpus]
    print(f"\nthe corpus: {len(corpus)} sets of minutes, {sum(s.expected for s in scores)} decisions counted by hand")
    print(f"{'shape':<18}{'sets':>5}{'right':>7}{'proposed':>10}{'counted':>9}{'precision':>11}{'recall':>8}"
          f"{'100k chars':>12}")
    per_shape = by_shape(scores)
    for shape, (right, proposed, expected) in per_shape.items():
        sets = [s for s in corpus if s.shape == shape]
        text = "\n\n".join(s.text for s in sets)
        big = ((text + "\n\n") * (MAX_CHARS // (len(text) + 2) + 1))[:MAX_CHARS]
        times = []
        for _ in range(max(3, runs // 4)):
            minutes_text._read_day.cache_clear()
            start = time.perf_counter()
            read_minutes(big, refs=sets[0].refs, people=sets[0].people)
            times.append((time.perf_counter() - start) * 1000)
        print(f"{shape:<18}{len(sets):>5}{right:>7}{proposed:>10}{expected:>9}{right / proposed:>11.2f}"
              f"{right / expected:>8.2f}{statistics.median(times):>10.0f}ms")
    right, proposed, expected = (sum(v[i] for v in per_shape.values()) for i in range(3))
    print(f"{'all':<18}{len(corpus):>5}{right:>7}{proposed:>10}{expected:>9}{right / proposed:>11.2f}"
          f"{right / expected:>8.2f}")


def _linearity(refs: list[str]) -> None:
    from tests.test_minutes_reader import PATHOLOGICAL

    sizes = [MAX_CHARS // 8, MAX_CHARS // 4, MAX_CHARS // 2, MAX_CHARS]
    print("\npathological texts: median of 3 reads (ms) by length, and the ratio at each doubling")
    print(f"{'text':<34}" + "".join(f"{n:>10,}" for n in sizes) + "   ratios")
    worst = 0.0
    for unit in PATHOLOGICAL:
        times = []
        for n in sizes:
            runs = []
            for _ in range(3):
                start = time.perf_counter()
                try:
                    read_minutes(unit[:n], refs=refs)
                except MinutesError:
                    pass
                runs.append((time.perf_counter() - start) * 1000)
            times.append(statistics.median(runs))
        # under 0.5 ms nothing was read (a prefix of white space is refused as empty): no ratio
        ratios = [b / a if a >= 0.5 else None for a, b in zip(times, times[1:])]
        worst = max([worst] + [r for r in ratios if r is not None])
        label = repr(unit[:30])[:32]
        print(f"{label:<34}" + "".join(f"{ms:>8.1f}ms" for ms in times) + "   "
              + " ".join("-" if r is None else f"{r:.1f}" for r in ratios))
    print(f"largest ratio at a doubling: {worst:.1f} (linear ~2, quadratic ~4)")


if __name__ == "__main__":
    sys.exit(main())
