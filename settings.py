"""Clerk's settings, read once from the environment or `.env` (pydantic-settings).

A missing or malformed setting must stop start-up with one line that names it and says how
to fix it; `load()` turns pydantic's errors into that line (SettingsError) so bot.py can print
it and exit 2 without a traceback.
"""
from __future__ import annotations

import datetime as dt
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

HOW_TO_FIX = {
    "SLACK_BOT_TOKEN": "set it to the app's Bot User OAuth Token (xoxb-…), or try Clerk without Slack: python bot.py console",
    "SLACK_SIGNING_SECRET": "set it to the Signing Secret from the app's Basic Information page",
    "SLACK_APP_TOKEN": "set it to an app-level token (xapp-…) with connections:write, or unset it to serve over HTTP",
    "SLACK_API_URL": "set it to a URL ending in /api/, e.g. https://slack.com/api/",
    "DATABASE_URL": "set it to an SQLAlchemy URL, e.g. sqlite:///clerk.db or postgresql+psycopg://user:pass@host/clerk",
    "CLERK_TIMEZONE": "set it to an IANA time zone such as Europe/London",
    "CLERK_HOLIDAYS": "set it to one of ENG, WLS, SCT, NIR",
    "CLERK_SCHEDULER": "set it to on or off",
    "CLERK_SENDER": "set it to process or thread",
    "PORT": "set it to a TCP port number between 1 and 65535",
    "CLERK_LOG_FORMAT": "set it to text (one line an event) or json (one JSON object a line)",
    "CLERK_OUTBOX_LATE": "set it to a number of seconds, e.g. 120",
    "CLERK_NOW": "set it to an ISO time such as 2026-12-01T09:00, or unset it to use the real clock",
}


class SettingsError(Exception):
    """One line for the operator: which setting, what is wrong, how to fix it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore",
                                      case_sensitive=True)

    SLACK_BOT_TOKEN: SecretStr | None = None
    SLACK_SIGNING_SECRET: SecretStr | None = None
    SLACK_APP_TOKEN: SecretStr | None = None
    SLACK_API_URL: str = "https://slack.com/api/"
    DATABASE_URL: str = "sqlite:///clerk.db"
    CLERK_TIMEZONE: str = "Europe/London"
    CLERK_HOLIDAYS: Literal["ENG", "WLS", "SCT", "NIR"] = "ENG"
    CLERK_SCHEDULER: Literal["on", "off"] = "on"
    CLERK_SENDER: Literal["process", "thread"] = "process"
    PORT: int = Field(default=3000, ge=1, le=65535)
    CLERK_LOG_FORMAT: Literal["text", "json"] = "text"
    # /healthz answers 503 when a message due to Slack has waited this long for a sender (not
    # counting rows held back on purpose: Slack refusing the token, a missing scope, a retry's back-off)
    CLERK_OUTBOX_LATE: float = Field(default=120.0, gt=0)
    # Rehearsals and tests: Clerk's clock starts at this time (CLERK_TIMEZONE unless it has an
    # offset) and runs on from it, so a console session or a test's subprocess never reads the
    # real date. Unset in production.
    CLERK_NOW: dt.datetime | None = None

    @field_validator("SLACK_BOT_TOKEN")
    @classmethod
    def _bot_token(cls, v: SecretStr | None) -> SecretStr | None:
        if v is not None and not v.get_secret_value().startswith("xoxb-"):
            raise ValueError("must start with xoxb-")
        return v

    @field_validator("SLACK_APP_TOKEN")
    @classmethod
    def _app_token(cls, v: SecretStr | None) -> SecretStr | None:
        if v is not None and v.get_secret_value() == "":
            return None
        if v is not None and not v.get_secret_value().startswith("xapp-"):
            raise ValueError("must start with xapp-")
        return v

    @field_validator("SLACK_API_URL")
    @classmethod
    def _api_url(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return v if v.endswith("/") else v + "/"

    @field_validator("DATABASE_URL")
    @classmethod
    def _database_url(cls, v: str) -> str:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(v)
        except (ArgumentError, ValueError):  # ValueError: a port that is not a number
            raise ValueError("is not a database URL") from None
        if url.get_backend_name() == "sqlite" and (url.host or url.port or url.username):
            raise ValueError(f"reads {url.host!r} as a host, which SQLite has not got: write sqlite:///{url.host}"
                             f"{'/' + url.database if url.database else ''} (three slashes) for a file in the "
                             "working folder, or sqlite:////data/clerk.db (four) for a full path") from None
        if url.get_backend_name() == "postgresql" and not url.database:
            raise ValueError("names no database: end it with /clerk (the database's name)") from None
        if url.drivername in ("postgres", "postgresql", "postgresql+psycopg2"):
            raise ValueError(f"names the driver {url.drivername}; for PostgreSQL write postgresql+psycopg://…") from None
        try:
            url.get_dialect().import_dbapi()
        except Exception:  # noqa: BLE001 - SQLAlchemy's NoSuchModuleError, or the driver not installed
            raise ValueError(f"names a database Clerk cannot use ({url.drivername}); use sqlite:///clerk.db "
                             "or postgresql+psycopg://…") from None
        return v

    @field_validator("CLERK_TIMEZONE")
    @classmethod
    def _timezone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{v!r} is not a known time zone") from None
        return v

    @property
    def now_from(self) -> dt.datetime | None:
        """CLERK_NOW as an aware time, or None for the real clock."""
        if self.CLERK_NOW is None:
            return None
        at = self.CLERK_NOW
        return (at if at.tzinfo else at.replace(tzinfo=self.tz)).astimezone(dt.UTC)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.CLERK_TIMEZONE)

    def require_serving(self) -> None:
        """Serving needs a bot token, and over HTTP a signing secret."""
        if self.SLACK_BOT_TOKEN is None:
            raise SettingsError(f"SLACK_BOT_TOKEN is not set: {HOW_TO_FIX['SLACK_BOT_TOKEN']}")
        if self.SLACK_APP_TOKEN is None and self.SLACK_SIGNING_SECRET is None:
            raise SettingsError(
                f"SLACK_SIGNING_SECRET is not set: {HOW_TO_FIX['SLACK_SIGNING_SECRET']} "
                "(or set SLACK_APP_TOKEN to use Socket Mode)")


def load(**overrides) -> Settings:
    """Read settings; raise SettingsError with one line on the first bad one.

    The message names the setting but never echoes a secret's value."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]) if err["loc"] else "settings"
        reason = err["msg"].removeprefix("Value error, ")
        if name.startswith(("SLACK_BOT", "SLACK_APP", "SLACK_SIGNING")):
            reason = reason.split(":")[0]  # pydantic may quote the input; a secret must not be
        raise SettingsError(f"{name} {reason}: {HOW_TO_FIX.get(name, 'see README.md')}") from None
