"""Scheduled reminders, run at chosen instants with the fake Slack Web API."""
import datetime as dt

import pytest
from sqlalchemy import update

from jobs.runner import run_job
from store import outbox
from store.db import unit_of_work
from store.models import OutboxMessage
from tests.test_action_log import SETUP


def at(iso):
    return dt.datetime.fromisoformat(iso).astimezone(dt.UTC)


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
    assert ah["text"].startswith("Your actions on P&amp;R\n1/18 Circulate the Specials funding analysis — due in 7 days")
    assert [e["text"]["text"] for e in ah["blocks"][2]["elements"]] == ["Mark done", "Snooze a week", "Add update"]
    assert ah["metadata"]["event_type"] == "clerk_message"
    ga, = dms(pr, "UGA0001")
    assert ga["text"].startswith("Actions of Gareth Nicholson on P&amp;R (not on Slack; please pass this on)\n"
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
    sender = pr.clerk.make_sender(pr.clerk.sender.client)
    sender.holder = "a sender that dies"
    with unit_of_work(pr.clerk.sessions) as s:
        claimed = outbox.claimed(s, outbox.claim_ids(s, pr.clock(), holder=sender.holder,
                                                     wall=dt.datetime.now(dt.timezone.utc)))
        s.expunge_all()
    for row in claimed:
        sender._post(row)  # posted … and then the process died before marking it sent
    assert len(pr.fake.calls_to("chat.postMessage")) == 2
    pr.deliver()  # its lease still runs: nobody takes its claims yet
    assert len(pr.fake.calls_to("conversations.history")) == 0
    with unit_of_work(pr.clerk.sessions) as s:  # seconds later, nobody has renewed the lease
        s.execute(update(OutboxMessage).where(OutboxMessage.claimed_by == "a sender that dies")
                  .values(lease_until=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)))
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


def press(clerk, user, action_id, value, *, ts="1544090400.000001", trigger="trig.1"):
    from tests import slackreq
    payload = {"type": "block_actions", "user": {"id": user, "name": user.lower()}, "team": {"id": "T0001"},
               "api_app_id": "A0001", "trigger_id": trigger, "channel": {"id": "D" + user},
               "container": {"type": "message", "message_ts": "1.1", "channel_id": "D" + user},
               "actions": [{"type": "button", "action_id": action_id, "value": value, "action_ts": ts,
                            "block_id": f"action-{value}"}]}
    resp = slackreq.interaction(clerk.events_url, "test-signing-secret", payload)
    assert resp.status_code == 200, resp.text
    clerk.deliver()


def test_the_buttons_work_days_later_and_refuse_who_may_not(pr):
    reminders(pr, "2018-12-06T10:00:00+00:00")
    pr.clock.set("2018-12-10T11:00:00+00:00")
    # Snooze a week: no reminder for 1/18 until Mon 17 Dec
    press(pr, "UAH0001", "action_snooze", "1")
    assert "reminders snoozed until Mon 17 Dec 2018" in dms(pr, "UAH0001")[-1]["text"]
    assert not any(o.occasions[0].subject == 1 for o in reminders(pr, "2018-12-13T10:00:00+00:00"))
    # someone else's button: refused, nothing changes
    press(pr, "UVH0001", "action_done", "1", ts="2.2")
    assert dms(pr, "UVH0001")[-1]["text"].startswith("Only 1/18's owners, the chair or a secretary can close it.")
    # Mark done closes it, and the board sees it
    press(pr, "UAH0001", "action_done", "1", ts="3.3")
    assert "closed by Anna Hook (AH)" in dms(pr, "UAH0001")[-1]["text"]
    assert any("*1/18* closed by Anna Hook (AH)" in p for p in pr.channel_sees("CPR"))
    # pressed again: the current state, not a second closure
    press(pr, "UAH0001", "action_done", "1", ts="4.4")
    assert "1/18 is already closed" in dms(pr, "UAH0001")[-1]["text"]


def test_add_update_opens_a_modal_whose_text_becomes_a_dated_update(pr):
    from tests import slackreq
    press(pr, "UAH0001", "action_update", "1", trigger="trig.9")
    opened, = pr.fake.calls_to("views.open")
    view = opened.json("view")
    assert opened.args["trigger_id"] == "trig.9" and view["callback_id"] == "action_update_modal"
    submission = {"type": "view_submission", "user": {"id": "UAH0001"}, "team": {"id": "T0001"},
                  "api_app_id": "A0001", "view": {**view, "id": "V123", "state": {"values": {
                      "update": {"text": {"type": "plain_text_input", "value": "Analysis sent to AH"}}}}}}
    empty = {**submission, "view": {**submission["view"], "state": {"values": {"update": {"text": {"value": ""}}}}}}
    resp = slackreq.interaction(pr.events_url, "test-signing-secret", empty)
    assert resp.json() == {"response_action": "errors", "errors": {"update": "Write the update first."}}
    assert slackreq.interaction(pr.events_url, "test-signing-secret", submission).status_code == 200
    assert "update: Analysis sent to AH" in pr.says("GA", "/action show 1/18")


def test_forged_button_presses_get_401(pr):
    from tests import slackreq
    payload = {"type": "block_actions", "user": {"id": "UAH0001"}, "actions": [{"action_id": "action_done", "value": "1"}]}
    assert slackreq.interaction(pr.events_url, "wrong-secret", payload).status_code == 401


def test_a_bad_row_is_logged_and_the_sweep_goes_on(pr, monkeypatch, caplog):
    from jobs import action_reminders
    real = action_reminders.occasion

    def broken_for_2_18(due, today, offsets, notify):
        if due == dt.date(2018, 12, 7):
            raise ValueError("a row the sweep cannot read")
        return real(due, today, offsets, notify)

    monkeypatch.setattr(action_reminders, "occasion", broken_for_2_18)
    owed = reminders(pr, "2018-12-06T10:00:00+00:00")
    assert [o.recipient for o in owed] == ["UAH0001"]
    assert "action-reminders: skipped action 2/18" in caplog.text


def test_two_sweeps_at_the_same_instant_remind_each_owner_once(pr, monkeypatch):
    """Two schedulers pointed at one database by mistake, started together, both finding the ledger
    empty (as when each reads it before the other writes): the ledger's unique key lets one of them
    owe each reminder, and the other's attempt is refused and rolled back, owing nothing twice."""
    import threading

    from sqlalchemy import func, select

    from jobs.notify import Notifier
    from store.models import Reminder
    monkeypatch.setattr(Notifier, "already", lambda self, occasions: set())
    owing = Notifier.__call__
    results = []
    monkeypatch.setattr(Notifier, "__call__", lambda self, item: results.append(owing(self, item)) or results[-1])
    barrier, owed, failed = threading.Barrier(2), [], []

    def sweep():
        try:
            barrier.wait(timeout=30)
            owed.append(run_job(pr.clerk, "action-reminders", at("2018-12-06T10:00:00+00:00"), send=False))
        except Exception as exc:  # noqa: BLE001 - reported below
            failed.append(exc)

    workers = [threading.Thread(target=sweep) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert not failed, failed
    assert len(owed) == 2 and sum(map(len, owed)) == 2, owed  # AH's and GA's DM, owed by one sweep or the other
    assert sorted(results) == [False, False, True, True]  # the second attempt at each was refused by the ledger
    pr.deliver()
    assert len(dms(pr, "UAH0001")) == 1 and len(dms(pr, "UGA0001")) == 1
    with pr.clerk.read_sessions() as s:
        ledger = s.execute(select(Reminder.recipient, Reminder.occasion, func.count())
                           .group_by(Reminder.recipient, Reminder.occasion)).all()
    assert ledger and all(n == 1 for _, _, n in ledger), ledger
