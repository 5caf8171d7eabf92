"""Paper deadlines, the chair's weekly digest and the meeting pack, at chosen instants."""
import pytest

from jobs.runner import JOBS, make_scheduler, run_job
from tests.cli import clean_env
from tests.test_action_log import SETUP
from tests.test_jobs import at


@pytest.fixture
def pr(clerk):
    for who, line in SETUP:
        clerk.says(who, line)
    clerk.fake.set_channel("CPR", is_private=False, name="pr-board")
    clerk.says("GA", "/meeting add 3 January 2019 10am")
    clerk.says("GA", "/plan add Update on Mobile Policing for 3 January 2019 owner AH")  # FP-1
    clerk.says("GA", "/plan add Crime Prevention communications for 3 January 2019 owner GN")  # FP-2, not on Slack
    clerk.says("GA", "/action new Circulate the Specials funding analysis owner AH due 13/12")  # 1/18
    clerk.says("GA", "/action new Essex Juno away day owner AH private")  # 2/18, Part B
    clerk.deliver()
    clerk.fake.reset()
    return clerk


def sweep(clerk, job, iso):
    clerk.clock.set(iso)
    owed = run_job(clerk.clerk, job, at(iso))
    clerk.deliver()
    return owed


def texts(clerk, channel):
    return [p["text"] for p in clerk.fake.posts(channel)]


def test_paper_deadlines_warn_owners_then_tell_the_secretaries_what_is_missing(pr):
    # the paper deadline for Thu 3 Jan 2019 is Mon 17 Dec 2018; five working days before is Mon 10 Dec
    assert sweep(pr, "paper-deadlines", "2018-12-07T10:00:00+00:00") == []
    sweep(pr, "paper-deadlines", "2018-12-10T10:00:00+00:00")
    assert "FP-1 Update on Mobile Policing for the meeting on Thu 3 Jan 2019: paper due Mon 17 Dec 2018" in \
        texts(pr, "DUAH0001")[-1].replace("*", "")
    assert "FP-2 Crime Prevention communications" in texts(pr, "DUGA0001")[-1].replace("*", "")
    assert "(for Gareth Nicholson, not on Slack)" in texts(pr, "DUGA0001")[-1]
    assert sweep(pr, "paper-deadlines", "2018-12-12T10:00:00+00:00") == []
    sweep(pr, "paper-deadlines", "2018-12-17T10:00:00+00:00")
    assert "paper due today" in texts(pr, "DUAH0001")[-1]
    pr.says("GA", "/plan received FP-1")
    owed = sweep(pr, "paper-deadlines", "2018-12-18T10:00:00+00:00")
    assert [o.recipient for o in owed] == ["UGA0001"]
    late = texts(pr, "DUGA0001")[-1].replace("*", "")
    assert "Papers not received for P&amp;R on Thu 3 Jan 2019" in late
    assert "FP-2 Crime Prevention communications — Gareth Nicholson" in late and "FP-1" not in late
    assert sweep(pr, "paper-deadlines", "2018-12-19T10:00:00+00:00") == []


def test_the_chair_gets_the_digest_weekly_with_what_changed(pr):
    assert sweep(pr, "chair-digest", "2018-12-03T08:00:00+00:00") == []  # before nine
    sweep(pr, "chair-digest", "2018-12-03T09:00:00+00:00")
    digest = texts(pr, "DUJG0001")[-1]
    assert "P&amp;R: 2 open actions" in digest and "Essex Juno away day" in digest  # Part B: a DM to the chair
    assert "New: 1/18, 2/18" in digest
    assert sweep(pr, "chair-digest", "2018-12-04T10:00:00+00:00") == []  # once a week
    pr.says("AH", "/action close 1/18")
    sweep(pr, "chair-digest", "2018-12-10T09:00:00+00:00")
    digest = texts(pr, "DUJG0001")[-1]
    assert "Since Mon 03 Dec" in digest and "Closed: 1/18" in digest and "P&amp;R: 1 open action" in digest


def test_the_meeting_pack_posts_the_log_and_asks_owners_for_updates(pr):
    pr.says("AH", "/action update 1/18 Draft received from Richard Jones")
    pr.says("AH", "/action close 1/18")
    pr.says("GA", "/action new Timeline for the DVPO study owner AH")
    pr.deliver()
    # 5 clear working days before Thu 3 Jan 2019: published Fri 21 Dec 2018
    assert sweep(pr, "meeting-pack", "2018-12-20T10:00:00+00:00") == []
    sweep(pr, "meeting-pack", "2018-12-21T10:00:00+00:00")
    pack = [t for t in texts(pr, "CPR") if t.startswith("Action log for P&amp;R")]
    assert len(pack) == 1
    post = [p for p in pr.fake.posts("CPR") if p["text"] == pack[0]][0]
    shown = "\n".join(b["text"]["text"] for b in post["blocks"] if b["type"] == "section")
    assert "2 open · 1 closed since the last meeting" in shown
    assert "*2/18* Part B action (text not shown here)" in shown and "Essex Juno" not in shown  # a public channel
    assert "Draft received from Richard Jones" in shown
    ask = texts(pr, "DUAH0001")[-1]
    assert ask.startswith("P&amp;R meets on Thu 3 Jan 2019: please add an update to your open actions before then")
    assert "2/18 Essex Juno away day" in ask  # the owner's own DM may show Part B
    assert sweep(pr, "meeting-pack", "2018-12-24T10:00:00+00:00") == []


def test_the_timetable_is_held_in_memory_with_explicit_ids_and_a_catch_up_run(clerk):
    scheduler = make_scheduler(clerk.clerk)
    ids = {job.id for job in scheduler.get_jobs()}
    assert ids == set(JOBS) | {f"{name}@start" for name in JOBS}
    assert scheduler._job_defaults["coalesce"] is True and scheduler._job_defaults["misfire_grace_time"] >= 3600
    assert {type(store).__name__ for store in scheduler._jobstores.values()} == {"MemoryJobStore"}


def test_jobs_list_and_a_dry_run_from_the_command_line(tmp_path):
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    env = clean_env(DATABASE_URL=f"sqlite:///{tmp_path}/jobs.db")
    listed = subprocess.run([sys.executable, "bot.py", "jobs", "list"], cwd=root, env=env, capture_output=True,
                            text=True, timeout=60)
    assert listed.returncode == 0
    assert [line.split()[0] for line in listed.stdout.splitlines()] == list(JOBS)
    assert all(" next " in line for line in listed.stdout.splitlines())
    dry = subprocess.run([sys.executable, "bot.py", "jobs", "run", "action-reminders", "--at", "2018-12-06T10:00",
                          "--dry-run"], cwd=root, env=env, capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0 and "action-reminders at Thu 06 Dec 2018 10:00: would owe 0 messages" in dry.stdout
    bad = subprocess.run([sys.executable, "bot.py", "jobs", "run", "nonsense"], cwd=root, env=env,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stderr.startswith("There is no job “nonsense”. Jobs: action-reminders")


def test_the_digest_day_is_a_board_setting(pr):
    assert "digest-day thursday" in pr.says("GA", "/clerk settings digest-day thursday")
    assert sweep(pr, "chair-digest", "2018-12-03T09:00:00+00:00") == []  # Monday: not yet
    assert [o.recipient for o in sweep(pr, "chair-digest", "2018-12-06T09:00:00+00:00")] == ["UJG0001"]
    assert sweep(pr, "chair-digest", "2018-12-07T09:00:00+00:00") == []
