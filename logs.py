"""Clerk's log: one line an event, as text or as JSON lines (CLERK_LOG_FORMAT=json), never a secret.

A request's delivery key (a slash command's trigger_id, an event's id, a button's action_ts) is put
in KEY while Slack's request is handled (metrics.command_middleware), and the sender puts an
outbox row's key there while it sends it, so every line about that request or that message carries
it: `grep KEY` follows one request. A traceback is kept on its event's line (JSON: its "exc" field;
text: after " | ", its line breaks written as "\\n"). Anything shaped like a Slack token or a URL's
password is masked before a line is written, whoever wrote it.
"""
from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
import logging
import re
import sys

KEY: contextvars.ContextVar[str | None] = contextvars.ContextVar("clerk_log_key", default=None)
NOISY = ("slack_sdk", "slack_bolt", "urllib3", "waitress.queue", "alembic")
_SECRETS = re.compile(r"\b(xox[abpersc]|xapp)-[A-Za-z0-9-]+|(?<=://)([^/:@\s]+):([^@/\s]+)(?=@)")


def mask(text: str) -> str:
    """Slack tokens and URL passwords, masked: `xoxb-***`, `postgresql://clerk:***@db`."""
    return _SECRETS.sub(lambda m: f"{m.group(1)}-***" if m.group(1) else f"{m.group(2)}:***", text)


class _Line(logging.Formatter):
    def __init__(self, as_json: bool):
        super().__init__()
        self.as_json = as_json

    def format(self, record: logging.LogRecord) -> str:
        message = mask(record.getMessage())
        exc = mask(self.formatException(record.exc_info)) if record.exc_info else None
        key = KEY.get()
        when = dt.datetime.fromtimestamp(record.created, dt.UTC)
        if self.as_json:
            line = {"time": when.isoformat(timespec="milliseconds"), "level": record.levelname,
                    "logger": record.name, "message": message}
            if key:
                line["key"] = key
            if exc:
                line["exc"] = exc
            return json.dumps(line, ensure_ascii=False)
        text = f"{when:%Y-%m-%d %H:%M:%S},{when.microsecond // 1000:03d} {record.levelname} {record.name}: {message}"
        if key:
            text += f" [key={key}]"
        if exc:
            text += " | " + exc.replace("\n", "\\n")
        return text.replace("\n", "\\n")


def configure(fmt: str = "text") -> None:
    """Every logger, one handler on standard error, the chosen format; the libraries' chatter off."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Line(fmt == "json"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING)


@contextlib.contextmanager
def quiet(*names: str):
    """What these loggers (and their children) say is dropped while the block runs: start-up's
    auth.test, whose failure is told in one line, not as slack-sdk's retries and Bolt's notes."""
    def keep(record: logging.LogRecord) -> bool:
        return not any(record.name == n or record.name.startswith(n + ".") for n in names)

    handlers = list(logging.getLogger().handlers)
    for handler in handlers:
        handler.addFilter(keep)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(keep)
