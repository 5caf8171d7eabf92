"""Block Kit within Slack's limits: split, never cut off."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from render.fmt import MRKDWN

MAX_BLOCKS_PER_MESSAGE = 50
MAX_BLOCKS_PER_VIEW = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_MESSAGE_TEXT = 39_000  # chat.postMessage truncates `text` at 40,000 characters


@dataclass
class Message:
    """One Slack message: a `text` fallback (notifications, the console) and its blocks."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:MAX_HEADER_TEXT], "emoji": False}}


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def divider() -> dict[str, Any]:
    return {"type": "divider"}


def sections(lines: Sequence[str]) -> list[dict[str, Any]]:
    """Lines packed into as few sections as fit 3,000 characters each; a longer line is split."""
    out: list[dict[str, Any]] = []
    chunk = ""
    for line in lines:
        while len(line) > MAX_SECTION_TEXT:
            if chunk:
                out.append(section(chunk))
                chunk = ""
            cut = line.rfind(" ", 0, MAX_SECTION_TEXT)
            cut = cut if cut > MAX_SECTION_TEXT // 2 else MAX_SECTION_TEXT
            out.append(section(line[:cut]))
            line = line[cut:].lstrip()
        candidate = f"{chunk}\n{line}" if chunk else line
        if len(candidate) > MAX_SECTION_TEXT:
            out.append(section(chunk))
            chunk = line
        else:
            chunk = candidate
    if chunk:
        out.append(section(chunk))
    return out


def paginate(blocks: Sequence[dict[str, Any]], plain_lines: Sequence[str], title: str,
             limit: int = MAX_BLOCKS_PER_MESSAGE, *, title_is_first_line: bool = False) -> list[Message]:
    """Blocks split across as many messages as needed, each with a part number when split.
    `title_is_first_line`: the title is the lines' first (already mrkdwn), so it is neither escaped
    again nor repeated in a single message's text."""
    pages = [list(blocks[i:i + limit - 1]) for i in range(0, len(blocks), limit - 1)] or [[]]
    return _labelled(pages, plain_lines, title, title_is_first_line)


def paginate_pair(full: Sequence[str], public: Sequence[str], title: str,
                  limit: int = MAX_BLOCKS_PER_MESSAGE) -> tuple[list[Message], list[Message]]:
    """Two versions of one long text, line i of `public` being line i of `full` with the Part B text left
    out, split at the same lines: both have as many parts, and part n of one covers part n of the other."""
    if len(full) != len(public):
        raise ValueError("the public version needs one line for each line of the full one")

    def fits(lo: int, hi: int) -> bool:
        return max(len(sections(full[lo:hi])), len(sections(public[lo:hi]))) <= limit - 1

    bounds, lo = [], 0
    while lo < len(full):
        if fits(lo, len(full)):
            hi = len(full)
        else:  # the most lines from `lo` that fit (a section count only grows with more lines)
            good, bad = lo + 1, len(full)
            while bad - good > 1:
                mid = (good + bad) // 2
                good, bad = (mid, bad) if fits(lo, mid) else (good, mid)
            hi = good
        bounds.append((lo, hi))
        lo = hi
    bounds = bounds or [(0, 0)]
    return (_labelled([sections(full[lo:hi]) for lo, hi in bounds], full, title),
            _labelled([sections(public[lo:hi]) for lo, hi in bounds], public, title))


def _labelled(pages: list[list[dict[str, Any]]], plain_lines: Sequence[str], title: str,
              title_is_first_line: bool = False) -> list[Message]:
    title = title if title_is_first_line else MRKDWN.esc(title)  # mrkdwn, like the lines
    text = "\n".join(plain_lines)
    if len(pages) == 1:
        return [Message(_cap(text if title_is_first_line else f"{title}\n{text}"), pages[0])]
    messages = []
    for n, page in enumerate(pages, 1):
        label = f"{title} (part {n} of {len(pages)})"
        page_text = "\n".join(b["text"]["text"] for b in page if b.get("type") == "section")
        messages.append(Message(_cap(f"{label}\n{page_text}"), [context(label), *page]))
    return messages


def _cap(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE_TEXT else text[:MAX_MESSAGE_TEXT - 40] + "\n… (the rest is in the blocks)"
