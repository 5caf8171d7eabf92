"""Help that teaches, in the board's own words: generated from the grammar's registry, so every
verb's usage and examples are written once."""
from __future__ import annotations

import datetime as dt

from grammar.commands import Help
from grammar.language import all_verbs
from grammar.registry import NOUNS, dated, verbs_of
from render.fmt import Plain
from service.turn import Said, Turn, runs

ABOUT = {"action": "the action log", "plan": "the forward plan", "meeting": "the board's meetings",
         "clerk": "boards, people and settings"}
FORMS = ("Refs: 74/18, 74, #74 or Action 74 · Dates: 14/12, 22 December, end of January, next Friday, "
         "in 2 weeks, next meeting · Owners: @someone, AH, AH and VH, SH/VH. The same words work in a DM to Clerk "
         "and after @Clerk in a channel, without the slash. A title with clause words in it goes in quotes.")


def help_text(noun: str, topic: str | None, fmt: Plain, today: dt.date) -> list[str]:
    if not noun:
        lines = [fmt.bold("Clerk keeps the action log and forward plan — what you can type")]
        lines += [f"• {fmt.esc(f'/{n} help')}: {ABOUT[n]}" for n in NOUNS]
        lines += [fmt.bold("Most used")] + [f"• {fmt.esc(v.usage)}" for v in all_verbs()
                                             if v.key in ("action new", "action update", "action close", "action list",
                                                          "plan add", "meeting add")]
        return lines + [FORMS]
    verbs = [v for v in verbs_of(noun) if not topic or v.name == topic]
    lines = [fmt.bold(f"/{noun} — {ABOUT[noun]}: what you can type")]
    lines += [f"• {fmt.esc(v.usage)}" for v in verbs or verbs_of(noun)]
    if not topic:
        lines.append(fmt.bold("Examples"))
        lines += [f"• {label}: {fmt.esc(dated(example, today))}" for v in verbs
                  for label, example in v.examples]
        lines.append(FORMS)
    return lines


@runs(Help)
def show_help(turn: Turn, cmd: Help) -> Said:
    return Said(help_text(cmd.about, cmd.topic, turn.fmt, turn.today))


def command_list() -> str:
    """Every verb's usage, as the README lists them (tests/test_readme.py keeps the two equal)."""
    return "\n".join(v.usage for v in all_verbs())


def permission_table() -> str:
    """Who may do what, as the README shows it: store.permissions.POLICY, the table the code asks,
    with the commands that ask each row."""
    from store.permissions import NOTES, POLICY, ROLES, Act

    commands = {act: sorted({f"/{v.key}" for v in all_verbs() if act in v.acts}) for act in Act}
    head = "| who may … | commands | " + " | ".join(ROLES) + " |"
    rule = "|---|---|" + "---|" * len(ROLES)
    commands[Act.HELP] = ["/action help", "/plan help", "/meeting help", "/clerk help"]
    commands[Act.READ_PART_B] = ["any that shows a Part B item"]
    rows = [f"| {act.value} | {', '.join(commands[act])} | "
            + " | ".join("✓" if role in POLICY[act] else "—" for role in ROLES) + " |" for act in Act]
    notes = [f"- *{act.value}*: {note}." for act, note in NOTES.items()]
    return "\n".join([head, rule, *rows, "", *notes])
