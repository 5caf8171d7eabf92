"""Static checks of the Dockerfile, .dockerignore and requirements.txt (no Docker engine).

The Dockerfile is parsed with a small line parser (comments, `\\` continuations, stages,
global ARG defaults); the HEALTHCHECK command is also run against a local HTTP server.
"""
from __future__ import annotations

import ast
import http.server
import json
import os
import re
import shlex
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
REQUIREMENTS = ROOT / "requirements.txt"
APP_PACKAGES = ["handlers", "store", "jobs", "grammar", "render", "service"]
APP_FILES = ["bot.py", "settings.py", "alembic.ini", "requirements.txt"]
DEFAULT_PORT = "3000"


# --------------------------------------------------------------------------
# Dockerfile parser
# --------------------------------------------------------------------------

@dataclass
class Instruction:
    cmd: str    # upper-case keyword
    args: str   # the rest, continuations joined
    line: int   # 1-based line where it starts

    def __str__(self) -> str:
        return f"line {self.line}: {self.cmd} {self.args}"


@dataclass
class Stage:
    index: int
    base: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, cmd: str) -> list[Instruction]:
        return [i for i in self.instructions if i.cmd == cmd]


def _substitute(text: str, variables: dict[str, str]) -> str:
    def repl(m: re.Match) -> str:
        name = m.group(1) or m.group(3)
        default = m.group(2)
        value = variables.get(name)
        return value if value else (default or "")
    return re.sub(r"\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)", repl, text)


def parse_dockerfile(text: str) -> tuple[list[Stage], dict[str, str]]:
    instructions: list[Instruction] = []
    buf: list[str] = []
    start = 0
    for lineno, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if stripped.startswith("#"):
            continue  # comments (and parser directives), also inside continuations
        if not buf:
            if not stripped:
                continue
            start = lineno
        elif not stripped:
            continue
        if stripped.endswith("\\"):
            buf.append(stripped[:-1].strip())
            continue
        buf.append(stripped)
        joined = " ".join(part for part in buf if part)
        buf = []
        keyword, _, args = joined.partition(" ")
        instructions.append(Instruction(keyword.upper(), args.strip(), start))
    assert not buf, "Dockerfile ends with a line continuation"

    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    for ins in instructions:
        if ins.cmd == "FROM":
            words = [w for w in ins.args.split() if not w.startswith("--")]
            base = _substitute(words[0], global_args)
            name = words[2].lower() if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append(Stage(len(stages), base, name))
        elif not stages:
            assert ins.cmd == "ARG", f"only ARG may precede FROM ({ins})"
            key, _, value = ins.args.partition("=")
            global_args[key.strip()] = value.strip().strip("\"'")
        else:
            stages[-1].instructions.append(ins)
    assert stages, "Dockerfile has no FROM"
    return stages, global_args


def stage_by_ref(stages: list[Stage], ref: str) -> Stage | None:
    for stage in stages:
        if stage.name == ref.lower() or str(stage.index) == ref:
            return stage
    return None


def lineage(stages: list[Stage], stage: Stage) -> list[Stage]:
    """The stage and the stages it is built FROM, root first."""
    chain = [stage]
    while (parent := stage_by_ref(stages[:chain[0].index], chain[0].base)) is not None:
        chain.insert(0, parent)
    return chain


def final_instructions(stages: list[Stage]) -> list[Instruction]:
    return [i for s in lineage(stages, stages[-1]) for i in s.instructions]


def parse_env(args: str) -> dict[str, str]:
    words = shlex.split(args)
    if words and "=" not in words[0]:  # legacy form: ENV KEY value with spaces
        return {words[0]: " ".join(words[1:])}
    return dict(w.split("=", 1) for w in words)


def final_env(stages: list[Stage]) -> dict[str, str]:
    env: dict[str, str] = {}
    for ins in final_instructions(stages):
        if ins.cmd == "ENV":
            env.update(parse_env(ins.args))
    return env


def exec_or_shell(args: str) -> tuple[list[str], bool]:
    """(argv, is_exec_form) of a CMD/ENTRYPOINT/HEALTHCHECK CMD argument."""
    if args.lstrip().startswith("["):
        argv = json.loads(args)
        assert isinstance(argv, list) and all(isinstance(a, str) for a in argv), args
        return argv, True
    return ["/bin/sh", "-c", args], False


def copy_sources(ins: Instruction) -> tuple[list[str], dict[str, str]]:
    words = shlex.split(ins.args)
    options = dict(w[2:].split("=", 1) if "=" in w else (w[2:], "")
                   for w in words if w.startswith("--"))
    paths = [w for w in words if not w.startswith("--")]
    return paths[:-1], options


# --------------------------------------------------------------------------
# .dockerignore matcher (Docker's rules: last matching pattern wins, `!` re-includes,
# `**` spans directories, a pattern matching a directory excludes what is inside it)
# --------------------------------------------------------------------------

def _pattern_regex(pattern: str) -> re.Pattern:
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[" and "]" in pattern[i + 1:]:
            end = pattern.index("]", i + 1)
            body = pattern[i + 1:end]
            if body.startswith("^") or body.startswith("!"):
                body = "^" + body[1:]
            out.append(f"[{body}]")
            i = end + 1
        elif c == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("".join(out) + r"\Z")


def load_dockerignore(text: str) -> list[tuple[bool, re.Pattern, str]]:
    rules = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = os.path.normpath(line[1:].strip() if negate else line).lstrip("/")
        if pattern.startswith("./"):
            pattern = pattern[2:]
        rules.append((negate, _pattern_regex(pattern), line))
    return rules


def is_ignored(path: str, rules) -> bool:
    """Whether the context path (relative, `/`-separated) is left out of the build."""
    parts = path.strip("/").split("/")
    candidates = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    ignored = False
    for negate, regex, _ in rules:
        if any(regex.match(c) for c in candidates):
            ignored = not negate
    return ignored


# --------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    assert DOCKERFILE.exists(), "Dockerfile is missing"
    return parse_dockerfile(DOCKERFILE.read_text())[0]


@pytest.fixture(scope="module")
def ignore_rules():
    assert DOCKERIGNORE.exists(), ".dockerignore is missing (the image would get .venv/.git)"
    return load_dockerignore(DOCKERIGNORE.read_text())


def _healthcheck(stages: list[Stage]) -> Instruction:
    checks = [i for i in final_instructions(stages) if i.cmd == "HEALTHCHECK"]
    assert checks, "the final image has no HEALTHCHECK"
    return checks[-1]


def _healthcheck_command(ins: Instruction) -> str:
    words = ins.args.split(None)
    while words and words[0].startswith("--"):
        words.pop(0)
    assert words and words[0].upper() != "NONE", f"HEALTHCHECK is disabled ({ins})"
    assert words[0].upper() == "CMD", f"HEALTHCHECK without CMD ({ins})"
    return ins.args[ins.args.upper().index("CMD") + 3:].strip()


def _effective_user(stages: list[Stage]) -> tuple[str | None, str | None]:
    """(user when CMD is declared, user the image finally runs as)."""
    at_cmd = last = None
    for ins in final_instructions(stages):
        if ins.cmd == "USER":
            last = ins.args.strip()
        elif ins.cmd == "CMD":
            at_cmd = last
    return at_cmd, last


def _is_root(user: str) -> bool:
    return user.split(":")[0].strip() in ("root", "0", "")


# --------------------------------------------------------------------------
# parser self-checks (so a broken parser cannot make the real checks pass)
# --------------------------------------------------------------------------

def test_parser_handles_continuations_comments_and_stages():
    text = (
        "# syntax=docker/dockerfile:1\nARG V=3.12\n"
        "FROM python:${V}-slim AS build\nRUN a \\\n  # comment inside\n  && b\n\n"
        "FROM build\nENV A=1 B=\"two words\"\nENV LEGACY some value\nUSER clerk\n"
        "CMD [\"python\", \"bot.py\"]\nUSER root\n"
    )
    stages, global_args = parse_dockerfile(text)
    assert global_args == {"V": "3.12"}
    assert [s.base for s in stages] == ["python:3.12-slim", "build"]
    assert stages[0].instructions[0].args == "a && b"
    assert [s.index for s in lineage(stages, stages[1])] == [0, 1]
    assert final_env(stages) == {"A": "1", "B": "two words", "LEGACY": "some value"}
    assert _effective_user(stages) == ("clerk", "root")


def test_dockerignore_matcher():
    rules = load_dockerignore("**/__pycache__\n*.db\nstore\n!store/keep.py\n/tests\n")
    assert is_ignored("handlers/__pycache__/x.pyc", rules)
    assert is_ignored("clerk.db", rules) and not is_ignored("data/clerk.db", rules)
    assert is_ignored("store/models.py", rules) and not is_ignored("store/keep.py", rules)
    assert is_ignored("tests/test_x.py", rules) and not is_ignored("handlers/tests.py", rules)


# --------------------------------------------------------------------------
# the Dockerfile
# --------------------------------------------------------------------------

BASE_RE = re.compile(r"^(?:docker\.io/)?(?:library/)?python:(\d+)\.(\d+)(?:\.\d+)?-slim"
                     r"(?:-[a-z]+)?(?:@sha256:[0-9a-f]{64})?$")


def test_base_images_are_python_slim_311_or_newer(stages):
    externals = [s for s in stages if stage_by_ref(stages[:s.index], s.base) is None]
    for stage in externals:
        m = BASE_RE.match(stage.base)
        assert m, f"stage {stage.index} is FROM {stage.base!r}: expected python:3.X-slim"
        assert (int(m.group(1)), int(m.group(2))) >= (3, 11), f"{stage.base}: need 3.11+"


def test_runs_as_non_root_user(stages):
    at_cmd, last = _effective_user(stages)
    assert at_cmd is not None, "no USER before CMD: the app would run as root"
    assert not _is_root(at_cmd), f"CMD runs as {at_cmd!r}"
    assert last is not None and not _is_root(last), f"the image finally runs as {last!r}"
    name = last.split(":")[0]
    if not name.isdigit():
        runs = " ".join(i.args for i in final_instructions(stages) if i.cmd == "RUN")
        assert re.search(rf"\b(useradd|adduser)\b[^&;|]*\b{re.escape(name)}\b", runs), (
            f"USER {name} is never created (useradd/adduser) in the final image")


def test_workdir_is_app(stages):
    workdirs = [i.args for i in final_instructions(stages) if i.cmd == "WORKDIR"]
    assert workdirs and workdirs[-1] == "/app"


def test_healthcheck_uses_python_against_healthz(stages):
    command = _healthcheck_command(_healthcheck(stages))
    assert "/healthz" in command
    assert re.search(r"(^|[\s\"'/\[])python3?\b", command), "HEALTHCHECK should use python"
    assert not re.search(r"\b(curl|wget)\b", command), "slim images have no curl/wget"


class _Health(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self):  # noqa: N802
        code = self.status if self.path == "/healthz" else 404
        self.send_response(code)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.mark.skipif(os.name != "posix", reason="needs /bin/sh")
@pytest.mark.parametrize("status, healthy", [(200, True), (503, False), (None, False)],
                         ids=["up", "unhealthy", "down"])
def test_healthcheck_command_works(stages, tmp_path, status, healthy):
    """Run the HEALTHCHECK command (with `python` = this interpreter) against a local server."""
    argv, _ = exec_or_shell(_healthcheck_command(_healthcheck(stages)))
    bindir = tmp_path / "bin"
    bindir.mkdir()
    for name in ("python", "python3"):
        (bindir / name).symlink_to(sys.executable)
    handler = type("Handler", (_Health,), {"status": status or 200})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    port = server.server_address[1]
    if status is None:
        server.server_close()  # nothing listens on `port`
    else:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env = dict(os.environ, PORT=str(port), PATH=f"{bindir}{os.pathsep}{os.environ['PATH']}")
        proc = subprocess.run(argv, env=env, capture_output=True, timeout=30)
    finally:
        if status is not None:
            server.shutdown()
            server.server_close()
    assert (proc.returncode == 0) is healthy, proc.stderr.decode(errors="replace")[-500:]


def test_port_env_expose_and_settings_default_agree(stages):
    env = final_env(stages)
    assert env.get("PORT") == DEFAULT_PORT, f"ENV PORT should default to {DEFAULT_PORT}"
    exposed = [p.split("/")[0] for i in final_instructions(stages) if i.cmd == "EXPOSE"
               for p in i.args.split()]
    assert exposed == [DEFAULT_PORT], f"EXPOSE {exposed} should be just {DEFAULT_PORT}"
    settings = ROOT / "settings.py"
    if not settings.exists():
        pytest.skip("settings.py not written yet")
    assert _settings_port_default(settings.read_text()) == int(DEFAULT_PORT)


def _settings_port_default(source: str) -> int:
    """The default of the `port`/`PORT` setting in settings.py (class field or getenv)."""
    def const(node):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Call):  # Field(3000, ...) / Field(default=3000, ...)
            for kw in node.keywords:
                if kw.arg == "default":
                    return const(kw.value)
            if node.args:
                return const(node.args[0])
        return None

    for node in ast.walk(ast.parse(source)):
        target = value = None
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            target, value = node.target.id, node.value
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            target, value = node.targets[0].id, node.value
        elif (isinstance(node, ast.Call) and len(node.args) == 2
              and isinstance(node.args[0], ast.Constant) and node.args[0].value == "PORT"):
            target, value = "PORT", node.args[1]  # os.environ.get("PORT", "3000")
        if target is not None and target.lower() == "port" and value is not None:
            found = const(value)
            if found is not None:
                return int(found)
    pytest.fail("could not find the PORT default in settings.py (update this test)")


def test_requirements_are_copied_and_installed_into_the_final_image(stages):
    install = None
    for stage in stages:
        copied_at = context_at = None
        for n, ins in enumerate(stage.instructions):
            if ins.cmd == "COPY" and "from" not in copy_sources(ins)[1]:
                sources = [os.path.normpath(s) for s in copy_sources(ins)[0]]
                if "requirements.txt" in sources:
                    copied_at = n
                if "." in sources and context_at is None:
                    context_at = n
            elif ins.cmd == "RUN" and copied_at is not None and re.search(
                    r"pip3?\s+install\b.*\s-r\s+\S*requirements\.txt\b", ins.args):
                install = (stage, ins)
                assert context_at is None, (
                    f"COPY . (line {stage.instructions[context_at].line}) comes before "
                    f"pip install ({ins}): every code change would reinstall the requirements")
                break
        if install:
            break
    assert install, "no stage does COPY requirements.txt then RUN pip install -r requirements.txt"
    stage, ins = install
    assert "--no-cache-dir" in ins.args or final_env(stages[:stage.index + 1]).get(
        "PIP_NO_CACHE_DIR"), f"{ins}: use pip install --no-cache-dir"
    final_chain = lineage(stages, stages[-1])
    if stage not in final_chain:
        copied_from = {copy_sources(i)[1].get("from", "").lower()
                       for s in final_chain for i in s.all("COPY")}
        assert {stage.name, str(stage.index)} & copied_from, (
            f"packages are installed in stage {stage.name or stage.index} but the final "
            "image never copies them (COPY --from=...)")


def test_cmd_runs_python_bot_py(stages):
    cmds = [i for i in final_instructions(stages) if i.cmd == "CMD"]
    assert cmds, "no CMD"
    argv, exec_form = exec_or_shell(cmds[-1].args)
    assert exec_form, "use the exec form CMD [\"python\", \"bot.py\"] so SIGTERM reaches Clerk"
    entrypoints = [i for i in final_instructions(stages) if i.cmd == "ENTRYPOINT"]
    if entrypoints:
        ep, ep_exec = exec_or_shell(entrypoints[-1].args)
        assert ep_exec, "a shell-form ENTRYPOINT ignores CMD"
        argv = ep + argv
    assert len(argv) >= 2 and re.fullmatch(r"python(3(\.\d+)?)?", os.path.basename(argv[0])) \
        and argv[1] in ("bot.py", "/app/bot.py"), f"CMD runs {argv}, expected python bot.py"


def test_database_lives_on_a_volume_writable_by_the_app_user(stages):
    env = final_env(stages)
    url = env.get("DATABASE_URL", "")
    assert url.startswith("sqlite:////data/"), f"DATABASE_URL={url!r}"
    volumes = " ".join(i.args for i in final_instructions(stages) if i.cmd == "VOLUME")
    assert "/data" in volumes, "no VOLUME /data: the database would live in the container"
    user = _effective_user(stages)[1] or ""
    runs = [i.args for i in final_instructions(stages) if i.cmd == "RUN"]
    assert any(re.search(rf"chown\b[^&;|]*\b{re.escape(user.split(':')[0])}\b[^&;|]*\s/data\b",
                         r) for r in runs), f"/data is not chown'ed to {user}"


# --------------------------------------------------------------------------
# .dockerignore
# --------------------------------------------------------------------------

def test_app_code_is_in_the_build_context(stages, ignore_rules):
    present = [p for p in APP_PACKAGES if (ROOT / p).is_dir()]
    files = [f for f in APP_FILES if (ROOT / f).is_file()]
    copied = {os.path.normpath(s).rstrip("/")
              for i in stages[-1].all("COPY") if "from" not in copy_sources(i)[1]
              for s in copy_sources(i)[0]}
    for package in present:
        assert not is_ignored(package, ignore_rules), f".dockerignore excludes {package}/"
        for path in (ROOT / package).rglob("*"):
            rel = path.relative_to(ROOT).as_posix()
            if path.is_file() and "__pycache__" not in rel and not rel.endswith(".pyc"):
                assert not is_ignored(rel, ignore_rules), f".dockerignore excludes {rel}"
        assert "." in copied or package in copied, f"the final stage never copies {package}/"
    for name in files:
        assert not is_ignored(name, ignore_rules), f".dockerignore excludes {name}"


@pytest.mark.parametrize("path", [".venv/bin/python", ".git/config", "tests/test_x.py",
                                  "bench/run.py", "clerk.db", "store/__pycache__/db.pyc",
                                  ".env"])
def test_dockerignore_keeps_junk_and_secrets_out(ignore_rules, path):
    assert is_ignored(path, ignore_rules), f"{path} would be sent into the image"


# --------------------------------------------------------------------------
# requirements
# --------------------------------------------------------------------------

PIN_RE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]+\])?\s*==\s*[^\s;,*]+\s*(;.*)?$")


def test_requirements_are_pinned_and_include_tzdata():
    names = []
    for n, raw in enumerate(REQUIREMENTS.read_text().splitlines(), 1):
        line = re.sub(r"\s+#.*$", "", raw).strip()
        if not line or line.startswith("#"):
            continue
        m = PIN_RE.match(line)
        assert m, f"requirements.txt:{n}: {raw!r} is not pinned with =="
        names.append(re.sub(r"[-_.]+", "-", m.group(1)).lower())
    duplicates = {name for name in names if names.count(name) > 1}
    assert not duplicates, f"listed more than once: {sorted(duplicates)}"
    assert "tzdata" in names, "tzdata is needed for zoneinfo on slim images"


def test_dev_requirements_include_runtime_requirements():
    lines = [line.strip() for line in (ROOT / "requirements-dev.txt").read_text().splitlines()]
    assert "-r requirements.txt" in lines
