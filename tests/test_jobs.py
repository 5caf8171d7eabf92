"""Scheduled reminders, run at chosen instants with the fake Slack Web API."""
import datetime as dt

import pytest

from jobs.runner import run_job
from store import outbox
from store.db import unit_of_work
from tests.test_action_log import SETUP


def at(iso):
    return dt.datetime.fromisoformat(iso).astimezone(dt.timezone.utc)


@pytest.fixture
def pr(clerk):
    for who, line in SETUP:
        clerk.says(who, line)
    clerk.says("GA", "/action new Circulate the Specials funding analysis owner AH due 13/12")  # 1/18
    clerk.says("GA", "/action new Send the Communications plan owner GN due 7/12")  # 2/18, not on Slack
    clerk.says("GA", "/action new Mobile Policing paper owner AH due 27/12")  # 3/18, after Christmas
    clerk.deliver()
    clerk.fake.reset()
    return clerk


def reminders(clerk, iso, **kw):
    owed = run_job(clerk.clerk, "action-reminders", at(iso), **kw)
    clerk.deliver()
    return owed


def dms(clerk, user):
    return [p for p in clerk.fake.posts(f"D{user}")]


def test_a_week_before_and_the_day_before_to_owners_and_for_those_not_on_slack_to_the_secretary(pr):
    reminders(pr, "2018-12-06T10:00:00+00:00")
    ah, = dms(pr, "UAH0001")
    assert ah["text"].startswith("Your actions on P&R\n1/18 Circulate the Specials funding analysis — due in 7 days")
    assert [e["text"]["text"] for e in ah["blocks"][2]["elements"]] == ["Mark done", "Snooze a week", "Add update"]
    assert ah["metadata"]["event_type"] == "clerk_message"
    ga, = dms(pr, "UGA0001")
    assert ga["text"].startswith("Actions of Gareth Nicholson on P&R (not on Slack; please pass this on)\n"
                                 "2/18 Send the Communications plan — due tomorrow")
    # the same instant again: nothing more
    assert reminders(pr, "2018-12-06T10:00:00+00:00") == []
    assert len(pr.fake.calls_to("chat.postMessage")) == 2


def test_night_weekends_and_bank_holidays_wait_for_nine_on_a_working_day(pr):
    assert reminders(pr, "2018-12-07T02:00:00+00:00") == []
    owed = reminders(pr, "2018-12-07T09:00:00+00:00")
    assert {o.recipient for o in owed} == {"UAH0001", "UGA0001"}
    assert "2/18 Send the Communications plan — due today" in dms(pr, "UGA0001")[0]["text"]
    # 3/18 is due Thu 27 Dec: "1 day before" is Boxing Day, so it goes on Mon 24 Dec
    assert reminders(pr, "2018-12-22T10:00:00+00:00") == []  # a Saturday
    owed = reminders(pr, "2018-12-24T10:00:00+00:00")
    texts = [p["text"] for p in dms(pr, "UAH0001")]
    assert any("3/18 Mobile Policing paper — due in 3 days" in t for t in texts)
    assert reminders(pr, "2018-12-25T10:00:00+00:00") == []  # Christmas Day


def test_weekly_while_overdue_until_closed(pr):
    reminders(pr, "2018-12-13T10:00:00+00:00")
    assert "1/18 Circulate the Specials funding analysis — due today" in dms(pr, "UAH0001")[-1]["text"]
    reminders(pr, "2018-12-20T10:00:00+00:00")
    assert "1 week overdue" in dms(pr, "UAH0001")[-1]["text"]
    assert [o.recipient for o in reminders(pr, "2018-12-21T10:00:00+00:00")] == ["UGA0001"]  # 2/18, two weeks late
    pr.says("AH", "/action close 1/18")
    pr.deliver()
    before = len(dms(pr, "UAH0001"))
    reminders(pr, "2018-12-27T10:00:00+00:00")
    assert not any("1/18" in p["text"] for p in dms(pr, "UAH0001")[before:])


def test_dry_run_owes_nothing(pr):
    owed = reminders(pr, "2018-12-06T10:00:00+00:00", dry_run=True)
    assert len(owed) == 2 and pr.fake.calls_to("chat.postMessage") == []
    assert len(reminders(pr, "2018-12-06T10:00:00+00:00")) == 2


def test_429_500_and_a_dropped_connection_still_deliver_each_reminder_once(pr):
    pr.fake.fail("chat.postMessage", status=429, retry_after=1)
    pr.fake.fail("chat.postMessage", status=500)
    pr.fake.fail("chat.postMessage", drop=True)
    reminders(pr, "2018-12-06T10:00:00+00:00")
    reminders(pr, "2018-12-06T10:30:00+00:00")
    assert len(dms(pr, "UAH0001")) == 1 and len(dms(pr, "UGA0001")) == 1


def test_a_crash_between_posting_and_marking_sent_is_settled_from_the_dm_history(pr):
    run_job(pr.clerk, "action-reminders", at("2018-12-06T10:00:00+00:00"), send=False)
    sender = pr.clerk.sender
    with unit_of_work(pr.clerk.sessions) as s:
        claimed = outbox.claim(s, pr.clock())
        s.expunge_all()
    for row in claimed:
        sender._post(row)  # posted … and then the process died before marking it sent
    assert len(pr.fake.calls_to("chat.postMessage")) == 2
    pr.clock.now = pr.clock.now + outbox.CLAIM_TIMEOUT + dt.timedelta(minutes=1)
    pr.deliver()
    assert len(pr.fake.calls_to("chat.postMessage")) == 2  # none doubled
    assert len(pr.fake.calls_to("conversations.history")) == 2
    with pr.clerk.sessions() as s:
        assert {m.status for m in outbox.by_status(s, ["pending", "sending", "sent", "failed"])} == {"sent"}


def test_an_owner_who_left_slack_goes_to_the_secretary_once(pr):
    pr.says("GA", "/action close 2/18")
    pr.deliver()
    pr.fake.reset()
    pr.fake.fail("chat.postMessage", error="user_not_found")
    reminders(pr, "2018-12-06T10:00:00+00:00")
    to_ga = [p["text"] for p in dms(pr, "UGA0001")]
    assert any(t.startswith("I could not reach <@UAH0001> (user_not_found)") for t in to_ga)
    reminders(pr, "2018-12-06T10:30:00+00:00")
    assert len([p for p in dms(pr, "UGA0001") if "could not reach" in p["text"]]) == 1


def test_a_revoked_token_stops_the_run_and_marks_nothing_sent(pr):
    from slackweb import FatalSlackError
    pr.fake.fail("chat.postMessage", error="token_revoked")
    with pytest.raises(FatalSlackError):
        run_job(pr.clerk, "action-reminders", at("2018-12-06T10:00:00+00:00"))
    with pr.clerk.sessions() as s:
        reminders_ = [m for m in outbox.by_status(s, ["pending", "sending", "sent", "failed"]) if m.key]
        assert len(reminders_) == 2 and {m.status for m in reminders_} == {"pending"}
