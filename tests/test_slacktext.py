"""tests/slacktext.py sends what Slack sends for what a person typed (its docstring has the sources)."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.slacktext import (
    Broadcast,
    Channel,
    Link,
    Mention,
    Special,
    UserGroup,
    decode_sent,
    escape_typed,
    event_text,
    from_test_line,
    modal_value,
    parse_test_line,
    shortcut_message_text,
    slash_text,
    typed,
    unescape,
)

# -- the three entities [ESC] -------------------------------------------------------------------------


@pytest.mark.parametrize("typed_text, sent", [
    ("P&R", "P&amp;R"),
    ("Hello & <world>", "Hello &amp; &lt;world&gt;"),  # Slack's own example
    ("&amp;", "&amp;amp;"),                             # an entity typed literally is escaped again
    ("&lt;b&gt;", "&amp;lt;b&amp;gt;"),
    ("<@U123>", "&lt;@U123&gt;"),                       # typed, not picked: no mention
    ("<!channel>", "&lt;!channel&gt;"),
    ("<https://evil.example|click>", "&lt;https://evil.example|click&gt;"),
    ("\"quotes\" and 'apostrophes'", "\"quotes\" and 'apostrophes'"),  # only three characters
    ("&quot; &#60; &nbsp;", "&amp;quot; &amp;#60; &amp;nbsp;"),
    ("Café 🌊 Ünïcode — £5 :smile:", "Café 🌊 Ünïcode — £5 :smile:"),  # emoji, non-ASCII unchanged
    ("a\nb\t c", "a\nb\t c"),
    ("", ""),
])
def test_typed_text_is_escaped_exactly_once(typed_text, sent):
    assert escape_typed(typed_text) == sent
    assert unescape(sent) == typed_text
    assert slash_text(typed_text) == event_text(typed_text) == sent


def test_unescape_decodes_only_the_three_entities_in_one_pass():
    assert unescape("&amp;lt;") == "&lt;"  # not "<": one pass
    assert unescape("&amp;amp;") == "&amp;"
    assert unescape("&quot;&#38;&nbsp;&AMP;") == "&quot;&#38;&nbsp;&AMP;"
    assert unescape("& alone; &amp") == "& alone; &amp"


@given(st.text())
def test_escaping_round_trips_any_text(text):
    sent = escape_typed(text)
    assert unescape(sent) == text
    assert "<" not in sent and ">" not in sent
    assert sent.count("&") == text.count("&") + text.count("<") + text.count(">")
    assert decode_sent(sent) == ([text] if text else [])  # nothing typed ever reads as a token


# -- slash commands [SLASH] ---------------------------------------------------------------------------


def test_slash_commands_with_should_escape_send_tokens_for_what_was_picked():
    parts = ["board P&R chair ", Mention("UJANE01", "jane"), " secretary ", Mention("UGLA01"),
             " channel ", Channel("CPR", "pr-board"), " cc ", UserGroup("SBOARD", "board"), " ",
             Broadcast("here"), " see ", Link("https://example.org/a?b=1&c=2"), " or ",
             Link("http://www.example.org", "www.example.org"), " in ", Channel("GSECRET", "secret", private=True)]
    assert slash_text(parts) == (
        "board P&amp;R chair <@UJANE01|jane> secretary <@UGLA01> channel <#CPR|pr-board> cc "
        "<!subteam^SBOARD|@board> <!here> see <https://example.org/a?b=1&amp;c=2> or "
        "<http://www.example.org|www.example.org> in <#GSECRET|>")


def test_slash_commands_without_should_escape_repeat_the_plain_text():
    parts = ["ask ", Mention("UCRUSH1", "crushermd"), " to bake a cake & more in ", Channel("CD1", "d-social"),
             " ", Broadcast("channel"), " ", Link("http://www.example.com", "www.example.com")]
    assert slash_text(parts, should_escape=False) == (
        "ask @crushermd to bake a cake &amp; more in #d-social @channel www.example.com")


def test_every_broadcast_and_only_those():
    assert [slash_text([Broadcast(b)]) for b in ("here", "channel", "everyone")] == [
        "<!here>", "<!channel>", "<!everyone>"]
    with pytest.raises(ValueError):
        Broadcast("group")


# -- events, shortcuts and modals [EVENT] [SHORTCUT] [MODAL] ---------------------------------------------


def test_events_carry_mentions_without_names():
    parts = [Mention("UCLERKBOT", "clerk"), " action new Fix the <b> & ", Mention("UAH0001", "ah"),
             " in ", Channel("CPR", "pr-board"), " ", Channel("GSECRET", "secret", private=True), " ",
             UserGroup("SBOARD", "board"), " ", Broadcast("everyone"), " ", Link("https://x.org/?a&b", "x")]
    assert event_text(parts) == (
        "<@UCLERKBOT> action new Fix the &lt;b&gt; &amp; <@UAH0001> in <#CPR|pr-board> <#GSECRET> "
        "<!subteam^SBOARD> <!everyone> <https://x.org/?a&amp;b|x>")
    assert shortcut_message_text(parts) == event_text(parts)


def test_modal_values_are_not_escaped():
    assert modal_value("P&R <b> &amp; <@U1>") == "P&R <b> &amp; <@U1>"


def test_typed_is_what_the_person_saw():
    parts = ["P&R ", Mention("U1", "anna"), " ", Channel("C1", "board"), " ", Broadcast("here"), " ",
             UserGroup("S1", "sec"), " ", Link("http://www.x.org", "www.x.org"), " ", Link("https://y.org")]
    assert typed(parts) == "P&R @anna #board @here @sec www.x.org https://y.org"


def test_parts_must_be_strings_or_tokens():
    with pytest.raises(TypeError):
        slash_text(["ok", 42])


# -- reading it back -------------------------------------------------------------------------------------


def test_decode_takes_tokens_out_before_decoding_entities():
    assert decode_sent("P&amp;R <@U1|anna> &amp;lt;@U2&amp;gt; <#C1|> <#C2|board> <!subteam^S1|@b> "
                       "<https://a.org/?x=1&amp;y=2|w&amp;w> <!date^1392734382^{date}|Feb 18> &lt;!here&gt;") == [
        "P&R ", Mention("U1", "anna"), " &lt;@U2&gt; ", Channel("C1", None, private=True), " ",
        Channel("C2", "board"), " ", UserGroup("S1", "b"), " ", Link("https://a.org/?x=1&y=2", "w&w"), " ",
        Special("<!date^1392734382^{date}|Feb 18>"), " <!here>"]


PLAIN = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
NAME = st.from_regex(r"[a-z][a-z0-9._-]{0,10}", fullmatch=True)
ID = st.from_regex(r"[A-Z0-9]{1,10}", fullmatch=True)
TOKENS = st.one_of(
    st.builds(Mention, ID.map("U".__add__), st.none() | NAME),
    st.builds(Channel, ID.map("C".__add__), NAME, st.booleans()),
    st.builds(UserGroup, ID.map("S".__add__), NAME),
    st.sampled_from([Broadcast("here"), Broadcast("channel"), Broadcast("everyone")]),
    st.builds(Link, st.from_regex(r"https://[a-z.]{1,10}/[a-z&=?<]{0,10}", fullmatch=True), st.none() | PLAIN),
)


@given(st.lists(st.one_of(PLAIN, TOKENS), max_size=8))
def test_what_slack_sends_reads_back_as_what_was_typed(parts):
    for render in (slash_text, event_text):
        sent = render(parts)
        back = decode_sent(sent)
        assert typed(back) == typed(_for(render, parts))
        assert render(back) == sent  # the tokens survive a round trip exactly
        assert not any(isinstance(p, Special) for p in back)


def _for(render, parts):
    """What each surface keeps of a token: events drop names of users, groups and private channels."""
    if render is slash_text:
        return [Channel(p.channel_id, None, True) if isinstance(p, Channel) and p.private else p for p in parts]
    out = []
    for p in parts:
        if isinstance(p, Mention):
            p = Mention(p.user_id)
        elif isinstance(p, UserGroup):
            p = UserGroup(p.group_id)
        elif isinstance(p, Channel) and p.private:
            p = Channel(p.channel_id)
        out.append(p)
    return out


@given(st.lists(st.one_of(PLAIN, TOKENS), max_size=8))
def test_no_typed_text_becomes_a_live_token(parts):
    plain_only = [p for p in parts if isinstance(p, str)]
    assert all(isinstance(p, str) for p in decode_sent(slash_text(plain_only)))


# -- lines as existing tests write them ----------------------------------------------------------------


@pytest.mark.parametrize("line, sent", [
    ("/clerk board P&R chair <@UJANE01|jane>", "/clerk board P&amp;R chair <@UJANE01|jane>"),
    ("action close 74/18 when <!channel> agrees", "action close 74/18 when <!channel> agrees"),
    ("see <https://x.org/p?a=1&b=2|the paper> & <#CPR|pr-board>", "see <https://x.org/p?a=1&b=2|the paper> &amp; <#CPR|pr-board>"),
    ("<@UAH0001> and <@uah0001>", "<@UAH0001> and &lt;@uah0001&gt;"),  # a lower-case id is no mention
    ("a<b>c && d &amp; e", "a&lt;b&gt;c &amp;&amp; d &amp;amp; e"),
    ("<not a token> <@> <#> <http>", "&lt;not a token&gt; &lt;@&gt; &lt;#&gt; &lt;http&gt;"),
    ("<!here|here> <!subteam^S1|@sec>", "<!here|here> <!subteam^S1|@sec>"),
    ("Vetting appeal 🌊 — Café", "Vetting appeal 🌊 — Café"),
])
def test_from_test_line_keeps_tokens_and_escapes_the_rest(line, sent):
    assert from_test_line(line) == sent


def test_a_test_line_can_be_sent_on_another_surface():
    parts = parse_test_line("close 74/18 <@UAH0001|ah> & <!here>")
    assert parts == ["close 74/18 ", Mention("UAH0001", "ah"), " & ", Broadcast("here")]
    assert event_text(parts) == "close 74/18 <@UAH0001> &amp; <!here>"
    assert slash_text(parts) == from_test_line("close 74/18 <@UAH0001|ah> & <!here>")
