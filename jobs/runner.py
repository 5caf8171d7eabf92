"""Running jobs: by hand (`python bot.py jobs run`), and on APScheduler's timetable.

APScheduler holds only the timetable: a memory job store, every job added at each start with an
explicit id, coalesced, run once at start-up to catch up. Whether something was sent is in
Clerk's tables (the reminder ledger and the outbox), so restarts and retries send nothing twice."""
from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from jobs.notify import Notifier, Owed
from store.db import unit_of_work
from store.words import count

log = logging.getLogger("clerk.jobs")


@dataclass(frozen=True)
class Job:
    name: str
    module: str
    cron: dict  # APScheduler cron fields, in CLERK_TIMEZONE
    about: str

    def function(self) -> Callable:
        return importlib.import_module(self.module).run


HOURLY_IN_WORKING_HOURS = {"day_of_week": "mon-fri", "hour": "9-17", "minute": "0,30"}
JOBS = {job.name: job for job in [
    Job("action-reminders", "jobs.action_reminders", HOURLY_IN_WORKING_HOURS,
        "DM owners before the due date, on the day, and weekly while overdue"),
    Job("paper-deadlines", "jobs.paper_deadlines", HOURLY_IN_WORKING_HOURS,
        "DM paper owners before their deadline and on the day; the secretaries the papers not received"),
    Job("chair-digest", "jobs.chair_digest", {"day_of_week": "mon-fri", "hour": "9", "minute": "0"},
        "the weekly digest to each chair, from Monday 09:00"),
    Job("meeting-pack", "jobs.meeting_pack", {"day_of_week": "mon-fri", "hour": "9", "minute": "15"},
        "on publication day: the action log to the board channel, owners asked for updates"),
]}


def run_job(clerk, name: str, now: dt.datetime | None = None, *, dry_run: bool = False, send: bool = True) -> list[Owed]:
    """One sweep in one transaction, then the outbox is sent (a failed send waits for the next round)."""
    job = JOBS[name]
    now = now or clerk.clock()
    with unit_of_work(clerk.sessions) as s:
        notify = Notifier(s, now, clerk.calendar, clerk.settings.tz, dry_run=dry_run, queued_at=clerk.clock())
        job.function()(s, now, notify)
        owed = notify.owed
        if dry_run:
            s.rollback()
    log.info("%s at %s: %s owed%s", name, now.isoformat(timespec="minutes"), count(len(owed), "message"),
             " (dry run)" if dry_run else "")
    if send and not dry_run:
        clerk.send_owed()
    return owed


def make_scheduler(clerk):
    from apscheduler.jobstores.memory import MemoryJobStore
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.cron import CronTrigger

    scheduler = BackgroundScheduler(
        jobstores={"default": MemoryJobStore()}, timezone=clerk.settings.tz,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 6 * 3600})
    start = dt.datetime.now(clerk.settings.tz)
    for job in JOBS.values():
        scheduler.add_job(_guarded, CronTrigger(timezone=clerk.settings.tz, **job.cron), args=(clerk, job.name),
                          id=job.name, name=job.about, replace_existing=True)
        # and once now, to catch up on what fell due while Clerk was down
        scheduler.add_job(_guarded, "date", run_date=start, args=(clerk, job.name), id=f"{job.name}@start")
    return scheduler


def _guarded(clerk, name: str) -> None:
    """A job that raises is logged with its name; the next scheduled run happens as planned."""
    import time

    from slackweb import FatalSlackError

    started, ok = time.perf_counter(), False
    try:
        run_job(clerk, name)
        ok = True
    except FatalSlackError as exc:  # the sender said so once, at error level, when the token was first refused
        log.info("%s: what it owes waits in the outbox while Slack refuses Clerk's token (%s)", name, exc)
    except Exception:  # noqa: BLE001
        log.exception("job %s failed; it runs again at its next time", name)
    finally:
        if hasattr(clerk, "job_ran"):  # counted for /metrics: runs, failures, how long
            clerk.job_ran(name, time.perf_counter() - started, ok)


def describe_jobs(clerk, now: dt.datetime) -> list[str]:
    from apscheduler.triggers.cron import CronTrigger

    lines = []
    for job in JOBS.values():
        trigger = CronTrigger(timezone=clerk.settings.tz, **job.cron)
        nxt = trigger.get_next_fire_time(None, now.astimezone(clerk.settings.tz))
        fields = ", ".join(f"{k}={v}" for k, v in job.cron.items())
        lines.append(f"{job.name:<18} {fields:<40} next {nxt:%a %d %b %Y %H:%M %Z}  — {job.about}")
    return lines
