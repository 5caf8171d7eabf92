"""Help that teaches, in the board's own words."""
from __future__ import annotations

from grammar.commands import USAGE
from render.fmt import Plain

EXAMPLES = {
    "action": [
        ("Raise an action", "action new Circulate the updated OSG paper owner DM due 14/12"),
        ("Several owners, a Part B item", "action new Timeline for the DVPO study owner AH and VH due end of January private"),
        ("Add a dated update", "action update 74/18 Paper prepared on cashable savings; to the 3 January meeting"),
        ("Close it", "action close 85/18 Completed"),
        ("Close it once something happens", "action close 66/18 when evaluation of the updated paper"),
        ("Chair or secretary confirms", "action confirm 66/18"),
        ("Reopen, move, reassign", "action reopen 81/18 · action due 74/18 3 January 2019 · action assign 91/18 AH and VH"),
        ("See one, or a list", "action show 74/18 · action list mine · action list overdue · action list VH"),
        ("The chair's view", "action digest"),
    ],
    "meeting": [
        ("Add a meeting", "meeting add 3 January 2019 10am"),
        ("A provisional one", "meeting add 9 February 2016 1pm provisional"),
        ("A series", "meeting add first Thursday of every month until July 2027"),
        ("Cancel (its papers wait in that month)", "meeting cancel 3 January 2019"),
        ("What is coming", "meeting list"),
    ],
    "plan": [
        ("A paper for a meeting", "plan add Update on Mobile Policing for 3 January 2019 owner AH"),
        ("A quarterly rolling report", "plan add Crime Prevention Strategy Action Plan quarterly from March 2019 owner VH"),
        ("Added once a date is identified", "plan add DVPO and DVPN study for tbc owner AH and VH"),
        ("Move, drop, paper in", "plan move FP-3 to April 2019 · plan drop FP-4 removed from April · plan received FP-1"),
        ("The plan", "plan list · plan list March 2019 · plan list tbc"),
    ],
    "clerk": [
        ("Set up a board", "clerk board P&R chair JG secretary GA channel #pr-board"),
        ("Register someone", "clerk person AH @anna.hook   ·   clerk person GN Gareth Nicholson (not on Slack)"),
        ("Board settings", "clerk settings closure chair-confirms · clerk settings numbering municipal-year · "
                           "clerk settings paper-deadline 10 publication 5"),
    ],
}


def help_text(noun: str, topic: str | None, fmt: Plain) -> list[str]:
    lines = [fmt.bold(f"/{noun} — what you can type")]
    for name, usage in USAGE.items():
        if name.startswith(noun + " ") and not name.endswith(" help") and (not topic or name.endswith(" " + topic)):
            lines.append(f"• {fmt.esc(usage)}")
    if not topic:
        lines.append(fmt.bold("Examples"))
        lines += [f"• {label}: {fmt.esc(example)}" for label, example in EXAMPLES.get(noun, [])]
        lines.append("Refs: 74/18, 74, #74 or Action 74 · Dates: 14/12, 22 December, end of January, next Friday, "
                     "in 2 weeks · Owners: @someone, AH, AH and VH, SH/VH. The same words work in a DM to Clerk "
                     "and after @Clerk in a channel, without the slash.")
    return lines
