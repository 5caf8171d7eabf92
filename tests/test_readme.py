"""The README a newcomer reads is true to the code: its first commands, the command list (from the
grammar's registry) and the permission table (from store.permissions)."""
import re
from pathlib import Path

from service.help import command_list, permission_table

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_it_starts_with_the_two_commands_that_work_on_a_fresh_machine():
    first_block = re.search(r"```sh\n(.*?)```", README, re.S).group(1).splitlines()
    assert [line.split("#")[0].strip() for line in first_block] == ["python3 tasks.py console", "python3 tasks.py test"]


def test_the_command_list_is_the_registrys():
    assert f"```\n{command_list()}\n```" in README


def test_the_permission_table_is_the_one_the_code_asks():
    assert permission_table() in README


def test_it_ends_with_the_map_for_developers():
    tail = README[README.index("## How it is built: a map for developers"):]
    for part in ("**The layers point one way**", "**The path of one command**", "**How to add a verb**"):
        assert part in tail
