"""Block Kit within Slack's limits: split, never cut off."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

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
             limit: int = MAX_BLOCKS_PER_MESSAGE) -> list[Message]:
    """Blocks split across as many messages as needed, each with a part number when split."""
    pages = [list(blocks[i:i + limit - 1]) for i in range(0, len(blocks), limit - 1)] or [[]]
    title = MRKDWN.esc(title)  # mrkdwn, like the lines
    text = "\n".join(plain_lines)
    if len(pages) == 1:
        return [Message(_cap(f"{title}\n{text}"), pages[0])]
    messages = []
    for n, page in enumerate(pages, 1):
        label = f"{title} (part {n} of {len(pages)})"
        page_text = "\n".join(b["text"]["text"] for b in page if b.get("type") == "section")
        messages.append(Message(_cap(f"{label}\n{page_text}"), [context(label), *page]))
    return messages


def _cap(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE_TEXT else text[:MAX_MESSAGE_TEXT - 40] + "\n… (the rest is in the blocks)"
