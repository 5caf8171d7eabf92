"""The container as an operator runs it (issue 29): `python3 tasks.py container`.

Builds the image with podman (or docker, when its daemon answers), then runs it against SQLite on a
named volume and against PostgreSQL, with the fake Slack Web API of the tests on this machine
(host networking: the container reaches it and PostgreSQL on 127.0.0.1), and checks: /healthz and
the image's own HEALTHCHECK, a signed slash command and its channel post, /metrics, an export
written where the container allows, `stop` during start-up and while serving (under 2 s each),
a start-up fault (one line, exit 2), and a restart that finds its data on the volume.

With no engine it says so and exits 3. Without a registry (this workplace has none), a stand-in
for python:3.11-slim-bookworm is made from Debian's own packages with debootstrap (podman only):
Debian 12's python3 (3.11.2, /usr/bin/python via python-is-python3) where the official image has
a python.org build in /usr/local (3.11.x, newest patch), Debian's pip and ensurepip, and Debian's
ca-certificates; the rest (bookworm, glibc, the /usr/local PATH, LANG=C.UTF-8) matches. Where a
proxy re-signs TLS, the host's CA bundle is mounted read-only into the build for pip (PIP_CERT).
Not part of .ci/run: it needs an engine, and minutes.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGE = "localhost/clerk:smoke"
BASE = "docker.io/library/python:3.11-slim-bookworm"
SECRET = "smoke-signing-secret"
TOKEN = "xoxb-smoke-token"
CA = Path("/etc/ssl/certs/ca-certificates.crt")
results: list[tuple[bool, str]] = []


def say(text: str) -> None:
    print(f"[container] {text}", flush=True)


def check(ok: bool, what: str) -> bool:
    results.append((bool(ok), what))
    say(f"{'PASS' if ok else 'FAIL'}  {what}")
    return bool(ok)


def run(*argv: str, timeout: float = 1800, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout, **kw)


def find_engine() -> str | None:
    for name in ("podman", "docker"):
        if shutil.which(name) and run(name, "info", timeout=60).returncode == 0:
            return name
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the base and the image -------------------------------------------------------------------------

def ensure_base(engine: str) -> str:
    """The official base if it is here or can be pulled; else a stand-in made with debootstrap."""
    if run(engine, "image", "inspect", BASE, timeout=60).returncode == 0:
        return "present"
    if run(engine, "pull", BASE, timeout=300).returncode == 0:
        return "pulled"
    if engine != "podman" or not shutil.which("debootstrap"):
        raise SystemExit(f"[container] no {BASE} and no registry to pull it from; with podman, "
                         "`apt-get install debootstrap` lets this script make a stand-in")
    say("no registry: making a stand-in base from Debian 12 with debootstrap (a few minutes)")
    rootfs = Path(tempfile.mkdtemp(prefix="clerk-base-")) / "rootfs"
    done = run("debootstrap", "--variant=minbase", "--include=python3,python3-venv,python-is-python3,"
               "ca-certificates,tzdata", "bookworm", str(rootfs), "http://deb.debian.org/debian")
    if done.returncode != 0:
        raise SystemExit(f"[container] debootstrap failed: {done.stderr[-500:]}")
    for junk in ("var/cache/apt/archives", "var/lib/apt/lists"):
        for f in (rootfs / junk).glob("*"):
            if f.is_file():
                f.unlink()
    tar = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
    imported = subprocess.run([engine, "import", "--change", "ENV LANG=C.UTF-8", "--change",
                               "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                               "--change", 'CMD ["python3"]', "-", BASE], stdin=tar.stdout, capture_output=True)
    tar.wait()
    shutil.rmtree(rootfs.parent, ignore_errors=True)
    if imported.returncode != 0:
        raise SystemExit(f"[container] could not import the stand-in: {imported.stderr[-500:]!r}")
    return "stand-in (debootstrap)"


def build(engine: str) -> bool:
    argv = [engine, "build", "--pull=never", "--network=host", "-t", IMAGE]
    if engine == "podman":
        argv += ["--format", "docker"]  # OCI images have no HEALTHCHECK
        if CA.is_file():
            argv += ["-v", f"{CA}:/run/host-ca.crt:ro", "--build-arg", "PIP_CERT=/run/host-ca.crt"]
    started = time.monotonic()
    done = run(*argv, str(ROOT))
    out = done.stdout + done.stderr
    warnings = [line for line in out.splitlines() if "warn" in line.lower()]
    check(done.returncode == 0, f"image built in {time.monotonic() - started:.0f} s")
    if done.returncode != 0:
        print(out[-3000:])
        return False
    check(not warnings, "no build warnings" + (f": {warnings[:3]}" if warnings else ""))
    info = json.loads(run(engine, "image", "inspect", IMAGE).stdout)[0]
    config = info.get("Config") or {}
    size = info.get("Size") or info.get("VirtualSize") or 0
    say(f"image {IMAGE}: {size / 1e6:.0f} MB, user {config.get('User')}, entry {config.get('Cmd')}")
    check(config.get("User") == "clerk", "runs as the clerk user (uid 10001)")
    check(bool(healthcheck(engine)), "HEALTHCHECK kept in the image")
    listing = run(engine, "run", "--rm", "--no-healthcheck", "--entrypoint", "sh", IMAGE, "-c",
                  "id -u; ls -A /app").stdout.split()
    check(listing[:1] == ["10001"], f"uid {listing[:1]}")
    check(not ({"tests", ".git", ".env", "bench", "tasks.py", "README.md"} & set(listing)),
          f"only the app in /app: {' '.join(listing[1:])}")
    return True


def healthcheck(engine: str) -> list[str]:
    """The image's HEALTHCHECK test (podman shows it beside Config, docker inside it)."""
    info = json.loads(run(engine, "image", "inspect", IMAGE).stdout)[0]
    found = info.get("Healthcheck") or (info.get("Config") or {}).get("Healthcheck") or {}
    return found.get("Test") or []


# -- one running container --------------------------------------------------------------------------

class Container:
    def __init__(self, engine: str, name: str, fake_url: str, database_url: str | None, volume: str | None,
                 **env: str):
        self.engine, self.name, self.port = engine, name, free_port()
        run(engine, "rm", "-f", "-v", name, timeout=60)
        argv = [engine, "run", "-d", "--name", name, "--network=host", "--no-healthcheck",
                "-e", f"SLACK_BOT_TOKEN={TOKEN}", "-e", f"SLACK_SIGNING_SECRET={SECRET}",
                "-e", f"SLACK_API_URL={fake_url}", "-e", f"PORT={self.port}"]
        if database_url:
            argv += ["-e", f"DATABASE_URL={database_url}"]
        if volume:
            argv += ["-v", f"{volume}:/data"]
        for k, v in env.items():
            argv += ["-e", f"{k}={v}"]
        self.started = run(*argv, IMAGE, timeout=120)
        self.url = f"http://127.0.0.1:{self.port}"

    def healthy(self, seconds: float = 60) -> dict | None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as r:
                    return json.loads(r.read())
            except urllib.error.HTTPError as e:
                return json.loads(e.read() or b"{}")
            except OSError:
                time.sleep(0.2)
        return None

    def stop(self) -> tuple[float, str]:
        started = time.monotonic()
        run(self.engine, "stop", "-t", "10", self.name, timeout=60)
        took = time.monotonic() - started
        code = run(self.engine, "inspect", "-f", "{{.State.ExitCode}}", self.name, timeout=60).stdout.strip()
        return took, code

    def logs(self) -> str:
        done = run(self.engine, "logs", self.name, timeout=60)
        return done.stdout + done.stderr

    def exec(self, *argv: str) -> subprocess.CompletedProcess:
        return run(self.engine, "exec", self.name, *argv, timeout=120)

    def remove(self) -> None:
        run(self.engine, "rm", "-f", "-v", self.name, timeout=60)  # and its anonymous /data


def slash(container: Container, command: str, text: str, user: str = "USMOKE01", channel: str = "CSMOKE"):
    from tests import slackreq

    return slackreq.slash(container.url + "/slack/events", SECRET, command, text, user_id=user,
                          user_name="smoke", channel_id=channel)


def serve_and_check(engine: str, fake, label: str, database_url: str | None, volume: str | None) -> None:
    c = Container(engine, f"clerk-smoke-{label}", fake.url, database_url, volume)
    try:
        if not check(c.started.returncode == 0, f"{label}: container started"):
            print(c.started.stderr[-1000:])
            return
        said = c.healthy()
        check(said is not None and said.get("ok") is True, f"{label}: /healthz {said}")
        test = healthcheck(engine) or ["CMD", "false"]
        probe = c.exec("sh", "-c", test[-1]) if test[0] == "CMD-SHELL" else c.exec(*test[1:])
        check(probe.returncode == 0, f"{label}: the image's HEALTHCHECK passes")
        reply = slash(c, "/clerk", "board Smoke secretary <@USMOKE01|smoke> channel <#CSMOKE|smoke>")
        check(reply.status_code == 200 and "Set up board" in reply.text, f"{label}: signed /clerk board answered "
              f"{reply.status_code}")
        reply = slash(c, "/action", "new Check the container owner <@USMOKE01|smoke>")
        check(reply.status_code == 200 and "Raised" in reply.text, f"{label}: signed /action new answered")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any("Check the container" in json.dumps(p) for p in fake.posts()):
            time.sleep(0.2)
        check(any("Check the container" in json.dumps(p) for p in fake.posts()),
              f"{label}: the channel post went out from the sender process")
        with urllib.request.urlopen(c.url + "/metrics", timeout=5) as r:
            metrics = r.read().decode()
        check('clerk_command_seconds_count{surface="slash",verb="action new"} 1.0' in metrics and
              'clerk_sends_total{error="",outcome="sent"}' in metrics, f"{label}: /metrics counts the command "
              "and the send")
        denied = c.exec("python", "bot.py", "export", "backup", "--output", "clerk-backup.xlsx")
        check(denied.returncode == 2 and "--output /data/clerk-backup.xlsx" in denied.stderr,
              f"{label}: export into /app says where to write: {denied.stderr.strip()[:160]}")
        wrote = c.exec("python", "bot.py", "export", "backup", "--output", "/data/clerk-backup.xlsx")
        check(wrote.returncode == 0, f"{label}: export backup to /data: {wrote.stdout.strip()[:80]}")
        took, code = c.stop()
        check(took < 2, f"{label}: stop while serving took {took:.1f} s (exit {code})")
        log = c.logs()
        if volume:  # a new container on the same volume finds what the first one wrote
            c.remove()
            c = Container(engine, f"clerk-smoke-{label}-again", fake.url, database_url, volume)
            said = c.healthy()
            listed = slash(c, "/action", "list all")
            check(said is not None and "Check the container" in listed.text,
                  f"{label}: a new container on the volume finds the action raised before")
            took, code = c.stop()
            check(took < 2, f"{label}: its stop took {took:.1f} s (exit {code})")
            log += c.logs()
        errors = [line for line in log.splitlines() if "Traceback" in line or " ERROR " in line]
        check(not errors, f"{label}: no error in the log" + (f": {errors[:2]}" if errors else ""))
        check(TOKEN not in log and SECRET not in log, f"{label}: no secret in the log")
    finally:
        c.remove()


def stop_during_start_up(engine: str, fake) -> None:
    for after in (0.5, 1.5, 3.0):
        volume = f"clerk-smoke-early-{os.getpid()}"
        c = Container(engine, "clerk-smoke-early", fake.url, None, volume)
        try:
            time.sleep(after)
            took, code = c.stop()
            check(took < 2, f"stop {after} s after start took {took:.1f} s (exit {code})")
        finally:
            c.remove()
            run(engine, "volume", "rm", "-f", volume, timeout=60)


def start_up_fault(engine: str, fake) -> None:
    done = run(engine, "run", "--rm", "--network=host", "--no-healthcheck", "-e", f"SLACK_BOT_TOKEN={TOKEN}",
               "-e", f"SLACK_SIGNING_SECRET={SECRET}", "-e", f"SLACK_API_URL={fake.url}",
               "-e", "DATABASE_URL=sqlite://clerk.db", IMAGE, timeout=120)
    lines = done.stderr.strip().splitlines()
    check(done.returncode == 2 and len(lines) == 1 and lines[0].startswith("DATABASE_URL"),
          f"a malformed DATABASE_URL: exit {done.returncode}, {len(lines)} line(s): {lines[:1]}")


def postgres_database() -> tuple[str | None, callable]:
    """A fresh database on the test server (CLERK_TEST_POSTGRES_URL, or clerk/clerk on 127.0.0.1)."""
    try:
        import psycopg
        from sqlalchemy.engine import make_url
    except ImportError:
        return None, lambda: None
    server = make_url(os.environ.get("CLERK_TEST_POSTGRES_URL") or
                      "postgresql+psycopg://clerk:clerk@127.0.0.1:5432/postgres")
    name = f"clerk_smoke_{os.getpid()}"
    kwargs = dict(host=server.host, port=server.port or 5432, user=server.username, password=server.password,
                  dbname=server.database or "postgres", autocommit=True, connect_timeout=3)
    try:
        with psycopg.connect(**kwargs) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # noqa: BLE001 - said, and the PostgreSQL run is left out
        say(f"no PostgreSQL to run against ({type(exc).__name__}); set CLERK_TEST_POSTGRES_URL")
        return None, lambda: None

    def drop() -> None:
        with psycopg.connect(**kwargs) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return server.set(database=name).render_as_string(hide_password=False), drop


def main() -> int:
    engine = find_engine()
    if engine is None:
        say("No container engine here: neither podman nor a docker daemon answers, so nothing was built or run. "
            "Install podman (apt-get install podman) or start Docker, then run this again.")
        return 3
    say(f"engine: {engine} ({run(engine, '--version').stdout.strip()})")
    say(f"base {BASE}: {ensure_base(engine)}")
    if not build(engine):
        return 1
    from tests.fakeslack import FakeSlack

    volume = f"clerk-smoke-data-{os.getpid()}"
    with FakeSlack() as fake:
        start_up_fault(engine, fake)
        stop_during_start_up(engine, fake)
        try:
            serve_and_check(engine, fake, "sqlite", None, volume)
        finally:
            run(engine, "volume", "rm", "-f", volume, timeout=60)
        fake.reset()
        url, drop = postgres_database()
        if url:
            try:
                serve_and_check(engine, fake, "postgresql", url, None)
            finally:
                drop()
    failed = [what for ok, what in results if not ok]
    say(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
