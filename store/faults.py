"""Faults in Slack's set-up that stop Clerk sending: the bot token revoked or refused, a scope the
app was not granted. Not about any one message: the outbox keeps its rows; these say why they wait.

Each fault is kept per token (a fingerprint: a reinstall brings a new token, and a clean slate),
recorded once however often it is met, and cleared when what needed it works again."""
from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.models import Board, BoardRole, Person, SlackFault

TOKEN, SCOPE = "token", "scope"


def fingerprint(token: str) -> str:
    """Which token, without the token: 16 hex digits of its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def _key(kind: str, token: str, detail: str) -> str:
    return f"{kind}:{token}:{detail}"[:120]


def record(s: Session, kind: str, token: str, detail: str, now: dt.datetime) -> bool:
    """Note a fault; True when it is new (so the caller reports it, once)."""
    key = _key(kind, token, detail)
    if s.get(SlackFault, key) is not None:
        return False
    try:
        with s.begin_nested():  # another sender may record the same fault in the same moment
            s.add(SlackFault(key=key, kind=kind, token=token, detail=detail[:80], since=now))
    except IntegrityError:
        return False
    return True


def clear(s: Session, kind: str, token: str, detail: str) -> bool:
    return s.execute(delete(SlackFault).where(SlackFault.key == _key(kind, token, detail))).rowcount > 0


def active(s: Session, token: str) -> list[SlackFault]:
    """This token's faults, oldest first."""
    return list(s.scalars(select(SlackFault).where(SlackFault.token == token).order_by(SlackFault.since)))


def secretaries_of_channel(s: Session, channel: str) -> list[str]:
    """The Slack users of the secretaries of the board whose channel this is."""
    return sorted(set(s.scalars(select(Person.slack_user_id).join(BoardRole, BoardRole.person_id == Person.id)
                               .join(Board, Board.id == BoardRole.board_id)
                               .where(Board.channel_id == channel, BoardRole.role == "secretary",
                                      Person.slack_user_id.is_not(None)))))


def secretaries_on_slack(s: Session) -> list[str]:
    """The Slack users of every board's secretaries: who is told of a fault in Clerk's set-up."""
    return sorted(set(s.scalars(select(Person.slack_user_id).join(BoardRole, BoardRole.person_id == Person.id)
                               .where(BoardRole.role == "secretary", Person.slack_user_id.is_not(None)))))
