"""Nothing Clerk owes Slack is lost: 429s, 5xx, dropped connections and outages delay, never drop."""
import datetime as dt
import time

import pytest

from store import outbox
from store.models import OutboxMessage
from tests.test_action_log import SETUP


@pytest.fixture
def pr(clerk):
    for who, line in SETUP:
        clerk.says(who, line)
    clerk.fake.set_channel("CPR", is_private=True)
    return clerk


def rows(clerk):
    """The messages owed (App Home refreshes aside)."""
    with clerk.clerk.sessions() as s:
        return [(m.status, m.attempts) for m in
                s.query(OutboxMessage).filter(OutboxMessage.kind == "message").order_by(OutboxMessage.id)]


def test_a_429_then_500_then_a_dropped_connection_still_delivers_once(pr):
    pr.fake.fail("chat.postMessage", status=429, retry_after=1)
    pr.fake.fail("chat.postMessage", status=500)
    pr.fake.fail("chat.postMessage", drop=True)
    pr.says("AH", "/action new Circulate the OSG paper owner AH", channel="CPR")
    seen = pr.channel_sees("CPR")
    assert len(seen) == 1 and "Circulate the OSG paper" in seen[0]
    statuses = [c.status for c in pr.fake.calls_to("chat.postMessage")]
    assert statuses == [429, 500, 0, 200]
    assert rows(pr) == [("sent", 1)]


def test_an_outage_longer_than_the_retries_waits_in_the_outbox(pr):
    pr.fake.fail("chat.postMessage", status=503, times=4)  # more than slack-sdk's 3 retries
    pr.says("AH", "/action new Circulate the OSG paper owner AH", channel="CPR")
    assert pr.posts("CPR") == []
    assert rows(pr) == [("pending", 1)]
    # later, Slack is back and the retry time has come
    pr.clock.now = pr.clock.now.replace(minute=pr.clock.now.minute + 5)
    assert len(pr.posts("CPR")) == 1
    assert rows(pr) == [("sent", 2)]


def test_a_channel_clerk_is_not_in_is_kept_as_failed_and_the_officer_is_told_how_to_invite_it(pr):
    pr.fake.fail("chat.postMessage", error="not_in_channel")
    pr.says("AH", "/action new First owner AH", channel="CPR")
    pr.says("AH", "/action new Second owner AH", channel="CPR")
    seen = pr.channel_sees("CPR")
    assert len(seen) == 1 and "Second" in seen[0]
    told = pr.channel_sees("DUAH0001")
    assert len(told) == 1 and told[0].startswith("I could not post in <#CPR> (not_in_channel). Invite Clerk there "
                                                 "with `/invite @Clerk`")
    assert "*1/18* raised by Anna Hook (AH) — First" in told[0]
    assert rows(pr) == [("failed", 1), ("sent", 1), ("sent", 1)]


def test_a_revoked_token_stops_the_round_and_marks_nothing_sent(pr):
    pr.fake.fail("chat.postMessage", error="token_revoked")
    pr.says("AH", "/action new First owner AH", channel="CPR")
    from slackweb import FatalSlackError
    with pytest.raises(FatalSlackError):
        pr.clerk.sender.send_due()
    assert rows(pr) == [("pending", 1)]


def test_the_sender_thread_delivers_without_being_asked(pr):
    pr.clerk.sender.start()
    pr.says("AH", "/action new Circulate the OSG paper owner AH", channel="CPR")
    for _ in range(100):
        if pr.fake.posts("CPR"):
            break
        time.sleep(0.05)
    assert len(pr.fake.posts("CPR")) == 1


def test_two_senders_never_claim_the_same_message(clerk):
    now = clerk.clock()
    with clerk.clerk.sessions() as s, s.begin():
        for i in range(10):
            outbox.enqueue(s, "CPR", f"message {i}", now)
    wall = dt.datetime.now(dt.timezone.utc)
    with clerk.clerk.sessions() as a, a.begin():
        first = outbox.claim_ids(a, now, holder="a", wall=wall, limit=6)
    with clerk.clerk.sessions() as b, b.begin():
        second = outbox.claim_ids(b, now, holder="b", wall=wall, limit=10)
    assert len(first) == 6 and len(second) == 4
    assert not set(first) & set(second)


def test_homes_owed_together_are_one_pending_row_each(clerk):
    """refresh_homes writes several people's rows in one call: each gets one pending home row,
    however often they are named, and one already pending is not doubled."""
    now = clerk.clock()
    with clerk.clerk.sessions() as s, s.begin():
        outbox.refresh_home(s, "UAH0001", now)
    with clerk.clerk.sessions() as s, s.begin():
        outbox.refresh_homes(s, ["UAH0001", "UVH0001", "UJG0001"], now, dt.timedelta(seconds=30))
        outbox.refresh_homes(s, ["UVH0001"], now)
        outbox.refresh_homes(s, ["UDM0001", "UDM0001"], now)  # twice in one call: the second row sees the first
        outbox.refresh_homes(s, [], now)
    with clerk.clerk.sessions() as s:
        homes = s.query(OutboxMessage).filter(OutboxMessage.kind == "home").order_by(OutboxMessage.id).all()
        assert [(h.channel, h.status) for h in homes] == [
            ("UAH0001", "pending"), ("UVH0001", "pending"), ("UJG0001", "pending"), ("UDM0001", "pending")]
        assert [h.not_before - h.created for h in homes] == [dt.timedelta(0), dt.timedelta(seconds=30),
                                                             dt.timedelta(seconds=30), dt.timedelta(0)]


def test_the_web_client_retries_rate_limits_and_server_errors_more_than_once(clerk):
    from slack_sdk.http_retry.builtin_handlers import (
        ConnectionErrorRetryHandler,
        RateLimitErrorRetryHandler,
        ServerErrorRetryHandler,
    )
    client = clerk.clerk.app.client
    assert client.base_url == clerk.fake.url
    kinds = {type(h): h.max_retry_count for h in client.retry_handlers}
    assert set(kinds) == {ConnectionErrorRetryHandler, RateLimitErrorRetryHandler, ServerErrorRetryHandler}
    assert all(count > 1 for count in kinds.values())
