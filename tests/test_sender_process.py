"""The outbox sender in its own process (CLERK_SENDER=process, the default when serving): what a
command owes Slack goes out from it, a killed server leaves no sender behind, and a sender that
dies is replaced with nothing owed lost. CLERK_SENDER=thread serves the same way from one process."""
import contextlib
import os
import signal
import time
from pathlib import Path

import pytest

from tests.harness import post_text
from tests.test_reliability import Server, world  # noqa: F401 - the fixture

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc for the processes")


def children(pid: int) -> dict[int, str]:
    """The live processes whose parent is `pid`, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found[int(entry.name)] = cmdline
    return found


def sender_of(server: Server) -> int | None:
    spawned = [pid for pid, cmd in children(server.proc.pid).items() if "spawn_main" in cmd]
    assert len(spawned) <= 1, spawned
    return spawned[0] if spawned else None


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def until(what, seconds: float = 30):
    """Wait for what would happen (polling), failing after `seconds`."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        got = what()
        if got:
            return got
        time.sleep(0.05)
    raise AssertionError(f"did not happen within {seconds} s")


def raise_and_see_it_posted(world, server: Server, title: str) -> None:  # noqa: F811
    reply = server.says("UGA0001", f"/action new {title} owner AH", channel_id="CPR")
    assert reply.status_code == 200 and "Raised" in reply.json()["text"], reply.text
    until(lambda: [p for p in world.fake.posts("CPR") if title in post_text(p)])


def test_a_command_is_posted_by_the_sender_process_and_a_killed_server_leaves_no_sender(world, database_url,  # noqa: F811
                                                                                       tmp_path):
    server = Server(database_url, world.fake, tmp_path, "clerk")
    try:
        sender = until(lambda: sender_of(server))
        raise_and_see_it_posted(world, server, "Posted from the sender process")
        assert alive(sender)
        # the sender yields the CPU to requests: nice 10 more than the server that serves them, in
        # every one of its threads (on Linux each thread has its own)
        niced = min(os.getpriority(os.PRIO_PROCESS, server.proc.pid) + 10, 19)
        threads = [int(t) for t in os.listdir(f"/proc/{sender}/task")] if os.path.isdir("/proc") else [sender]
        priorities = set()
        for thread in threads:
            with contextlib.suppress(ProcessLookupError):  # a thread that ended meanwhile
                priorities.add(os.getpriority(os.PRIO_PROCESS, thread))
        assert priorities == {niced}
        server.stop(signal.SIGKILL)
        until(lambda: not alive(sender), seconds=10)
    finally:
        server.stop()


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["kill -9", "TERM"])
def test_a_sender_process_that_dies_is_replaced_and_sends_what_was_owed(world, database_url, tmp_path, how):  # noqa: F811
    server = Server(database_url, world.fake, tmp_path, "clerk")
    try:
        first = until(lambda: sender_of(server))
        raise_and_see_it_posted(world, server, "Posted before the sender died")  # so it dies idle, waiting
        os.kill(first, how)
        until(lambda: not alive(first), seconds=10)
        reply = server.says("UGA0001", "/action new Owed while the sender was down owner AH", channel_id="CPR")
        assert reply.status_code == 200 and "Raised" in reply.json()["text"]  # the server still answers
        second = until(lambda: (pid := sender_of(server)) and pid != first and pid)
        until(lambda: [p for p in world.fake.posts("CPR") if "Owed while the sender was down" in post_text(p)])
        raise_and_see_it_posted(world, server, "Posted by the second sender")
        assert alive(second)
        assert "sender process exited" in server.log.read_text()
    finally:
        server.stop()
    assert server.proc.returncode == 0  # and it stopped cleanly, its sender with it
    until(lambda: not alive(second), seconds=10)


def test_serving_with_the_sender_as_a_thread_posts_the_same(world, database_url, tmp_path):  # noqa: F811
    server = Server(database_url, world.fake, tmp_path, "clerk", CLERK_SENDER="thread")
    try:
        raise_and_see_it_posted(world, server, "Posted from the sender thread")
        assert sender_of(server) is None
    finally:
        server.stop()
