"""Two ways to write the same words: Slack mrkdwn (escaped) and plain text (the console)."""
from __future__ import annotations

import re


class Plain:
    slack = False

    @staticmethod
    def esc(text: str) -> str:
        return text

    @staticmethod
    def bold(text: str) -> str:
        return text

    @staticmethod
    def italic(text: str) -> str:
        return text

    def clip(self, text: str, limit: int) -> str:
        """`text` written in this format, cut with "…" so it takes at most `limit` characters
        (counted as sent, after escaping; the cut falls between characters typed, never inside
        an escape). Only Slack has limits: plain text is whole."""
        if not self.slack:
            return text
        written = self.esc(text)
        if len(written) <= limit:
            return written
        lo, hi = 0, len(text)  # the longest prefix whose escaped form fits with the "…"
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if len(self.esc(text[:mid])) <= limit - 1 else (lo, mid - 1)
        return self.esc(text[:lo].rstrip()) + "…"


class Mrkdwn(Plain):
    """Slack's mrkdwn. User text is escaped so nobody can ping <!channel> through a title."""

    slack = True

    @staticmethod
    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    @staticmethod
    def bold(text: str) -> str:
        return f"*{text}*"

    @staticmethod
    def italic(text: str) -> str:
        return f"_{text}_"


PLAIN, MRKDWN = Plain(), Mrkdwn()


_TOKEN = re.compile(r"<([@#!]?)([^<>|]*)(?:\|([^<>]*))?>")


def as_plain(mrkdwn: str) -> str:
    """A message Clerk wrote for Slack, as plain text a person reads at a terminal or in a file (a
    dry run of jobs, the console): Slack's tokens written out (`<#C1|pr-board>` → #pr-board,
    `<https://…|label>` → label (https://…)) and its three entities decoded once, so
    "Finance &amp; Audit Committee" reads "Finance & Audit Committee"."""
    def word(m: re.Match) -> str:
        sigil, body, label = m.group(1), m.group(2), m.group(3)
        if sigil == "@":
            return f"@{label or body}"
        if sigil == "#":
            return f"#{label or body}"
        if sigil == "!":
            return f"@{label or body.split('^')[0]}"
        return f"{label} ({body})" if label and label != body else body
    text = _TOKEN.sub(word, mrkdwn)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
