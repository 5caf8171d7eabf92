#!/usr/bin/env python3
"""Clerk developer bootstrap (standard library only).

    python3 tasks.py console [args...]   run the bot's local console
    python3 tasks.py test [pytest args...]  check the code (ruff, import-linter's layers), then run the test suite
    python3 tasks.py container           build the image with podman or docker and run it as an operator
                                         would (SQLite on a volume, PostgreSQL, stop, restart); not in CI

Every command creates ./.venv with ``python3 -m venv`` when it is missing and
install the pinned requirements into it.  The install is skipped when the hash
of requirements*.txt recorded inside .venv still matches.

Test database selection (``test``):
  CLERK_TEST_POSTGRES_URL  SQLAlchemy URL of a PostgreSQL server on which the
                           tests may create and drop databases.  When unset,
                           postgresql+psycopg://clerk:clerk@127.0.0.1:5432/postgres
                           is tried (2 s timeout) and used if reachable.
  CLERK_REQUIRE_POSTGRES=1 fail (exit 1, no tests run) when PostgreSQL is not
                           reachable instead of skipping the PostgreSQL tests.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import NoReturn

MIN_PYTHON = (3, 11)
ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
STAMP_PREFIX = ".clerk-requirements-"  # .venv/.clerk-requirements-<file>.sha256

DEFAULT_POSTGRES_URL = "postgresql+psycopg://clerk:clerk@127.0.0.1:5432/postgres"
POSTGRES_PROBE_TIMEOUT = 2  # seconds (psycopg connect_timeout)

# Runs inside the venv (psycopg is a runtime requirement).  argv[1] is the
# SQLAlchemy URL; prints the reason and exits 1 when the server is unreachable.
_PROBE = r"""
import sys
url = sys.argv[1]
timeout = int(sys.argv[2])
try:
    from sqlalchemy.engine import make_url
    import psycopg
    u = make_url(url)
    if not u.drivername.startswith("postgresql"):
        raise SystemExit("not a postgresql URL: " + u.drivername)
    kwargs = dict(host=u.host or "localhost", port=u.port or 5432,
                  dbname=u.database or "postgres", connect_timeout=timeout)
    if u.username:
        kwargs["user"] = u.username
    if u.password is not None:
        kwargs["password"] = u.password
    with psycopg.connect(**kwargs) as conn:
        conn.execute("SELECT 1")
except SystemExit:
    raise
except Exception as exc:
    print(f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:300])
    sys.exit(1)
"""


def say(msg: str = "") -> None:
    print(f"[tasks] {msg}" if msg else "", flush=True)


def die(msg: str, code: int = 1) -> NoReturn:
    print(f"[tasks] ERROR: {msg}", file=sys.stderr, flush=True)
    sys.exit(code)


def banner(lines: list[str], width: int = 88) -> None:
    wrapped: list[str] = []
    for line in lines:
        indent = " " * (len(line) - len(line.lstrip()) + 3)
        wrapped += textwrap.wrap(line, width - 6, subsequent_indent=indent,
                                 break_on_hyphens=False) or [""]
    bar = "!" * width
    print(f"\n{bar}", flush=True)
    for line in wrapped:
        print(f"!! {line}".ljust(width - 2) + "!!")
    print(f"{bar}\n", flush=True)


def mask_url(url: str) -> str:
    """Hide the password part of scheme://user:password@host/..."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    creds, at, host = rest.rpartition("@")
    if ":" in creds:
        creds = creds.split(":", 1)[0] + ":***"
    return f"{scheme}://{creds}@{host}"


# --------------------------------------------------------------------------
# virtualenv
# --------------------------------------------------------------------------

def requirements_hash() -> str:
    h = hashlib.sha256()
    h.update(f"{sys.version_info[:2]}\n".encode())
    for path in sorted(ROOT.glob("requirements*.txt")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def stamp_path(requirements: str) -> Path:
    return VENV / f"{STAMP_PREFIX}{requirements}.sha256"


def venv_python_works() -> bool:
    if not VENV_PYTHON.exists():
        return False
    try:
        return subprocess.run([str(VENV_PYTHON), "-c", "import pip"],
                              capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def create_venv() -> None:
    if VENV.exists():
        if not (VENV / "pyvenv.cfg").exists():
            die(f"{VENV} exists but is not a virtualenv; move it away and retry")
        say(f"{VENV.name} is broken (no working python/pip) - recreating it")
        shutil.rmtree(VENV)
    say(f"creating virtualenv {VENV} with {sys.executable} "
        f"(Python {sys.version.split()[0]})")
    try:
        import ensurepip  # noqa: F401  (Debian/Ubuntu ship it in python3-venv)
        have_ensurepip = True
    except ImportError:
        have_ensurepip = False
    cmd = [sys.executable, "-m", "venv", str(VENV)]
    if not have_ensurepip:
        cmd.insert(3, "--without-pip")
    if subprocess.run(cmd).returncode != 0:
        shutil.rmtree(VENV, ignore_errors=True)
        die("`python3 -m venv` failed. On Debian/Ubuntu: apt-get install -y python3-venv")
    if not have_ensurepip:
        # Bootstrap pip into the venv with the system pip, if there is one.
        say("ensurepip is missing; bootstrapping pip with the system pip")
        rc = subprocess.run([sys.executable, "-m", "pip", "--python", str(VENV_PYTHON),
                             "install", "-q", "pip"]).returncode
        if rc != 0:
            shutil.rmtree(VENV, ignore_errors=True)
            die("cannot install pip into the virtualenv (no ensurepip, no usable "
                "system pip). On Debian/Ubuntu: apt-get install -y python3-venv")


def ensure_venv(requirements: str) -> None:
    """Create .venv if needed and make sure `requirements` is installed in it."""
    req_file = ROOT / requirements
    if not req_file.exists():
        die(f"{req_file} not found")
    if not venv_python_works():
        create_venv()

    digest = requirements_hash()
    # requirements-dev.txt includes requirements.txt, so a dev install
    # satisfies the runtime requirements as well.
    satisfied_by = [requirements]
    if requirements == "requirements.txt":
        satisfied_by.append("requirements-dev.txt")
    for name in satisfied_by:
        stamp = stamp_path(name)
        if stamp.exists() and stamp.read_text().strip() == digest:
            return

    say(f"installing {requirements} into {VENV.name} ...")
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    rc = subprocess.run(
        [str(VENV_PYTHON), "-m", "pip", "install", "-q", "-r", str(req_file)],
        cwd=ROOT, env=env,
    ).returncode
    if rc != 0:
        die(f"pip install -r {requirements} failed (exit {rc}); see pip's output above")
    for old in VENV.glob(f"{STAMP_PREFIX}*"):
        old.unlink()  # the hash covers all requirement files: older stamps are stale
    stamp_path(requirements).write_text(digest + "\n")
    say(f"{requirements} installed")


def venv_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONHOME", None)
    env["VIRTUAL_ENV"] = str(VENV)
    env["PATH"] = str(VENV_PYTHON.parent) + os.pathsep + env.get("PATH", "")
    return env


# --------------------------------------------------------------------------
# commands
# --------------------------------------------------------------------------

def cmd_console(args: list[str]) -> None:
    ensure_venv("requirements.txt")
    os.chdir(ROOT)
    argv = [str(VENV_PYTHON), "bot.py", "console", *args]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(argv[0], argv, venv_env())


def probe_postgres(url: str) -> str | None:
    """Return None when `url` is reachable, else a one-line reason."""
    try:
        proc = subprocess.run(
            [str(VENV_PYTHON), "-c", _PROBE, url, str(POSTGRES_PROBE_TIMEOUT)],
            capture_output=True, text=True, timeout=POSTGRES_PROBE_TIMEOUT + 20,
            env=venv_env(),
        )
    except subprocess.TimeoutExpired:
        return "connection attempt timed out"
    if proc.returncode == 0:
        return None
    out = (proc.stdout + proc.stderr).strip().splitlines()
    return out[-1] if out else f"probe exited with {proc.returncode}"


def skipped_banner(url: str, reason: str, explicit: bool) -> list[str]:
    which = "CLERK_TEST_POSTGRES_URL" if explicit else "the default test server"
    return [
        "PostgreSQL tests will be SKIPPED - only SQLite is being tested!",
        "",
        f"{which} is not reachable: {mask_url(url)}",
        f"  -> {reason}",
        "",
        "To run them, start a PostgreSQL server with a role that may CREATE DATABASE:",
        "  CREATE ROLE clerk LOGIN PASSWORD 'clerk' CREATEDB;   (on 127.0.0.1:5432)",
        "or point the tests at another server:",
        "  CLERK_TEST_POSTGRES_URL=postgresql+psycopg://user:pw@host:5432/postgres",
        "Set CLERK_REQUIRE_POSTGRES=1 to make this a hard failure (CI does: .ci/run).",
    ]


def cmd_test(args: list[str]) -> None:
    ensure_venv("requirements-dev.txt")
    os.chdir(ROOT)
    env = venv_env()

    require = os.environ.get("CLERK_REQUIRE_POSTGRES", "").strip() == "1"
    explicit = bool(os.environ.get("CLERK_TEST_POSTGRES_URL", "").strip())
    url = os.environ["CLERK_TEST_POSTGRES_URL"].strip() if explicit else DEFAULT_POSTGRES_URL

    skip_lines: list[str] | None = None
    reason = probe_postgres(url)
    if reason is None:
        env["CLERK_TEST_POSTGRES_URL"] = url
        say(f"PostgreSQL tests enabled: {mask_url(url)}")
    elif require:
        die(f"CLERK_REQUIRE_POSTGRES=1 but PostgreSQL is not reachable at "
            f"{mask_url(url)}: {reason}\n        Not running the tests.")
    else:
        env.pop("CLERK_TEST_POSTGRES_URL", None)
        skip_lines = skipped_banner(url, reason, explicit)
        banner(skip_lines)

    for check in (["ruff", "check", "."], ["lint-imports"]):  # the code's shape holds by check, not by memory
        say("running: " + " ".join(check))
        found = subprocess.run([str(VENV_PYTHON.parent / check[0]), *check[1:]], cwd=ROOT, env=env).returncode
        if found != 0:
            die(f"{check[0]} found problems (exit {found}); see above. Not running the tests.")

    argv = [str(VENV_PYTHON), "-m", "pytest", *args]
    say("running: python -m pytest " + " ".join(args))
    try:
        rc = subprocess.run(argv, cwd=ROOT, env=env).returncode
    except KeyboardInterrupt:
        rc = 130

    if skip_lines:
        banner(skip_lines)
    if rc == 5:
        die("pytest collected no tests (exit 5) - treating that as a failure")
    if rc < 0:  # killed by a signal
        rc = 128 - rc
    sys.exit(rc)


def cmd_container(args: list[str]) -> None:
    """Build the image and run it as an operator would (tests/container_smoke.py says what is checked)."""
    ensure_venv("requirements-dev.txt")
    os.chdir(ROOT)
    sys.exit(subprocess.run([str(VENV_PYTHON), "-m", "tests.container_smoke", *args], cwd=ROOT,
                            env=venv_env()).returncode)


COMMANDS = {"console": cmd_console, "test": cmd_test, "container": cmd_container}


def main(argv: list[str]) -> None:
    if sys.version_info < MIN_PYTHON:
        die(f"Python {'.'.join(map(str, MIN_PYTHON))}+ is required "
            f"(this is {sys.version.split()[0]} at {sys.executable})")
    if not argv or argv[0] not in COMMANDS:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
