"""The minutes forms: paste (the text, the board, the meeting's date), then review (one line a
change, each the command that would make it, editable; a line cleared is a change left out)."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from render.blocks import MAX_BLOCKS_PER_VIEW, MAX_SECTION_TEXT, context, section

PASTE, REVIEW, OPEN_MINUTES = "minutes_paste_modal", "minutes_review_modal", "open_minutes"
MAX_PASTE = 3000  # Slack's longest plain_text_input
SHOWN_UNPLACED = 8


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def paste(boards: Sequence[str], board: str | None, channel: str | None) -> dict[str, Any]:
    options = [{"text": _plain(b[:75]), "value": b[:150]} for b in boards[:100]]
    select = {"type": "static_select", "action_id": "value", "placeholder": _plain("Whose minutes"), "options": options}
    chosen = next((o for o in options if o["value"] == board), options[0] if len(options) == 1 else None)
    if chosen:
        select["initial_option"] = chosen
    return {"type": "modal", "callback_id": PASTE, "title": _plain("Read minutes"), "submit": _plain("Read"),
            "close": _plain("Cancel"), "private_metadata": json.dumps({"channel": channel}),
            "blocks": [
                {"type": "input", "block_id": "text", "label": _plain("Minutes"),
                 "hint": _plain(f"Paste the minutes (up to {MAX_PASTE:,} characters here; for longer ones, the action "
                                "log and forward plan parts, or: python bot.py import minutes FILE)."),
                 "element": {"type": "plain_text_input", "action_id": "value", "multiline": True,
                             "max_length": MAX_PASTE}},
                {"type": "input", "block_id": "board", "label": _plain("Board"), "element": select},
                {"type": "input", "block_id": "meeting", "optional": True, "label": _plain("Meeting date"),
                 "hint": _plain("Read from the minutes when they say it."),
                 "element": {"type": "datepicker", "action_id": "value"}},
            ]}


INCLUDE = "include"  # the tick that puts back a line the log would refuse as it stands


def review(summary: str, warnings: Sequence[str], lines: Sequence[tuple[str, str, str, str, str]],
           unplaced: Sequence[str], meta: dict[str, Any]) -> dict[str, Any]:
    """lines: (label, command, notes, source words, refusal). Each command is an editable field;
    clearing one leaves it out. A line the log would refuse as it stands comes unticked, with the
    reason: the rest can be applied without it, or it can be corrected and ticked."""
    blocks: list[dict[str, Any]] = [section(summary[:MAX_SECTION_TEXT])]
    blocks += [context(w[:MAX_SECTION_TEXT]) for w in warnings[:3]]
    room = MAX_BLOCKS_PER_VIEW - len(blocks) - 2
    used = 0
    for n, (label, command, notes, source, refused) in enumerate(lines):
        cost = 1 + bool(command and refused)
        if used + cost > room:
            blocks.append(context(f"… and {len(lines) - n} more changes: read these minutes in two parts, or with "
                                  "python bot.py import minutes FILE."))
            break
        used += cost
        said = f" — from “{source[:300]}”" if source else ""
        if not command:
            blocks.append(context(f"{n + 1}. {label}: not applied — {notes}{said}"[:MAX_SECTION_TEXT]))
            continue
        block = {"type": "input", "block_id": f"c{n}", "optional": True, "label": _plain(f"{n + 1}. {label}"[:200]),
                 "element": {"type": "plain_text_input", "action_id": "command", "multiline": True,
                             "initial_value": command[:MAX_PASTE], "max_length": MAX_PASTE}}
        hint = "; ".join(x for x in (notes, f"from “{source[:400]}”" if source else "") if x)
        if hint:
            block["hint"] = _plain(hint[:2000])
        blocks.append(block)
        if refused:
            option = {"text": _plain(f"Apply line {n + 1} too"), "value": f"line {n + 1}",
                      "description": _plain(f"Not applied as it stands: {refused}"[:150])}
            blocks.append({"type": "input", "block_id": f"k{n}", "optional": True, "label": _plain("Cannot be applied"),
                           "element": {"type": "checkboxes", "action_id": INCLUDE, "options": [option]}})
    if unplaced:
        blocks.append(context(f"… and {len(lines) - room} more changes: read these minutes in two parts, or with "
                              "python bot.py import minutes FILE."))
    if unplaced:
        quoted = "\n".join(f"• “{p[:200]}”" for p in unplaced[:SHOWN_UNPLACED])
        more = f"\n… and {len(unplaced) - SHOWN_UNPLACED} more" if len(unplaced) > SHOWN_UNPLACED else ""
        blocks.append(section(f"Not placed ({len(unplaced)}):\n{quoted}{more}"[:MAX_SECTION_TEXT]))
    return {"type": "modal", "callback_id": REVIEW, "title": _plain("Review the changes"), "submit": _plain("Apply"),
            "close": _plain("Cancel"), "private_metadata": json.dumps(meta), "blocks": blocks}


def meeting_of(meta: dict[str, Any]) -> dt.date | None:
    value = meta.get("meeting")
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
