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
# Slack refuses a message whose blocks hold more than about 12,000 characters of text in all
# (`msg_blocks_too_long`; undocumented, reported on slackapi/bolt-js #2509 and #2867): a message's
# blocks are kept under this, a margin below it for the labels and buttons a part carries.
MAX_MESSAGE_BLOCK_TEXT = 10_000
MAX_LABEL = 200  # of a part's label ("… (part 2 of 3)"), taken from the title


@dataclass
class Message:
    """One Slack message: a `text` fallback (notifications, the console) and its blocks."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)


def block_text(block: dict[str, Any]) -> int:
    """The characters of text one block carries, as Slack counts them towards a message's total."""
    def text_of(obj: Any) -> int:
        if isinstance(obj, dict):
            own = len(obj["text"]) if isinstance(obj.get("text"), str) else 0
            return own + sum(text_of(v) for k, v in obj.items() if k != "text" or not isinstance(v, str))
        if isinstance(obj, list):
            return sum(text_of(v) for v in obj)
        return 0
    return text_of(block)


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
            cut = cut if cut > MAX_SECTION_TEXT // 2 else _not_in_an_entity(line, MAX_SECTION_TEXT)
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


def _not_in_an_entity(line: str, cut: int) -> int:
    """`cut`, moved back before an escape (`&amp;`, `&lt;`, `&gt;`) it would split."""
    amp = line.rfind("&", max(0, cut - 4), cut)
    return amp if amp > 0 and ";" not in line[amp:cut] else cut


def one_message(text: str, note: str = "… (cut here: `/action show` has the whole text)") -> list[dict[str, Any]]:
    """Sections for a text (already mrkdwn) that must go as one message: cut with `note` where it
    would pass Slack's limit for a message's text (a 4,000-character update of `&`s is 20,000 as sent)."""
    room = MAX_MESSAGE_BLOCK_TEXT - len(note) - 400  # and the buttons that may follow
    if len(text) > room:
        text = text[:_not_in_an_entity(text, room)] + note
    return sections([text])


def paginate(blocks: Sequence[dict[str, Any]], plain_lines: Sequence[str], title: str,
             limit: int = MAX_BLOCKS_PER_MESSAGE, *, title_is_first_line: bool = False) -> list[Message]:
    """Blocks split across as many messages as needed, each with a part number when split: a part
    holds at most `limit` blocks (one is its label) and MAX_MESSAGE_BLOCK_TEXT characters of text.
    `title_is_first_line`: the title is the lines' first (already mrkdwn), so it is neither escaped
    again nor repeated in a single message's text."""
    pages: list[list[dict[str, Any]]] = [[]]
    room = MAX_MESSAGE_BLOCK_TEXT - len(title) - 40  # the part's label
    used = 0
    for block in blocks:
        size = block_text(block)
        if pages[-1] and (len(pages[-1]) >= limit - 1 or used + size > room):
            pages.append([])
            used = 0
        pages[-1].append(block)
        used += size
    return _labelled(pages, plain_lines, title, title_is_first_line)


def paginate_pair(full: Sequence[str], public: Sequence[str], title: str,
                  limit: int = MAX_BLOCKS_PER_MESSAGE) -> tuple[list[Message], list[Message]]:
    """Two versions of one long text, line i of `public` being line i of `full` with the Part B text left
    out, split at the same lines: both have as many parts, and part n of one covers part n of the other."""
    if len(full) != len(public):
        raise ValueError("the public version needs one line for each line of the full one")

    room = MAX_MESSAGE_BLOCK_TEXT - len(title) - 40  # the part's label

    def fits(lo: int, hi: int) -> bool:
        versions = (sections(full[lo:hi]), sections(public[lo:hi]))
        return all(len(v) <= limit - 1 and sum(block_text(b) for b in v) <= room for v in versions)

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
    if len(title) > MAX_LABEL:  # a long first line is still whole in the part; its label is cut
        title = title[:_not_in_an_entity(title, MAX_LABEL - 1)] + "…"
    for n, page in enumerate(pages, 1):
        label = f"{title} (part {n} of {len(pages)})"
        page_text = "\n".join(b["text"]["text"] for b in page if b.get("type") == "section")
        messages.append(Message(_cap(f"{label}\n{page_text}"), [context(label), *page]))
    return messages


def _cap(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE_TEXT else text[:MAX_MESSAGE_TEXT - 40] + "\n… (the rest is in the blocks)"
