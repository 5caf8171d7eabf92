"""The action log through Slack, as a secretary would check it."""
import pytest

SETUP = [
    ("GA", "/clerk board P&R chair <@UJG0001|jg> secretary <@UGA0001|ga> channel <#CPR|pr-board>"),
    ("GA", "/clerk person JG <@UJG0001|jg> Jane Gardner"),
    ("GA", "/clerk person GA <@UGA0001|ga> Glykeria Anyfanti"),
    ("GA", "/clerk person AH <@UAH0001|ah> Anna Hook"),
    ("GA", "/clerk person VH <@UVH0001|vh> Victoria Harrington"),
    ("GA", "/clerk person DM <@UDM0001|dm> Debbie Martin"),
    ("GA", "/clerk person GN Gareth Nicholson"),
]


@pytest.fixture
def pr(clerk):
    for who, line in SETUP:
        clerk.says(who, line)
    return clerk


def test_officer_raises_closes_and_the_board_sees_it(pr):
    reply = pr.says("AH", "/action new Update on Mobile Policing owner AH due 3/1/2019", channel="CPR")
    assert "Raised *1/18* on P&amp;R's log: Update on Mobile Policing" in reply
    assert "due Thu 3 Jan 2019" in reply

    reply = pr.says("AH", "/action close 1/18 Paper on the agenda for 3 January", channel="CPR")
    assert "*1/18* closed by Anna Hook (AH)" in reply

    seen = pr.channel_sees("CPR")
    assert seen[0].startswith("*1/18* raised by Anna Hook (AH) — Update on Mobile Policing")
    assert seen[1].startswith("*1/18* closed by Anna Hook (AH) — Update on Mobile Policing")
    assert "\n> Paper on the agenda for 3 January" in seen[1]

    shown = pr.says("GA", "/action show 1/18")
    assert "open → closed: Paper on the agenda for 3 January" in shown
    assert "Status: closed on Thu 29 Nov 2018" in shown


def test_a_channel_linked_a_moment_ago_is_its_boards_for_the_very_next_command(pr):
    """Clerk skips looking up a channel its directory knows is no board's; a channel just linked
    moves the directory on, so the next command typed there is the board's, not the only board's."""
    from store.models import Action, Board

    pr.says("GA", "/clerk board Strategic Board secretary + <@UGA0001|ga>")
    before = pr.says("GA", "/action list", channel="CSB")  # not a board's channel yet: both boards
    assert "P&amp;R" in before and "Strategic Board" in before, before
    reply = pr.says("GA", "/clerk board Strategic Board channel <#CSB|strategic>")
    assert "channel set" in reply, reply
    pr.says("GA", "/action new Estates paper owner GN", channel="CSB")
    pr.says("GA", "/action new Custody audit owner GN", channel="CPR")
    with pr.clerk.sessions() as s:
        made = {a.title: s.get(Board, a.board_id).name for a in s.query(Action)}
    assert made.get("Estates paper") == "Strategic Board"
    assert made.get("Custody audit") == "P&R"


def test_two_owners_by_initials_and_a_person_without_slack(pr):
    reply = pr.says("GA", "/action new Timeline for the DVPO study owner AH and VH due end of January")
    assert "Owners: AH and VH · due Thu 31 Jan 2019" in reply
    reply = pr.says("GA", "/action new Send the Communications plan owner GN/DM due 22 nd December")
    assert "Owners: GN and DM · due Sat 22 Dec 2018" in reply
    assert "Open actions on P&amp;R (2)" in pr.says("VH", "/action list")
    assert "Timeline for the DVPO study" in pr.says("VH", "/action list mine")
    assert "Send the Communications plan" not in pr.says("VH", "/action list mine")


@pytest.mark.parametrize("line, expected", [
    ("/action close 84/1", "There is no action 84/1; did you mean 84/18?"),
    ("/action new Report owner XY due 14/12",
     "I don't know XY. Register them first (a chair or secretary can): /clerk person XY"),
    ("/action new Report owner AH due 32/13", "“32/13” is not a date"),
    ("/action new Report owner AH due 1/11/2018", "Thu 1 Nov 2018 is in the past"),
    ("/action new " + "x" * 501, "keep it to 500"),
    ("/action new owner AH due 14/12", "The action needs a title."),
    ("/action clsoe 84/18", "Did you mean /action close?"),
    ("/action due 84/18 someday", "I can't read “someday” as a date"),
])
def test_bad_input_gets_one_clear_reply_and_changes_nothing(pr, line, expected):
    pr.says("GA", "/action new Home Office Serious Violence Strategy response owner AH")
    with pr.clerk.sessions() as s:
        from sqlalchemy import func, select

        from store.models import Action, ActionEvent
        before = (s.scalar(select(func.count()).select_from(Action)), s.scalar(select(func.count()).select_from(ActionEvent)))
    # give the action the ref 84/18 so the mistyped ref has a neighbour
    with pr.clerk.sessions() as s, s.begin():
        from store.models import Action
        s.scalars(select(Action)).one().number = 84
    reply = pr.says("GA", line)
    assert expected in reply
    assert "Usage:" in reply or "did you mean" in reply.lower() or "Register" in reply
    with pr.clerk.sessions() as s:
        after = (s.scalar(select(func.count()).select_from(Action)), s.scalar(select(func.count()).select_from(ActionEvent)))
    assert after == before


def test_titles_are_escaped_so_nobody_is_pinged(pr):
    # typed character by character: Slack sends &lt;!channel&gt; and Clerk keeps what was typed
    pr.says("AH", "/action new Tell <!channel> & <@UJG0001> about R&D", channel="CPR", literal=True)
    seen = pr.channel_sees("CPR")[0]
    assert "<!channel>" not in seen and "<@UJG0001>" not in seen
    assert "Tell &lt;!channel&gt; &amp; &lt;@UJG0001&gt; about R&amp;D" in seen
    with pr.clerk.sessions() as s:
        from store.models import Action
        assert s.query(Action).one().title == "Tell <!channel> & <@UJG0001> about R&D"


def test_mentions_and_broadcasts_picked_in_slack_become_words_in_a_title(pr):
    # picked from Slack's menus: real tokens arrive; the title keeps them as words, never live
    pr.says("AH", "/action new Tell <!channel> & <@UJG0001|jg> about <https://example.org/r?a=1&b=2|R&D>",
            channel="CPR")
    seen = pr.channel_sees("CPR")[0]
    assert "<!channel>" not in seen and "<@UJG0001" not in seen and "<https" not in seen
    assert "Tell @channel &amp; @jg about R&amp;D (https://example.org/r?a=1&amp;b=2)" in seen


def test_forged_and_stale_signatures_get_401(pr):
    assert pr.slash("AH", "/action list", secret="not-the-secret").status_code == 401
    import time
    assert pr.slash("AH", "/action list", timestamp=int(time.time()) - 600).status_code == 401
    assert pr.slash("AH", "/action list").status_code == 200


def test_a_dm_delivered_twice_is_applied_once(pr):
    from tests import slackreq
    event = {"type": "message", "channel_type": "im", "channel": "DUAH0001", "user": "UAH0001",
             "text": "action new Circulate the OSG paper owner AH", "ts": "1.1", "event_ts": "1.1"}
    body = slackreq.event_body(event, event_id="Ev0001")
    for retry in (None, "1"):
        headers = {"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        resp = slackreq.post_signed(pr.events_url, body, secret="test-signing-secret",
                                    content_type="application/json", headers=headers)
        assert resp.status_code == 200
    dms = pr.channel_sees("DUAH0001")
    assert len(dms) == 1 and "Raised *1/18*" in dms[0]
    assert "1/18" in pr.says("GA", "/action list") and "2/18" not in pr.says("GA", "/action list")


def test_a_change_reads_its_boards_roles_with_the_action_not_after(clerk):
    """The rules read board.roles for every change: they come in the statement that finds the
    action, whether the board is the channel's or any (a second statement for them was a third of a
    command's database time)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    for who, line in SETUP:
        clerk.says(who, line)
    clerk.says("GA", "/action new Circulate the OSG paper owner AH board P&R")
    seen: list[str] = []

    def spy(conn, cursor, statement, params, context, executemany):
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", spy)
    try:
        in_channel = clerk.says("AH", "/action update 1/18 Sent to the panel", channel="CPR")
        anywhere = clerk.says("AH", "/action close 1/18 Done")
    finally:
        event.remove(Engine, "before_cursor_execute", spy)
    assert in_channel.startswith("Done: *1/18* updated") and anywhere.startswith("Done: *1/18* closed"), anywhere
    assert not [s for s in seen if s.lstrip().upper().startswith("SELECT BOARD_ROLE")]
