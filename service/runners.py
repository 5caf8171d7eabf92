"""Every command's runner, found by the command's type. Importing the noun modules registers them
(service.turn.runs); a test checks that every verb of the grammar has one."""
from service import actions, help, people, planning
from service.turn import RUNNERS

__all__ = ["RUNNERS", "actions", "help", "people", "planning"]
