"""tests/blockkit.py: typical payloads pass; each Block Kit limit catches its violation."""
from __future__ import annotations

import copy
import json

import pytest

from tests.blockkit import problems


def pt(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def md(text: str) -> dict:
    return {"type": "mrkdwn", "text": text}


def option(text: str, value: str) -> dict:
    return {"text": pt(text), "value": value}


def button(text: str = "Mark done", action_id: str = "action.done", **extra) -> dict:
    return {"type": "button", "text": pt(text), "action_id": action_id, "value": "17", **extra}


def message_blocks() -> list[dict]:
    return [
        {"type": "header", "text": {"type": "plain_text", "text": "Finance Committee — actions", "emoji": False}},
        {"type": "section", "text": md("*A-17* Circulate the budget _due Friday_"),
         "accessory": button("Open", "action.open")},
        {"type": "section", "fields": [md("*Owner*\n<@U1>"), md("*Due*\n12 June")]},
        {"type": "actions", "block_id": "action-17", "elements": [
            button("Mark done", "action.done", style="primary"),
            button("Snooze a week", "action.snooze"),
            {"type": "overflow", "action_id": "action.more",
             "options": [option("Reassign", "reassign"), option("Delete", "delete")]},
        ]},
        {"type": "context", "elements": [md("Raised at the 3 June meeting"),
                                         {"type": "image", "image_url": "https://example.com/a.png",
                                          "alt_text": "board logo"}]},
        {"type": "divider"},
        {"type": "image", "image_url": "https://example.com/chart.png", "alt_text": "chart", "title": pt("Trend")},
        {"type": "rich_text", "elements": [{"type": "rich_text_section",
                                            "elements": [{"type": "text", "text": "hello"}]}]},
    ]


def modal_view() -> dict:
    groups = [
        {"label": pt("Boards"), "options": [option("Finance", "board:1"), option("Audit", "board:2")]},
        {"label": pt("Committees"), "options": [option("Remuneration", "board:3")]},
    ]
    return {
        "type": "modal", "callback_id": "action.new",
        "title": pt("New action"), "submit": pt("Save"), "close": pt("Cancel"),
        "private_metadata": json.dumps({"channel": "C1"}),
        "blocks": [
            {"type": "section", "text": md("Raise an action for a board.")},
            {"type": "input", "block_id": "title", "label": pt("Action"),
             "hint": pt("What should be done"),
             "element": {"type": "plain_text_input", "action_id": "text", "multiline": True,
                         "max_length": 2900, "initial_value": "Circulate the budget",
                         "placeholder": pt("Describe the action")}},
            {"type": "input", "block_id": "due", "label": pt("Due"), "optional": True,
             "element": {"type": "datepicker", "action_id": "date", "initial_date": "2025-06-12",
                         "placeholder": pt("Pick a date")}},
            {"type": "input", "block_id": "at", "label": pt("At"), "optional": True,
             "element": {"type": "timepicker", "action_id": "time", "initial_time": "09:30"}},
            {"type": "input", "block_id": "owners", "label": pt("Owners"),
             "element": {"type": "multi_users_select", "action_id": "users", "initial_users": ["U1"],
                         "max_selected_items": 5, "placeholder": pt("Who")}},
            {"type": "input", "block_id": "board", "label": pt("Board"),
             "element": {"type": "static_select", "action_id": "board", "option_groups": groups,
                         "initial_option": option("Audit", "board:2")}},
            {"type": "input", "block_id": "where", "label": pt("Post in"), "optional": True,
             "element": {"type": "conversations_select", "action_id": "channel"}},
            {"type": "input", "block_id": "flags", "label": pt("Options"), "optional": True,
             "element": {"type": "checkboxes", "action_id": "flags",
                         "options": [{"text": md("*Remind* owners"), "value": "remind"},
                                     option("Private", "private")],
                         "initial_options": [{"text": md("*Remind* owners"), "value": "remind"}]}},
        ],
    }


def home_view() -> dict:
    blocks = [{"type": "header", "text": pt("Clerk — Ada")}, {"type": "section", "text": md("*Your open actions (2)*")}]
    for n in (17, 18):  # the same action_ids in every row's actions block, as render.home does
        blocks += [{"type": "section", "text": md(f"*A-{n}* something")},
                   {"type": "actions", "block_id": f"action-{n}",
                    "elements": [button("Mark done", "action.done"), button("Snooze a week", "action.snooze")]}]
    blocks += [{"type": "divider"}, {"type": "context", "elements": [md("… and 3 more")]}]
    return {"type": "home", "blocks": blocks}


# -- what passes ---------------------------------------------------------------------------------

def test_typical_message_passes():
    assert problems("message", blocks=message_blocks(), text="Finance Committee — actions") == []


def test_text_only_and_blocks_only_messages_pass():
    assert problems("message", text="hello") == []
    assert problems("message", blocks=[{"type": "divider"}]) == []


def test_typical_modal_passes():
    assert problems("modal", view=modal_view()) == []


def test_typical_home_view_passes():
    assert problems("home", view=home_view()) == []


def test_json_strings_are_decoded():
    assert problems("message", blocks=json.dumps(message_blocks())) == []
    assert problems("modal", view=json.dumps(modal_view())) == []
    assert problems("message", blocks="[{") != []


def test_limits_are_inclusive():
    blocks = [{"type": "section", "text": md("x" * 3000), "block_id": "b" * 255}] + [{"type": "divider"}] * 49
    assert problems("message", blocks=blocks, text="x" * 40_000) == []
    view = modal_view()
    view["title"] = pt("t" * 24)
    view["callback_id"] = "c" * 255
    view["private_metadata"] = "m" * 3000
    view["blocks"] += [{"type": "divider"}] * (100 - len(view["blocks"]))
    assert problems("modal", view=view) == []


def test_bad_arguments_raise():
    with pytest.raises(ValueError):
        problems("dialog", text="x")
    with pytest.raises(ValueError):
        problems("message", view={"type": "modal"})
    with pytest.raises(ValueError):
        problems("home", blocks=[])


# -- what is refused -----------------------------------------------------------------------------

def one(kind: str, expected: str, **payload) -> None:
    found = problems(kind, **payload)
    assert any(expected in p for p in found), found


def msg(*blocks: dict) -> dict:
    return {"blocks": list(blocks), "text": "fallback"}


def modal_with(*blocks: dict, **fields) -> dict:
    view = {"type": "modal", "title": pt("Title"), "submit": pt("Save"), "blocks": list(blocks)}
    view.update(fields)
    return {"view": view}


def section(text: str = "hi", **extra) -> dict:
    return {"type": "section", "text": md(text), **extra}


def actions(*elements: dict, **extra) -> dict:
    return {"type": "actions", "elements": list(elements), **extra}


def input_block(element: dict, **extra) -> dict:
    return {"type": "input", "label": pt("Label"), "element": element, **extra}


def select(**extra) -> dict:
    return {"type": "static_select", "action_id": "s", "options": [option("A", "a"), option("B", "b")], **extra}


REFUSED = [
    # messages
    ("message", "blocks: 51 blocks > 50", {"blocks": [{"type": "divider"}] * 51}),
    ("message", "text: 40001 characters > 40000", {"text": "x" * 40_001}),
    ("message", "needs text or blocks", {}),
    ("message", "needs text or blocks", {"text": "", "blocks": []}),
    # views
    ("modal", "view.blocks: 101 blocks > 100", modal_with(*[{"type": "divider"}] * 101)),
    ("home", "view.blocks: 101 blocks > 100", {"view": {"type": "home", "blocks": [{"type": "divider"}] * 101}}),
    ("modal", "view.title.text: 25 characters > 24", modal_with(title=pt("x" * 25))),
    ("modal", "view.title: missing", {"view": {"type": "modal", "blocks": []}}),
    ("modal", "view.title.type: must be plain_text", modal_with(title=md("Title"))),
    ("modal", "view.submit.text: 25 characters > 24", modal_with(submit=pt("x" * 25))),
    ("modal", "view.close.text: 25 characters > 24", modal_with(close=pt("x" * 25))),
    ("modal", "view.private_metadata: 3001 characters > 3000", modal_with(private_metadata="x" * 3001)),
    ("home", "view.private_metadata: 3001 characters > 3000",
     {"view": {"type": "home", "blocks": [], "private_metadata": "x" * 3001}}),
    ("modal", "view.callback_id: 256 characters > 255", modal_with(callback_id="x" * 256)),
    ("modal", "view.submit: required", {"view": {"type": "modal", "title": pt("T"),
                                                  "blocks": [input_block({"type": "plain_text_input"})]}}),
    ("modal", "view.type: 'home', expected 'modal'", {"view": {"type": "home", "title": pt("T"), "blocks": []}}),
    ("home", "view.blocks: missing", {"view": {"type": "home"}}),
    # every block
    ("message", "blocks[0].block_id: 256 characters > 255", msg(section(block_id="x" * 256))),
    ("message", "blocks[0].block_id: empty", msg(section(block_id=""))),
    ("message", "blocks[1].block_id: 'a' already used by blocks[0]",
     msg(section(block_id="a"), {"type": "divider", "block_id": "a"})),
    ("modal", "view.blocks[1].block_id: 'a' already used",
     modal_with(input_block({"type": "plain_text_input"}, block_id="a"),
                input_block({"type": "plain_text_input"}, block_id="a"))),
    ("message", "blocks[0].type: unknown block type 'sektion'", msg({"type": "sektion", "text": md("x")})),
    ("message", "blocks[0].type: unknown block type None", msg({"text": md("x")})),
    # section
    ("message", "blocks[0].text.text: 3001 characters > 3000", msg(section("x" * 3001))),
    ("message", "blocks[0].text.text: empty", msg(section(""))),
    ("message", "blocks[0].fields: 11 items > 10", msg({"type": "section", "fields": [md("f")] * 11})),
    ("message", "blocks[0].fields[1].text: 2001 characters > 2000",
     msg({"type": "section", "fields": [md("f"), md("x" * 2001)]})),
    ("message", "blocks[0]: a section needs text or fields", msg({"type": "section"})),
    ("message", "blocks[0].accessory.text.text: 76 characters > 75", msg(section(accessory=button("x" * 76)))),
    ("message", "blocks[0].accessory.type: 'plain_text_input' is not an element allowed in a section",
     msg(section(accessory={"type": "plain_text_input", "action_id": "t"}))),
    # header
    ("message", "blocks[0].text.type: must be plain_text", msg({"type": "header", "text": md("Hi")})),
    ("message", "blocks[0].text.text: 151 characters > 150", msg({"type": "header", "text": pt("x" * 151)})),
    ("message", "blocks[0].text: missing", msg({"type": "header"})),
    # context
    ("message", "blocks[0].elements: 11 elements > 10", msg({"type": "context", "elements": [md("c")] * 11})),
    ("message", "blocks[0].elements[0].type: 'button' not allowed in a context block",
     msg({"type": "context", "elements": [button()]})),
    # actions
    ("message", "blocks[0].elements: 26 elements > 25",
     msg(actions(*[button(action_id=f"b{i}") for i in range(26)]))),
    ("message", "blocks[0].elements: empty", msg(actions())),
    ("message", "blocks[0].elements[0].type: 'plain_text_input' is not an element allowed in an actions block",
     msg(actions({"type": "plain_text_input", "action_id": "t"}))),
    ("message", "blocks[0].elements[0].type: 'image' is not an element allowed in an actions block",
     msg(actions({"type": "image", "image_url": "https://x", "alt_text": "x"}))),
    # input
    ("modal", "view.blocks[0].label.text: 2001 characters > 2000",
     modal_with(input_block({"type": "plain_text_input"}, label=pt("x" * 2001)))),
    ("modal", "view.blocks[0].label.type: must be plain_text",
     modal_with(input_block({"type": "plain_text_input"}, label=md("Label")))),
    ("modal", "view.blocks[0].hint.text: 2001 characters > 2000",
     modal_with(input_block({"type": "plain_text_input"}, hint=pt("x" * 2001)))),
    ("modal", "view.blocks[0].element: missing", modal_with({"type": "input", "label": pt("L")})),
    ("modal", "view.blocks[0].elements: an input block takes exactly one",
     modal_with({"type": "input", "label": pt("L"), "element": {"type": "plain_text_input"},
                 "elements": [{"type": "plain_text_input"}]})),
    ("modal", "view.blocks[0].element: not an object (list)",
     modal_with({"type": "input", "label": pt("L"), "element": [{"type": "plain_text_input"}]})),
    ("modal", "view.blocks[0].element.type: 'button' is not an element allowed in an input block",
     modal_with(input_block(button()))),
    # image
    ("message", "blocks[0].image_url: 3001 characters > 3000",
     msg({"type": "image", "image_url": "h" * 3001, "alt_text": "a"})),
    ("message", "blocks[0].alt_text: missing", msg({"type": "image", "image_url": "https://x"})),
    # text objects
    ("message", "blocks[0].text.type: 'markdown' is not plain_text or mrkdwn",
     msg({"type": "section", "text": {"type": "markdown", "text": "x"}})),
    ("message", "blocks[0].text: not a text object (str)", msg({"type": "section", "text": "plain string"})),
    ("message", "blocks[0].fields[0].text: empty", msg({"type": "section", "fields": [pt("")]})),
    # buttons
    ("message", "blocks[0].elements[0].text.text: 76 characters > 75", msg(actions(button("x" * 76)))),
    ("message", "blocks[0].elements[0].text.type: must be plain_text",
     msg(actions({"type": "button", "text": md("Go"), "action_id": "b"}))),
    ("message", "blocks[0].elements[0].value: 2001 characters > 2000", msg(actions(button(value="x" * 2001)))),
    ("message", "blocks[0].elements[0].url: 3001 characters > 3000", msg(actions(button(url="h" * 3001)))),
    ("message", "blocks[0].elements[0].style: 'green' is not primary or danger", msg(actions(button(style="green")))),
    ("message", "blocks[0].elements[0].action_id: 256 characters > 255", msg(actions(button(action_id="x" * 256)))),
    ("message", "blocks[0].elements[1].action_id: 'go' already used in this block",
     msg(actions(button(action_id="go"), button(action_id="go")))),
    # static selects
    ("message", "blocks[0].elements[0].options: 101 options > 100",
     msg(actions(select(options=[option(f"o{i}", f"v{i}") for i in range(101)])))),
    ("message", "blocks[0].elements[0].option_groups: 101 groups > 100",
     msg(actions({"type": "static_select", "action_id": "s",
                  "option_groups": [{"label": pt("g"), "options": [option("o", "v")]}] * 101}))),
    ("message", "blocks[0].elements[0].option_groups[0].options: 101 options > 100",
     msg(actions({"type": "static_select", "action_id": "s",
                  "option_groups": [{"label": pt("g"), "options": [option("o", "v")] * 101}]}))),
    ("message", "blocks[0].elements[0].option_groups[0].label.text: 76 characters > 75",
     msg(actions({"type": "static_select", "action_id": "s",
                  "option_groups": [{"label": pt("g" * 76), "options": [option("o", "v")]}]}))),
    ("message", "blocks[0].elements[0]: give options or option_groups, not both",
     msg(actions(select(option_groups=[{"label": pt("g"), "options": [option("o", "v")]}])))),
    ("message", "blocks[0].elements[0]: a static select needs options or option_groups",
     msg(actions({"type": "static_select", "action_id": "s"}))),
    ("message", "blocks[0].elements[0].options[0].text.text: 76 characters > 75",
     msg(actions(select(options=[option("x" * 76, "v")])))),
    ("message", "blocks[0].elements[0].options[0].text.type: must be plain_text",
     msg(actions(select(options=[{"text": md("*A*"), "value": "a"}])))),
    ("message", "blocks[0].elements[0].options[0].value: 151 characters > 150",
     msg(actions(select(options=[option("A", "v" * 151)])))),
    ("message", "blocks[0].elements[0].options[0].description.text: 76 characters > 75",
     msg(actions(select(options=[{"text": pt("A"), "value": "a", "description": pt("d" * 76)}])))),
    ("message", "blocks[0].elements[0].initial_option: does not exactly match",
     msg(actions(select(initial_option=option("C", "c"))))),
    ("message", "blocks[0].elements[0].initial_option: does not exactly match",
     msg(actions(select(initial_option=option("Renamed", "a"))))),
    ("modal", "view.blocks[0].element.initial_options[0]: does not exactly match",
     modal_with(input_block({"type": "multi_static_select", "action_id": "m",
                             "options": [option("A", "a")], "initial_options": [option("B", "b")]}))),
    ("message", "blocks[0].elements[0].placeholder.text: 151 characters > 150",
     msg(actions(select(placeholder=pt("p" * 151))))),
    ("message", "blocks[0].elements[0].placeholder.type: must be plain_text",
     msg(actions(select(placeholder=md("pick"))))),
    ("modal", "view.blocks[0].element.max_selected_items: 0 is not an integer of at least 1",
     modal_with(input_block({"type": "multi_users_select", "action_id": "u", "max_selected_items": 0}))),
    # plain_text_input
    ("modal", "view.blocks[0].element.max_length: 3001 is not between 1 and 3000",
     modal_with(input_block({"type": "plain_text_input", "max_length": 3001}))),
    ("modal", "view.blocks[0].element.max_length: 0 is not between 1 and 3000",
     modal_with(input_block({"type": "plain_text_input", "max_length": 0}))),
    ("modal", "view.blocks[0].element.initial_value: 11 characters > max_length 10",
     modal_with(input_block({"type": "plain_text_input", "max_length": 10, "initial_value": "x" * 11}))),
    ("modal", "view.blocks[0].element.min_length: 20 > max_length 10",
     modal_with(input_block({"type": "plain_text_input", "max_length": 10, "min_length": 20}))),
    ("modal", "view.blocks[0].element.placeholder.text: 151 characters > 150",
     modal_with(input_block({"type": "plain_text_input", "placeholder": pt("p" * 151)}))),
    # date and time pickers
    ("modal", "view.blocks[0].element.initial_date: '12/06/2025' is not a date in the format YYYY-MM-DD",
     modal_with(input_block({"type": "datepicker", "initial_date": "12/06/2025"}))),
    ("modal", "view.blocks[0].element.initial_date: '2025-02-30' is not a date",
     modal_with(input_block({"type": "datepicker", "initial_date": "2025-02-30"}))),
    ("modal", "view.blocks[0].element.initial_time: '9:30' is not a 24-hour time HH:mm",
     modal_with(input_block({"type": "timepicker", "initial_time": "9:30"}))),
    # checkboxes, radio buttons, overflow
    ("modal", "view.blocks[0].element.options: 11 options > 10",
     modal_with(input_block({"type": "checkboxes", "options": [option(f"o{i}", f"v{i}") for i in range(11)]}))),
    ("modal", "view.blocks[0].element.initial_options[0]: does not exactly match",
     modal_with(input_block({"type": "checkboxes", "options": [option("A", "a")],
                             "initial_options": [option("Z", "z")]}))),
    ("modal", "view.blocks[0].element.options: 11 options > 10",
     modal_with(input_block({"type": "radio_buttons", "options": [option(f"o{i}", f"v{i}") for i in range(11)]}))),
    ("message", "blocks[0].elements[0].options: 6 options > 5",
     msg(actions({"type": "overflow", "options": [option(f"o{i}", f"v{i}") for i in range(6)]}))),
    ("message", "blocks[0].elements[0].options[0].url: only overflow menu options take a url",
     msg(actions(select(options=[{"text": pt("A"), "value": "a", "url": "https://x"}])))),
]


@pytest.mark.parametrize("kind, expected, payload", REFUSED, ids=[r[1][:60] for r in REFUSED])
def test_refused(kind, expected, payload):
    one(kind, expected, **payload)


def test_same_action_id_in_different_blocks_is_allowed():
    blocks = [actions(button(action_id="done"), block_id="a1"), actions(button(action_id="done"), block_id="a2")]
    assert problems("message", blocks=blocks, text="t") == []


def test_mrkdwn_option_text_is_allowed_in_checkboxes_only():
    box = {"type": "checkboxes", "action_id": "c", "options": [{"text": md("*A*"), "value": "a"}]}
    assert problems("message", blocks=[actions(box)], text="t") == []


def test_each_problem_is_reported_with_its_path():
    view = modal_view()
    view["title"] = pt("x" * 30)
    view["blocks"][1]["element"]["initial_value"] = "y" * 2901
    view["blocks"][5]["element"]["initial_option"] = option("Nope", "board:9")
    found = problems("modal", view=view)
    assert found == [
        "view.blocks[1].element.initial_value: 2901 characters > max_length 2900",
        "view.blocks[5].element.initial_option: does not exactly match one of the options "
        "(text 'Nope', value 'board:9')",
        "view.title.text: 30 characters > 24",
    ]


def test_inputs_are_not_modified():
    view, blocks = modal_view(), message_blocks()
    before = copy.deepcopy((view, blocks))
    problems("modal", view=view)
    problems("message", blocks=blocks, text="t")
    assert (view, blocks) == before
