"""`python bot.py …` as a test runs it: a subprocess with a clean environment and a fixed "now".

No test reads the real clock: every subprocess gets CLERK_NOW (its clock starts there and runs
on), so "due 6/12/2026" means the same thing on any day the suite is run."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-12-01T09:00"  # a Tuesday, in CLERK_TIMEZONE (Europe/London)


def clean_env(**env: str) -> dict[str, str]:
    """The test process's environment without Clerk's or Slack's settings, then `env`, then a fixed
    CLERK_NOW unless `env` names one (pass CLERK_NOW="" to use the real clock)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CLERK_", "DATABASE_URL", "PORT"))}
    merged = {**base, "CLERK_NOW": NOW, **env}
    if not merged["CLERK_NOW"]:
        del merged["CLERK_NOW"]
    return merged


def bot(*args: str, database_url: str | None = None, env: dict[str, str] | None = None, stdin: str = "",
        cwd: Path = ROOT, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    extra = dict(env or {})
    if database_url is not None:
        extra["DATABASE_URL"] = database_url
    return subprocess.run([sys.executable, str(ROOT / "bot.py"), *args], cwd=cwd, env=clean_env(**extra),
                          input=stdin, capture_output=True, text=True, timeout=timeout)


def console(commands: str, **kwargs) -> str:
    """Pipe `commands` into the console; fail loudly on a crash, return what it printed."""
    done = bot("console", stdin=commands, **kwargs)
    assert done.returncode == 0, done.stderr
    return done.stdout
