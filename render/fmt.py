"""Two ways to write the same words: Slack mrkdwn (escaped) and plain text (the console)."""
from __future__ import annotations


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
