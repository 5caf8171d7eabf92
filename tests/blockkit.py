"""Slack Block Kit limits, checked the way Slack's Web API checks them.

The fake Slack Web API uses this to refuse what real Slack refuses: where Slack answers
`invalid_blocks` (chat.*) or `invalid_arguments` (views.*), `problems()` returns at least one line
naming the JSON path and the broken rule, e.g. "blocks[3].text.text: 3012 characters > 3000".

    problems("message", blocks=[...], text="...")   chat.postMessage / postEphemeral / update,
                                                     response_url posts
    problems("modal", view={...})                    views.open / views.push / views.update
    problems("home", view={...})                     views.publish

Pure stdlib. Lengths are counted in Python characters (code points).

Where each limit comes from (Slack's reference pages on docs.slack.dev / api.slack.com):
  Messages      reference/block-kit/blocks: "up to 50 blocks in each message, and 100 blocks in
                modals or Home tabs". chat.postMessage: one of `text` / `blocks` / `attachments` is
                required (`no_text`). `text` over 40,000 characters is *truncated* with a
                `message_truncated` warning rather than refused (changelog 2018-04 "Truncating
                really long messages"); it is flagged here anyway because the reader loses the rest.
  Views         reference/views/modal-views: `title` plain_text max 24; `close`, `submit`
                plain_text max 24; "submit is required when an input block is within the blocks
                array"; `blocks` max 100; `private_metadata` max 3000; `callback_id` max 255.
                Home views: blocks max 100 (blocks page); private_metadata max 3000 and
                callback_id max 255 are shared by both view types (@slack/types BaseView).
  Every block   `block_id` max 255 ("Maximum length for this field is 255 characters", each block
                page); Slack's published JSON schema (api.slack.com/json-schema/block-kit) gives
                minLength 1. Unique within the message/view: Slack answers "Block ID needs to be
                unique" / invalid_arguments (slack-go/slack#725, #823).
  section       `text` 1..3000 ("Minimum length for the text in this field is 1 and maximum
                length is 3000"); `fields` max 10 items, each max 2000; `fields` "Required if no
                text is provided"; `accessory` one of the section-compatible elements.
  header        `text` a plain_text object, max 150.
  context       `elements` image elements and text objects, max 10.
  actions       `elements` interactive elements, max 25 (the schema: minItems 1).
  input         `label` plain_text max 2000, `hint` plain_text max 2000, one `element`.
  image block   `image_url` max 3000, `alt_text` max 2000, `title` plain_text max 2000.
  text object   type `plain_text` or `mrkdwn`; text max 3000 (schema: minLength 1).
  button        `text` plain_text max 75; `value` max 2000; `url` max 3000; `style` primary or
                danger.
  action_id     max 255 (schema: minLength 1). Slack documents it as "unique among all other
                action_ids in the containing block" and refuses duplicates *within a block*
                (invalid_blocks, e.g. fabro-sh/fabro#251, knacklabs/gantry#458). The same
                action_id in two different blocks is legal (and is how a list of rows each with a
                "Mark done" button is built), so it is not refused.
  placeholder   plain_text max 150 (select menus, date/time pickers, plain_text_input).
  select menus  static: `options` max 100 or `option_groups` max 100 (not both); option group
                `label` plain_text max 75, `options` max 100 (composition-objects/option-group);
                `initial_option(s)` "exactly matches one of the options"; multi-selects:
                `max_selected_items` minimum 1.
  option object `text` max 75 (plain_text only in select and overflow menus; checkboxes and radio
                buttons may use mrkdwn); `value` max 150; `description` max 75
                (composition-objects/option-object).
  checkboxes    `options` max 10; radio_buttons `options` max 10; overflow `options` 1..5.
  plain_text_input  `max_length` 1..3000, `min_length` 0..3000 (plain-text-input-element); an
                `initial_value` longer than `max_length` is refused here too.
  datepicker    `initial_date` "in the format YYYY-MM-DD"; timepicker `initial_time` "HH:mm".
Not checked (unsure Slack enforces them, or not used by Clerk): rich_text internals, the
cumulative `msg_blocks_too_long` size, confirm dialogs, element surface restrictions beyond the
per-block element lists below.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

MESSAGE_MAX_BLOCKS = 50
VIEW_MAX_BLOCKS = 100
MESSAGE_MAX_TEXT = 40_000
VIEW_TITLE_MAX = 24  # title, submit, close
PRIVATE_METADATA_MAX = 3000
CALLBACK_ID_MAX = 255
BLOCK_ID_MAX = 255
ACTION_ID_MAX = 255
TEXT_OBJECT_MAX = 3000
SECTION_TEXT_MAX = 3000
SECTION_FIELDS_MAX = 10
SECTION_FIELD_MAX = 2000
HEADER_TEXT_MAX = 150
CONTEXT_ELEMENTS_MAX = 10
ACTIONS_ELEMENTS_MAX = 25
INPUT_LABEL_MAX = 2000
INPUT_HINT_MAX = 2000
IMAGE_URL_MAX = 3000
ALT_TEXT_MAX = 2000
IMAGE_TITLE_MAX = 2000
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
BUTTON_URL_MAX = 3000
PLACEHOLDER_MAX = 150
SELECT_OPTIONS_MAX = 100
OPTION_GROUPS_MAX = 100
OPTION_GROUP_LABEL_MAX = 75
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
OPTION_DESCRIPTION_MAX = 75
CHECKBOX_OPTIONS_MAX = 10
RADIO_OPTIONS_MAX = 10
OVERFLOW_OPTIONS_MAX = 5
TEXT_INPUT_LENGTH_MAX = 3000

KINDS = ("message", "modal", "home")
BLOCK_TYPES = ("section", "header", "context", "divider", "actions", "input", "image", "rich_text")

_SELECTS = ("static_select", "external_select", "users_select", "conversations_select", "channels_select")
_MULTI_SELECTS = tuple("multi_" + s for s in _SELECTS)
# Which elements each place accepts (the "Works with block types" lists of each element's page).
ACTIONS_ELEMENTS = frozenset(("button", "checkboxes", "datepicker", "datetimepicker", "overflow",
                              "radio_buttons", "timepicker", *_SELECTS, *_MULTI_SELECTS))
ACCESSORY_ELEMENTS = frozenset(("button", "checkboxes", "datepicker", "image", "overflow", "radio_buttons",
                                "timepicker", *_SELECTS, *_MULTI_SELECTS))
INPUT_ELEMENTS = frozenset(("plain_text_input", "checkboxes", "radio_buttons", "datepicker", "timepicker",
                            "datetimepicker", "email_text_input", "url_text_input", "number_input",
                            *_SELECTS, *_MULTI_SELECTS))
_WITH_PLACEHOLDER = frozenset(("datepicker", "timepicker", "plain_text_input", "email_text_input",
                               "url_text_input", "number_input", *_SELECTS, *_MULTI_SELECTS))

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d")


def problems(payload_kind: str, *, blocks: Any = None, text: Any = None, view: Any = None) -> list[str]:
    """Everything in this payload real Slack would refuse; an empty list when it would accept it.

    `blocks` and `view` may be given decoded or as the JSON strings a form-encoded call carries."""
    if payload_kind not in KINDS:
        raise ValueError(f"payload_kind must be one of {KINDS}, not {payload_kind!r}")
    if payload_kind == "message":
        if view is not None:
            raise ValueError("a message takes blocks and text, not a view")
        return _Checker().message(blocks, text)
    if blocks is not None or text is not None:
        raise ValueError(f"a {payload_kind} view takes view=..., not blocks or text")
    return _Checker().view(payload_kind, view)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


class _Checker:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.block_ids: dict[str, str] = {}

    def add(self, path: str, problem: str) -> None:
        self.out.append(f"{path}: {problem}")

    # -- payloads -------------------------------------------------------------------------------

    def message(self, blocks: Any, text: Any) -> list[str]:
        blocks = self._decode(blocks, "blocks")
        if text is not None and not isinstance(text, str):
            self.add("text", f"not a string ({type(text).__name__})")
        elif isinstance(text, str) and len(text) > MESSAGE_MAX_TEXT:
            self.add("text", f"{len(text)} characters > {MESSAGE_MAX_TEXT} (Slack truncates the rest)")
        if not text and not blocks:
            self.add("message", "needs text or blocks (Slack: no_text)")
        if blocks is not None:
            self.blocks(blocks, "blocks", MESSAGE_MAX_BLOCKS)
        return self.out

    def view(self, kind: str, view: Any) -> list[str]:
        view = self._decode(view, "view")
        if view is None:
            self.add("view", "missing")
            return self.out
        if not isinstance(view, dict):
            self.add("view", f"not an object ({type(view).__name__})")
            return self.out
        if view.get("type") != kind:
            self.add("view.type", f"{view.get('type')!r}, expected {kind!r}")
        if "blocks" not in view:
            self.add("view.blocks", "missing")
        else:
            self.blocks(view["blocks"], "view.blocks", VIEW_MAX_BLOCKS)
        self._string(view, "private_metadata", "view", PRIVATE_METADATA_MAX)
        self._string(view, "callback_id", "view", CALLBACK_ID_MAX)
        if kind == "modal":
            self.text(view.get("title"), "view.title", VIEW_TITLE_MAX, plain=True)
            for name in ("submit", "close"):
                if name in view:
                    self.text(view[name], f"view.{name}", VIEW_TITLE_MAX, plain=True)
            has_input = isinstance(view.get("blocks"), list) and any(
                isinstance(b, dict) and b.get("type") == "input" for b in view["blocks"])
            if has_input and "submit" not in view:
                self.add("view.submit", "required when the modal has an input block")
        return self.out

    def _decode(self, value: Any, path: str) -> Any:
        if isinstance(value, (str, bytes)):
            try:
                return json.loads(value)
            except ValueError as e:
                self.add(path, f"not valid JSON ({e})")
                return None
        return value

    # -- blocks ---------------------------------------------------------------------------------

    def blocks(self, blocks: Any, path: str, limit: int) -> None:
        if not isinstance(blocks, list):
            self.add(path, f"not an array ({type(blocks).__name__})")
            return
        if len(blocks) > limit:
            self.add(path, f"{_n(len(blocks), 'block')} > {limit}")
        for i, block in enumerate(blocks):
            self.block(block, f"{path}[{i}]")

    def block(self, block: Any, path: str) -> None:
        if not isinstance(block, dict):
            self.add(path, f"not an object ({type(block).__name__})")
            return
        kind = block.get("type")
        if kind not in BLOCK_TYPES:
            self.add(f"{path}.type", f"unknown block type {kind!r} (known: {', '.join(BLOCK_TYPES)})")
            return
        if "block_id" in block:
            block_id = block["block_id"]
            if self._id(block_id, f"{path}.block_id", BLOCK_ID_MAX):
                if block_id in self.block_ids:
                    self.add(f"{path}.block_id", f"{block_id!r} already used by {self.block_ids[block_id]}")
                else:
                    self.block_ids[block_id] = path
        getattr(self, f"_{kind}")(block, path)

    def _section(self, block: dict, path: str) -> None:
        has_text, has_fields = "text" in block, "fields" in block
        if not has_text and not has_fields:
            self.add(path, "a section needs text or fields")
        if has_text:
            self.text(block["text"], f"{path}.text", SECTION_TEXT_MAX)
        if has_fields:
            fields = block["fields"]
            if not isinstance(fields, list):
                self.add(f"{path}.fields", "not an array")
            else:
                if len(fields) > SECTION_FIELDS_MAX:
                    self.add(f"{path}.fields", f"{_n(len(fields), 'item')} > {SECTION_FIELDS_MAX}")
                if not fields and not has_text:
                    self.add(f"{path}.fields", "empty, and the section has no text")
                for i, item in enumerate(fields):
                    self.text(item, f"{path}.fields[{i}]", SECTION_FIELD_MAX)
        if "accessory" in block:
            self.element(block["accessory"], f"{path}.accessory", ACCESSORY_ELEMENTS, "a section accessory", {})

    def _header(self, block: dict, path: str) -> None:
        self.text(block.get("text"), f"{path}.text", HEADER_TEXT_MAX, plain=True)

    def _context(self, block: dict, path: str) -> None:
        elements = self._array(block, "elements", path, CONTEXT_ELEMENTS_MAX, "element")
        for i, element in enumerate(elements):
            here = f"{path}.elements[{i}]"
            if isinstance(element, dict) and element.get("type") == "image":
                self._image_element(element, here)
            elif isinstance(element, dict) and element.get("type") not in ("plain_text", "mrkdwn"):
                self.add(f"{here}.type", f"{element.get('type')!r} not allowed in a context block"
                                         " (image, plain_text or mrkdwn)")
            else:
                self.text(element, here, TEXT_OBJECT_MAX)

    def _divider(self, block: dict, path: str) -> None:
        pass

    def _actions(self, block: dict, path: str) -> None:
        elements = self._array(block, "elements", path, ACTIONS_ELEMENTS_MAX, "element")
        action_ids: dict[str, str] = {}
        for i, element in enumerate(elements):
            self.element(element, f"{path}.elements[{i}]", ACTIONS_ELEMENTS, "an actions block", action_ids)

    def _input(self, block: dict, path: str) -> None:
        self.text(block.get("label"), f"{path}.label", INPUT_LABEL_MAX, plain=True)
        if "hint" in block:
            self.text(block["hint"], f"{path}.hint", INPUT_HINT_MAX, plain=True)
        if "elements" in block:
            self.add(f"{path}.elements", "an input block takes exactly one `element`, not `elements`")
        if "element" not in block:
            self.add(f"{path}.element", "missing (an input block takes exactly one element)")
        else:
            self.element(block["element"], f"{path}.element", INPUT_ELEMENTS, "an input block", {})
        self._bool(block, "optional", path)
        self._bool(block, "dispatch_action", path)

    def _image(self, block: dict, path: str) -> None:
        self._image_element(block, path)
        if "title" in block:
            self.text(block["title"], f"{path}.title", IMAGE_TITLE_MAX, plain=True)

    def _rich_text(self, block: dict, path: str) -> None:
        elements = block.get("elements")
        if not isinstance(elements, list):
            self.add(f"{path}.elements", "missing or not an array")

    def _image_element(self, image: dict, path: str) -> None:
        if "image_url" not in image and "slack_file" not in image:
            self.add(path, "an image needs image_url or slack_file")
        self._string(image, "image_url", path, IMAGE_URL_MAX)
        if "alt_text" not in image:
            self.add(f"{path}.alt_text", "missing")
        self._string(image, "alt_text", path, ALT_TEXT_MAX)

    # -- elements -------------------------------------------------------------------------------

    def element(self, element: Any, path: str, allowed: frozenset[str], where: str,
                action_ids: dict[str, str]) -> None:
        if not isinstance(element, dict):
            self.add(path, f"not an object ({type(element).__name__})")
            return
        kind = element.get("type")
        if kind not in allowed:
            self.add(f"{path}.type", f"{kind!r} is not an element allowed in {where}")
            return
        if kind == "image":
            self._image_element(element, path)
            return
        if "action_id" in element:
            action_id = element["action_id"]
            if self._id(action_id, f"{path}.action_id", ACTION_ID_MAX):
                if action_id in action_ids:
                    self.add(f"{path}.action_id", f"{action_id!r} already used in this block by "
                                                  f"{action_ids[action_id]}")
                else:
                    action_ids[action_id] = path
        if kind in _WITH_PLACEHOLDER and "placeholder" in element:
            self.text(element["placeholder"], f"{path}.placeholder", PLACEHOLDER_MAX, plain=True)
        check = getattr(self, f"_el_{kind}", None)
        if check is not None:
            check(element, path)

    def _el_button(self, el: dict, path: str) -> None:
        self.text(el.get("text"), f"{path}.text", BUTTON_TEXT_MAX, plain=True)
        self._string(el, "value", path, BUTTON_VALUE_MAX)
        self._string(el, "url", path, BUTTON_URL_MAX)
        if "style" in el and el["style"] not in ("primary", "danger"):
            self.add(f"{path}.style", f"{el['style']!r} is not primary or danger")

    def _el_static_select(self, el: dict, path: str) -> None:
        keys = self._static_options(el, path)
        if "initial_option" in el:
            self._initial(el["initial_option"], f"{path}.initial_option", keys)

    def _el_multi_static_select(self, el: dict, path: str) -> None:
        keys = self._static_options(el, path)
        self._initial_options(el, path, keys)
        self._max_selected(el, path)

    def _el_multi_users_select(self, el: dict, path: str) -> None:
        self._max_selected(el, path)

    _el_multi_conversations_select = _el_multi_channels_select = _el_multi_external_select = _el_multi_users_select

    def _el_checkboxes(self, el: dict, path: str) -> None:
        keys = self._options(el, path, CHECKBOX_OPTIONS_MAX, plain=False, required=True)
        self._initial_options(el, path, keys)

    def _el_radio_buttons(self, el: dict, path: str) -> None:
        keys = self._options(el, path, RADIO_OPTIONS_MAX, plain=False, required=True)
        if "initial_option" in el:
            self._initial(el["initial_option"], f"{path}.initial_option", keys)

    def _el_overflow(self, el: dict, path: str) -> None:
        self._options(el, path, OVERFLOW_OPTIONS_MAX, plain=True, required=True, url=True)
        if el.get("options") == []:
            self.add(f"{path}.options", "empty (an overflow menu needs 1 to 5 options)")

    def _el_plain_text_input(self, el: dict, path: str) -> None:
        max_length = el.get("max_length")
        min_length = el.get("min_length")
        if max_length is not None and not (_is_int(max_length) and 1 <= max_length <= TEXT_INPUT_LENGTH_MAX):
            self.add(f"{path}.max_length", f"{max_length!r} is not between 1 and {TEXT_INPUT_LENGTH_MAX}")
            max_length = None
        if min_length is not None and not (_is_int(min_length) and 0 <= min_length <= TEXT_INPUT_LENGTH_MAX):
            self.add(f"{path}.min_length", f"{min_length!r} is not between 0 and {TEXT_INPUT_LENGTH_MAX}")
            min_length = None
        if max_length is not None and min_length is not None and min_length > max_length:
            self.add(f"{path}.min_length", f"{min_length} > max_length {max_length}")
        if "initial_value" in el:
            value = el["initial_value"]
            if not isinstance(value, str):
                self.add(f"{path}.initial_value", f"not a string ({type(value).__name__})")
            elif max_length is not None and len(value) > max_length:
                self.add(f"{path}.initial_value", f"{len(value)} characters > max_length {max_length}")
        self._bool(el, "multiline", path)

    def _el_datepicker(self, el: dict, path: str) -> None:
        if "initial_date" in el:
            value = el["initial_date"]
            ok = isinstance(value, str) and _DATE.fullmatch(value)
            if ok:
                try:
                    dt.date.fromisoformat(value)
                except ValueError:
                    ok = False
            if not ok:
                self.add(f"{path}.initial_date", f"{value!r} is not a date in the format YYYY-MM-DD")

    def _el_timepicker(self, el: dict, path: str) -> None:
        if "initial_time" in el:
            value = el["initial_time"]
            if not (isinstance(value, str) and _TIME.fullmatch(value)):
                self.add(f"{path}.initial_time", f"{value!r} is not a 24-hour time HH:mm")

    # -- options --------------------------------------------------------------------------------

    def _static_options(self, el: dict, path: str) -> set[tuple[Any, Any]]:
        has_options, has_groups = "options" in el, "option_groups" in el
        if has_options and has_groups:
            self.add(path, "give options or option_groups, not both")
        if not has_options and not has_groups:
            self.add(path, "a static select needs options or option_groups")
        keys: set[tuple[Any, Any]] = set()
        if has_options:
            keys |= self._options(el, path, SELECT_OPTIONS_MAX, plain=True, required=True)
        if has_groups:
            groups = el["option_groups"]
            if not isinstance(groups, list):
                self.add(f"{path}.option_groups", "not an array")
                return keys
            if len(groups) > OPTION_GROUPS_MAX:
                self.add(f"{path}.option_groups", f"{_n(len(groups), 'group')} > {OPTION_GROUPS_MAX}")
            for i, group in enumerate(groups):
                here = f"{path}.option_groups[{i}]"
                if not isinstance(group, dict):
                    self.add(here, f"not an object ({type(group).__name__})")
                    continue
                self.text(group.get("label"), f"{here}.label", OPTION_GROUP_LABEL_MAX, plain=True)
                keys |= self._options(group, here, SELECT_OPTIONS_MAX, plain=True, required=True)
        return keys

    def _options(self, el: dict, path: str, limit: int, *, plain: bool, required: bool,
                 url: bool = False) -> set[tuple[Any, Any]]:
        """The options' (text, value) keys, for matching initial_option(s)."""
        if "options" not in el:
            if required:
                self.add(f"{path}.options", "missing")
            return set()
        options = el["options"]
        if not isinstance(options, list):
            self.add(f"{path}.options", "not an array")
            return set()
        if len(options) > limit:
            self.add(f"{path}.options", f"{_n(len(options), 'option')} > {limit}")
        keys = set()
        for i, option in enumerate(options):
            key = self.option(option, f"{path}.options[{i}]", plain=plain, url=url)
            if key is not None:
                keys.add(key)
        return keys

    def option(self, option: Any, path: str, *, plain: bool, url: bool = False) -> tuple[Any, Any] | None:
        if not isinstance(option, dict):
            self.add(path, f"not an object ({type(option).__name__})")
            return None
        self.text(option.get("text"), f"{path}.text", OPTION_TEXT_MAX, plain=plain)
        if "value" in option:
            self._string(option, "value", path, OPTION_VALUE_MAX)
        if "description" in option:
            self.text(option["description"], f"{path}.description", OPTION_DESCRIPTION_MAX, plain=plain)
        if "url" in option:
            if url:
                self._string(option, "url", path, BUTTON_URL_MAX)
            else:
                self.add(f"{path}.url", "only overflow menu options take a url")
        return _option_key(option)

    def _initial(self, option: Any, path: str, keys: set[tuple[Any, Any]]) -> None:
        if not isinstance(option, dict):
            self.add(path, f"not an option object ({type(option).__name__})")
        elif _option_key(option) not in keys:
            shown = (option.get("text") or {}).get("text") if isinstance(option.get("text"), dict) else None
            self.add(path, f"does not exactly match one of the options (text {shown!r},"
                           f" value {option.get('value')!r})")

    def _initial_options(self, el: dict, path: str, keys: set[tuple[Any, Any]]) -> None:
        if "initial_options" not in el:
            return
        initial = el["initial_options"]
        if not isinstance(initial, list):
            self.add(f"{path}.initial_options", "not an array")
            return
        for i, option in enumerate(initial):
            self._initial(option, f"{path}.initial_options[{i}]", keys)

    def _max_selected(self, el: dict, path: str) -> None:
        if "max_selected_items" in el:
            value = el["max_selected_items"]
            if not (_is_int(value) and value >= 1):
                self.add(f"{path}.max_selected_items", f"{value!r} is not an integer of at least 1")

    # -- leaves ---------------------------------------------------------------------------------

    def text(self, obj: Any, path: str, limit: int, *, plain: bool = False) -> None:
        """A text object: plain_text (or mrkdwn where allowed), 1..limit characters."""
        if obj is None:
            self.add(path, "missing (a text object is required here)")
            return
        if not isinstance(obj, dict):
            self.add(path, f"not a text object ({type(obj).__name__})")
            return
        kind = obj.get("type")
        if kind not in ("plain_text", "mrkdwn"):
            self.add(f"{path}.type", f"{kind!r} is not plain_text or mrkdwn")
        elif plain and kind != "plain_text":
            self.add(f"{path}.type", f"must be plain_text here, not {kind}")
        value = obj.get("text")
        if not isinstance(value, str):
            self.add(f"{path}.text", "missing or not a string")
        elif not value:
            self.add(f"{path}.text", "empty (Slack needs at least 1 character)")
        elif len(value) > min(limit, TEXT_OBJECT_MAX):
            self.add(f"{path}.text", f"{len(value)} characters > {min(limit, TEXT_OBJECT_MAX)}")

    def _id(self, value: Any, path: str, limit: int) -> bool:
        if not isinstance(value, str):
            self.add(path, f"not a string ({type(value).__name__})")
            return False
        if not value:
            self.add(path, "empty")
            return False
        if len(value) > limit:
            self.add(path, f"{len(value)} characters > {limit}")
        return True

    def _string(self, obj: dict, name: str, path: str, limit: int) -> None:
        if name not in obj:
            return
        value = obj[name]
        if not isinstance(value, str):
            self.add(f"{path}.{name}", f"not a string ({type(value).__name__})")
        elif len(value) > limit:
            self.add(f"{path}.{name}", f"{len(value)} characters > {limit}")

    def _bool(self, obj: dict, name: str, path: str) -> None:
        if name in obj and not isinstance(obj[name], bool):
            self.add(f"{path}.{name}", f"not a boolean ({obj[name]!r})")

    def _array(self, block: dict, name: str, path: str, limit: int, noun: str) -> list:
        value = block.get(name)
        if not isinstance(value, list):
            self.add(f"{path}.{name}", "missing or not an array")
            return []
        if not value:
            self.add(f"{path}.{name}", f"empty (at least 1 {noun})")
        if len(value) > limit:
            self.add(f"{path}.{name}", f"{_n(len(value), noun)} > {limit}")
        return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _option_key(option: dict) -> tuple[Any, Any]:
    text = option.get("text")
    return (text.get("text") if isinstance(text, dict) else None, option.get("value"))
