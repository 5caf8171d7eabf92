"""What `docker build` sends into the image, worked out from `git ls-files` and .dockerignore (issue 29):
every file the app needs is in, everything else (tests, bench, CI, docs, exports lying in the
folder, secrets) is out, and the app runs from what is in: every module imports, migrations apply,
a command is answered and a backup is written, in a copy holding only the build context."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli import clean_env
from tests.test_dockerfile import load_dockerignore

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("handlers", "service", "grammar", "render", "store", "jobs", "exchange")
NOT_THE_APP = ("tasks.py",)  # the developer's bootstrap: standard library only, never run in the image


def tracked() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [p for p in out.decode().split("\0") if p and (ROOT / p).is_file()]


def needed(path: str) -> bool:
    """The app: its packages and its top-level modules, and the requirements the build installs."""
    top = path.split("/")[0]
    return top in PACKAGES or (("/" not in path) and path.endswith(".py") and path not in NOT_THE_APP) \
        or path == "requirements.txt"


@pytest.fixture(scope="module")
def ignored():
    from tests.test_dockerfile import is_ignored

    rules = load_dockerignore((ROOT / ".dockerignore").read_text())
    return lambda path: is_ignored(path, rules)


def test_every_file_the_app_needs_is_sent_and_nothing_else(ignored):
    files = tracked()
    missing = [p for p in files if needed(p) and ignored(p)]
    assert not missing, f".dockerignore leaves out what the app needs: {missing}"
    extra = [p for p in files if not needed(p) and not ignored(p)]
    assert not extra, f".dockerignore lets in what is not the app: {extra}"


@pytest.mark.parametrize("path", ["clerk-backup.xlsx", "actions.docx", "plan.csv", "minutes.txt", "clerk.db",
                                  "clerk.db-wal", ".env", ".env.production", "notes.md", "scratch.py.bak",
                                  "service/__pycache__/x.cpython-311.pyc", "exports/plan.xlsx", ".venv/bin/python",
                                  "store/clerk.db", "exchange/backup.xlsx", "node_modules/x/index.js"])
def test_what_lies_in_the_folder_stays_out(ignored, path):
    assert ignored(path), f"{path} would go into the image"


def test_the_app_runs_from_the_build_context_alone(ignored, tmp_path):
    """A copy of what the build sends: if a needed file were left out, this fails."""
    context = tmp_path / "context"
    for path in tracked():
        if not ignored(path):
            (context / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / path, context / path)
    assert (context / "bot.py").is_file()
    env = clean_env(DATABASE_URL=f"sqlite:///{tmp_path}/c.db")
    env.pop("PYTHONPATH", None)
    every = ("import pkgutil, importlib, sys; sys.path.insert(0, '.');"
             f"[importlib.import_module(m.name) for p in {PACKAGES!r} "
             "for m in pkgutil.walk_packages([p], prefix=p + '.')];"
             "import bot, settings, slackweb, health, logs, metrics; print('imported')")
    run = [
        ([sys.executable, "-c", every], "", "imported"),
        ([sys.executable, "bot.py", "db", "upgrade"], "", "Database is up to date."),
        ([sys.executable, "bot.py", "console"], "clerk board P&R\naction new Circulate the paper due 14/12\n",
         "Raised 1/26"),
        ([sys.executable, "bot.py", "export", "backup", "--output", str(tmp_path / "b.xlsx")], "",
         "Wrote a backup"),
    ]
    for argv, stdin, says in run:
        done = subprocess.run(argv, cwd=context, env=env, input=stdin, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and says in done.stdout, (argv, done.stdout[-500:], done.stderr[-1500:])
    assert not any(p.name == "tests" for p in context.iterdir())
    assert os.path.getsize(tmp_path / "b.xlsx") > 0


def test_the_image_is_pinned_local_and_quiet():
    """No remote frontend (`# syntax=` makes BuildKit fetch one), a base pinned to a Debian release,
    an ordinary account (useradd --system with uid 10001 warns)."""
    from tests.test_dockerfile import parse_dockerfile

    text = (ROOT / "Dockerfile").read_text()
    assert not re.search(r"^\s*#\s*syntax\s*=", text, re.M | re.I), "a remote BuildKit frontend"
    stages, _ = parse_dockerfile(text)
    for stage in stages:
        if stage.base in {s.name for s in stages}:  # FROM an earlier stage
            continue
        assert re.search(r"-slim-(bookworm|trixie|forky)$", stage.base), f"FROM {stage.base}: pin a Debian release"
    assert "useradd --system" not in text and "--uid 10001" in text


def test_every_documented_run_keeps_its_data_on_a_named_volume():
    readme = (ROOT / "README.md").read_text()
    runs = [line for line in readme.splitlines() if re.search(r"(docker|podman) run\b", line)]
    assert runs and all("-v clerk-data:/data" in line for line in runs if " -d " in line or "-p 3000" in line), runs
    compose = (ROOT / "compose.yaml").read_text()
    assert "clerk-data:/data" in compose
