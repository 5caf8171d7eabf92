"""Clerk: builds the Bolt app, registers handlers, starts the sender; the command line.

    python bot.py                       serve (HTTP, or Socket Mode when SLACK_APP_TOKEN is set)
    python bot.py console [--as WHO] [--at ISO-TIME]   the same commands at a terminal, no Slack needed
    python bot.py db upgrade            apply migrations (serve does it too)
    python bot.py import actions FILE [--board B] [--as-of DATE] [--skip-bad]
    python bot.py export actions|plan [--board B] [--status S] --format csv|xlsx|md|docx [--output FILE]
    python bot.py jobs list | jobs run JOB [--at ISO-TIME] [--dry-run]
"""
from __future__ import annotations

import os
import signal
import sys

if __name__ == "__main__":  # first: as PID 1 in a container a signal with no handler is ignored, and `docker
    # stop` during start-up would wait for SIGKILL. Until serving starts, TERM ends the process at once, as it
    # does outside a container (nothing is half-done: migrations roll back, the sender goes with its pipe).
    signal.signal(signal.SIGTERM, lambda *_: os._exit(143))

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import threading  # noqa: E402
from collections.abc import Callable  # noqa: E402

from settings import Settings, SettingsError, load  # noqa: E402

log = logging.getLogger("clerk")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def running_from(start: dt.datetime) -> Callable[[], dt.datetime]:
    """A clock that reads `start` now and runs on from it at the real pace (CLERK_NOW, --at)."""
    import time

    began = time.monotonic()
    return lambda: start + dt.timedelta(seconds=time.monotonic() - began)


def clock_for(settings: Settings) -> Callable[[], dt.datetime]:
    return utc_now if settings.now_from is None else running_from(settings.now_from)


class Clerk:
    """Everything one Clerk process holds: database, conversation, Slack client and sender."""

    def __init__(self, settings: Settings, clock: Callable[[], dt.datetime] | None = None, *, serving: bool = False):
        from service.conversation import Conversation
        from store.db import make_engine, make_sessionmaker

        clock = clock or clock_for(settings)
        self.settings, self.clock = settings, clock
        # serving: the sender thread checkpoints SQLite's WAL, so no request pays for it
        self.engine = make_engine(settings.DATABASE_URL, autocheckpoint=not serving)
        self.read_engine = make_engine(settings.DATABASE_URL, writer=False, autocheckpoint=not serving)
        self.sessions = make_sessionmaker(self.engine)
        self.read_sessions = make_sessionmaker(self.read_engine)
        from store.calendar import WorkingCalendar

        self.calendar = WorkingCalendar(settings.CLERK_HOLIDAYS)
        self.socket_mode = None  # the Socket Mode handler, when Slack's events come that way
        self.conversation = Conversation(self.sessions, settings.tz, clock, self.calendar, self.read_sessions,
                                         home_delay=dt.timedelta(seconds=2) if serving else dt.timedelta(0))
        self.sender = None
        self.app = None
        self.quick_client = None  # for the request path: no retries, a short timeout (Slack's 3 seconds)
        self.home: dict = {}  # which workspace and app this is, from auth.test at start
        self.token_fp: str | None = None  # which bot token (store.faults.fingerprint), once Slack is built
        self.faults = None  # slackweb.FaultView of that token's faults, once Slack is built
        self._forgot = float("-inf")
        self._sending = False  # start_background started the sender

    def upgrade(self) -> None:
        from store.db import upgrade

        upgrade(self.engine)

    def wake_sender(self) -> None:
        if self.sender is not None:
            self.sender.wake()

    def sender_alive(self) -> bool | None:
        """Whether the sender started by start_background still runs; None when none was started
        (a test, a job run at the terminal: their outbox is sent by hand)."""
        return self.sender.alive() if self.sender is not None and self._sending else None

    def job_ran(self, name: str, seconds: float, ok: bool) -> None:
        import metrics

        metrics.job_ran(name, seconds, ok)

    def housekeeping(self) -> None:
        """When the sender has nothing to send: fold SQLite's WAL back, and now and then forget
        delivery ids older than any retry Slack makes."""
        import time

        from store.db import checkpoint, unit_of_work
        from store.outbox import forget_deliveries, forget_sent

        checkpoint(self.engine)
        if time.monotonic() - self._forgot > 600:
            self._forgot = time.monotonic()
            with unit_of_work(self.sessions) as s:
                forget_deliveries(s, self.clock() - dt.timedelta(days=2))
                forget_sent(s, self.clock() - dt.timedelta(days=14))

    def open_modal(self, client, trigger_id, view: dict) -> str | None:
        """views.open, answered in time for Slack's 3 seconds: one try with a short timeout (a
        trigger_id lives 3 seconds, so a retry could only fail); the error when it did not open."""
        from slackweb import open_view

        refused = self.token_refused()
        if refused:
            return refused
        return open_view(self.quick_client or client, trigger_id, view)

    def permalink(self, client, channel, ts) -> str | None:
        from slackweb import permalink

        return None if self.token_refused() else permalink(client, channel, ts)  # with a shorter timeout of its own

    def slack_faults(self) -> list:
        """The faults recorded for this token (store.faults), read at most every few seconds."""
        return self.faults.all() if self.faults is not None else []

    def token_refused(self) -> str | None:
        return self.faults.token_refused() if self.faults is not None else None

    def token_lost(self, why: str) -> None:
        """Slack says the app was uninstalled or its tokens revoked: this token is never used again.
        The outbox keeps its rows for a reinstall, which brings a new token and a clean slate."""
        from store import faults
        from store.db import unit_of_work

        with unit_of_work(self.sessions) as s:
            new = faults.record(s, faults.TOKEN, self.token_fp, why, self.clock())
        if new:
            log.error("Slack says %s: Clerk stops using this bot token; messages wait in the outbox. Reinstall "
                      "the app and set SLACK_BOT_TOKEN to its new token.", why.replace("_", " "))
        self.faults.changed()
        if hasattr(self.sender, "faults"):  # a sender thread of this process; a sender process reads it within a second
            self.sender.faults.changed()

    def tell_could_not_open(self, body: dict, what: str, error: str) -> None:
        from service.forms import tell_could_not_open
        from service.presses import where_pressed

        user = (body.get("user") or {}).get("id") if isinstance(body.get("user"), dict) else None
        if user:
            tell_could_not_open(self.conversation, user, where_pressed(body)[0], what, error)
            self.wake_sender()

    # -- Slack ----------------------------------------------------------------------------

    def build_slack(self):
        from slack_bolt import App

        from handlers import commands, events, forms, home, interactions
        from slackweb import FaultView, make_client
        from store.faults import fingerprint

        token = self.settings.SLACK_BOT_TOKEN.get_secret_value()
        client = make_client(token, self.settings.SLACK_API_URL)
        self.quick_client = make_client(token, self.settings.SLACK_API_URL, quick=True)
        self.token_fp = fingerprint(token)
        self.faults = FaultView(self.read_sessions, self.token_fp, ttl=5.0)
        secret = self.settings.SLACK_SIGNING_SECRET
        self.app = App(client=client, signing_secret=secret.get_secret_value() if secret else "socket-mode",
                       process_before_response=True)
        import metrics

        self.app.dispatch = metrics.timed(self.app.dispatch)  # each request timed, and logged with its key

        self.home = _installed_as(self.app, client)

        @self.app.middleware
        def put_clerk(body, context, next):  # every listener finds this process's Clerk in its context
            from slack_bolt import BoltResponse

            if not _from_our_install(self.home, body, context):  # another workspace or app: 200, nothing done
                log.warning("a request from another workspace or app was ignored (team %s, app %s)",
                            str(context.team_id)[:20], str(body.get("api_app_id"))[:20])
                return BoltResponse(status=200, body="")
            context["clerk"] = self
            return next()

        @self.app.error
        def on_error(error):
            """Whatever a request held, never a 500: one line in the log (no payload, which carries
            Slack's verification token), and a 400 that changes nothing."""
            from slack_bolt import BoltResponse

            log.error("a Slack request could not be handled (%s)", type(error).__name__, exc_info=error)
            return BoltResponse(status=400, body="Clerk could not read that request; nothing was changed.")

        commands.register(self.app, self)
        events.register(self.app, self)
        interactions.register(self.app, self)
        forms.register(self.app, self)
        home.register(self.app, self)
        self.sender = self.make_sender(client)
        return self.app

    def make_sender(self, client=None, **events):
        """The outbox sender: posts, DMs and App Home publishes, on this Clerk's database."""
        from service.home import view_for
        from slackweb import OutboxSender, make_client

        if client is None:
            client = make_client(self.settings.SLACK_BOT_TOKEN.get_secret_value(), self.settings.SLACK_API_URL)
        return OutboxSender(self.sessions, client, self.clock, on_idle=self.housekeeping,
                            read_sessions=self.read_sessions,
                            home_view=lambda s, user: view_for(s, user, self.clock(), self.settings.tz, self.calendar),
                            put_together=self.conversation.put_together, **events)

    def send_owed(self) -> None:
        """What a job owed goes out now: sent here (a job run at the terminal, a test), or the
        sender process is woken to send it."""
        if isinstance(self.sender, SenderProcess):
            self.sender.wake()
        elif self.sender is not None:
            while self.sender.send_due():
                pass

    def wsgi(self):
        """POST /slack/events to Bolt; GET /healthz says whether Clerk can work (health.py), GET
        /metrics what it counts (metrics.py)."""
        http_mode = self.app is not None and self.settings.SLACK_APP_TOKEN is None
        bolt = _bolt_adapter(self.app) if http_mode else None

        def app(environ, start_response):
            path = environ.get("PATH_INFO")
            if path in ("/healthz", "/metrics"):
                if path == "/healthz":
                    import health

                    code, said = health.report(self)
                    status, kind, payload = f"{code} {'OK' if code == 200 else 'Service Unavailable'}", \
                        "application/json", json.dumps(said).encode()
                else:
                    import metrics

                    status, (payload, kind) = "200 OK", metrics.render(self)
                start_response(status, [("Content-Type", kind), ("Content-Length", str(len(payload)))])
                return [payload]
            if bolt is None:
                start_response("404 Not Found", [("Content-Type", "text/plain")])
                return [b"Socket Mode: Slack events do not come over HTTP"]
            return _guarded(bolt, environ, start_response)

        return app

    def start_background(self) -> None:
        """Start sending the outbox: in a process of its own when serving (CLERK_SENDER=process),
        else a thread of this one."""
        if self.sender is not None and self.settings.CLERK_SENDER == "process":
            self.sender = SenderProcess(self.settings)
        if self.sender is not None:
            self.sender.start()
            self._sending = True

    def stop(self) -> None:
        if self.sender is not None:
            self.sender.stop()
        self.conversation.directory.close()
        self.engine.dispose()
        self.read_engine.dispose()


def _bolt_adapter(app):
    """Bolt's WSGI adapter, with one of its readings mended: Bolt takes any body in which the word
    "payload" appears for an interaction, and when no field is named so it reads the body as
    empty, so `/action update 74/18 The payload is agreed` got "unhandled request" and was lost.
    Such a form is read as the fields it has; the raw body, which the signature covers, is Bolt's
    as it came."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from slack_bolt.context import BoltContext
    from slack_bolt.request import BoltRequest
    from slack_bolt.request.internals import build_context

    from handlers.payloads import form_fields, has_payload_field

    class FormsAsTyped(SlackRequestHandler):
        def dispatch(self, request):
            req = BoltRequest(body=request.get_body(), query=request.query_string, headers=request.get_headers())
            if not req.body and req.raw_body and "payload" in req.raw_body and not has_payload_field(req.raw_body):
                req.body = dict(form_fields(req.raw_body))
                req.context = build_context(BoltContext({}), req.body)
            return self.app.dispatch(req)

    return FormsAsTyped(app)


class SenderProcess:
    """The outbox sender in a process of its own (CLERK_SENDER=process, the default).

    Posting to Slack and rendering App Home are Python work; in the server's process they would
    hold the interpreter lock a request is waiting for (tens of ms while a home renders). In
    their own process they run on the other core. The server wakes it by writing a byte to a pipe
    (never blocking: a full pipe already holds a wake-up, a dead reader is the watch thread's to
    replace), and stops it by writing "stop". At the pipe's end (the server's process has gone,
    however it went) the sender goes too, so a killed server leaves no sender behind; the server
    starts a new one if it ever exits. Claims, leases and settling from Slack's history are the
    outbox's, the same as for several replicas, so nothing is sent twice or lost across a restart."""

    RESTART_AFTER = 1.0  # seconds: a sender that keeps failing at start-up does not spin
    STOP_WAIT = 20.0  # seconds a stopping sender may finish its round before it is killed

    def __init__(self, settings: Settings):
        import multiprocessing

        self.settings = settings
        self._ctx = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited threads or connections
        self.process = None
        self._writer = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._watch: threading.Thread | None = None

    def start(self) -> None:
        self._spawn()
        self._watch = threading.Thread(target=self._keep_running, name="clerk-sender-watch", daemon=True)
        self._watch.start()

    def _spawn(self) -> None:
        import os

        reader, writer = self._ctx.Pipe(duplex=False)
        os.set_blocking(writer.fileno(), False)
        process = self._ctx.Process(target=run_sender_process, args=(self.settings, reader),
                                    name="clerk-sender", daemon=True)
        process.start()
        reader.close()  # the child has its own copy: when this process goes, the child reads the end
        with self._lock:
            old, self._writer, self.process = self._writer, writer, process
        if old is not None:
            old.close()

    def _keep_running(self) -> None:
        while not self._stopping.is_set():
            self.process.join(timeout=1.0)
            if self.process.exitcode is not None and not self._stopping.is_set():
                log.error("the outbox sender process exited (code %s); starting another", self.process.exitcode)
                self._stopping.wait(self.RESTART_AFTER)
                if not self._stopping.is_set():
                    self._spawn()

    def _send(self, what: bytes) -> None:
        import os

        with self._lock:
            if self._writer is None:
                return
            try:
                os.write(self._writer.fileno(), what)
            except (BlockingIOError, BrokenPipeError, OSError):
                pass  # full: a wake-up is already waiting; gone: the watch thread starts another

    def wake(self) -> None:
        self._send(b"w")

    def alive(self) -> bool:
        """Running, or about to be started again by its watch thread (within RESTART_AFTER)."""
        watching = self._watch is not None and self._watch.is_alive() and not self._stopping.is_set()
        return self.process is not None and (self.process.is_alive() or watching)

    def stop(self) -> None:
        self._stopping.set()
        self._send(b"s")
        if self.process is not None:
            self.process.join(timeout=self.STOP_WAIT)
            if self.process.is_alive():
                self.process.kill()
                self.process.join(timeout=5)
        if self._watch is not None:
            self._watch.join(timeout=5)
        with self._lock:
            if self._writer is not None:
                self._writer.close()
                self._writer = None


def run_sender_process(settings: Settings, pipe) -> None:
    """The sender process's whole life: its own engines on the same database, then send until the
    server says stop, or goes."""
    import os

    _configure_logging(settings.CLERK_LOG_FORMAT)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the server, which stops this process
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))  # as a kill: leases settle what was mid-post
    _yield_to_requests()  # before any thread starts: on Linux each thread has its own priority, and inherits it
    wake, stop = threading.Event(), threading.Event()
    wake.set()  # a first round at once: what was owed while no sender ran

    def listen() -> None:
        """Wake-ups and "stop" from the server; the pipe's end means the server's process has gone
        (kill -9, out of memory): go with it, as a thread of it would have."""
        while True:
            try:
                got = os.read(pipe.fileno(), 4096)
            except InterruptedError:
                continue
            except OSError:
                got = b""
            if not got:
                os._exit(70)
            if b"s" in got:
                stop.set()
            wake.set()

    threading.Thread(target=listen, name="clerk-sender-pipe", daemon=True).start()
    clerk = Clerk(settings, serving=True)
    _tune_for_serving()
    try:
        clerk.make_sender(wake_event=wake, stop_event=stop).run()
    finally:
        clerk.engine.dispose()
        clerk.read_engine.dispose()


SENDER_NICE = 10


def _yield_to_requests() -> None:
    """The sender's work can wait a few milliseconds; a person's command cannot. On a machine
    with few cores, the sender process runs at a lower CPU priority (nice 10), so that the kernel
    gives a request the core first. Its database locks are held only for single statements (the
    claim, marking a row sent), so a slower sender never holds a writer up for long."""
    import os

    try:
        os.nice(SENDER_NICE)
    except OSError:  # not permitted here: the sender runs at the server's priority, as a thread would
        log.info("the outbox sender runs at the server's CPU priority (nice is not permitted)")


def _guarded(bolt, environ, start_response):
    """Bolt, behind a check of the request's shape and with its 500s turned into 400s: a bad value
    from Slack gets a clear answer and changes nothing, whatever it holds."""
    import io

    from handlers.payloads import problem

    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    environ["wsgi.input"] = io.BytesIO(body)
    why = problem(body, environ.get("CONTENT_TYPE", ""))
    if why:
        log.warning("refused a request Slack would not send: %s", why)
        payload = f"Clerk could not read that request ({why}); nothing was changed.".encode()
        start_response("400 Bad Request", [("Content-Type", "text/plain"), ("Content-Length", str(len(payload)))])
        return [payload]

    def answer(status: str, headers, exc_info=None):
        if status.startswith("500"):
            status = "400 Bad Request"
        return start_response(status, headers, exc_info)

    try:
        return bolt(environ, answer)
    except Exception as exc:  # noqa: BLE001 - raised inside Bolt itself, by a request's odd shape
        log.error("a Slack request could not be handled (%s)", type(exc).__name__, exc_info=exc)
        payload = b"Clerk could not read that request; nothing was changed."
        start_response("400 Bad Request", [("Content-Type", "text/plain"), ("Content-Length", str(len(payload)))],
                       sys.exc_info())
        return [payload]


def make_http_server(clerk: Clerk, host: str = "0.0.0.0", port: int | None = None):
    """waitress: a production WSGI server in one process with threads (no forked workers,
    so never two senders or schedulers from one deployment)."""
    from waitress import create_server

    return create_server(clerk.wsgi(), host=host, port=clerk.settings.PORT if port is None else port,
                         threads=8, ident="clerk", clear_untrusted_proxy_headers=True)


def _tune_for_serving() -> None:
    """For the server and for the sender process alike. Python hands the GIL to a waiting thread
    only every switch interval (5 ms by default), and a thread waits for it again after each
    database call: with the sender as a thread of the server (CLERK_SENDER=thread), a sender busy
    rendering App Home could add tens of ms to a command, and the server's waitress threads share
    it too. 1 ms keeps each turn short. What start-up loaded (dateparser's data, Bolt, the
    models) is frozen out of the collector's full passes, which would otherwise walk it."""
    import gc

    sys.setswitchinterval(0.001)
    gc.collect()
    gc.freeze()


def serve(settings: Settings) -> int:
    settings.require_serving()
    clerk = Clerk(settings, serving=True)
    _upgrade_or_exit(clerk)
    from grammar.dates import warm

    warm()
    counts = _metrics_dir()
    import logs

    try:
        with logs.quiet("slack_sdk", "slack_bolt"):
            clerk.build_slack()
    except Exception as exc:  # noqa: BLE001 - Bolt checks the token with auth.test at start
        raise SettingsError(_slack_refused(exc, settings)) from None
    _tune_for_serving()
    clerk.start_background()
    scheduler = None
    if settings.CLERK_SCHEDULER == "on":
        from jobs.runner import make_scheduler

        scheduler = make_scheduler(clerk)
        scheduler.start()
        log.info("scheduler on: %s", ", ".join(job.id for job in scheduler.get_jobs() if "@" not in job.id))
    server = make_http_server(clerk)
    socket_handler = None
    if settings.SLACK_APP_TOKEN is not None:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        socket_handler = clerk.socket_mode = SocketModeHandler(clerk.app, settings.SLACK_APP_TOKEN.get_secret_value())
        threading.Thread(target=_connect_socket_mode, args=(socket_handler,), name="clerk-socket-mode",
                         daemon=True).start()
        log.info("Clerk using Socket Mode; /healthz on port %s", settings.PORT)
    else:
        log.info("Clerk serving Slack on http://0.0.0.0:%s/slack/events", settings.PORT)
    signal.signal(signal.SIGTERM, _interrupt)  # docker stop / systemd: leave the loop like Ctrl-C
    try:
        server.run()
    except (KeyboardInterrupt, OSError):
        pass
    finally:
        server.close()
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        if socket_handler is not None:
            socket_handler.close()
        clerk.stop()
        if counts is not None:  # a folder of its own, made for this run
            import shutil

            shutil.rmtree(counts, ignore_errors=True)
        log.info("Clerk stopped")
    return 0


def _interrupt(*_args) -> None:
    raise KeyboardInterrupt


def _slack_refused(exc: Exception, settings: Settings) -> str:
    """One line for a start-up whose auth.test failed: Slack refused the token, or could not be reached."""
    from slack_sdk.errors import SlackApiError

    chain = [exc]
    while len(chain) < 6 and (chain[-1].__cause__ or chain[-1].__context__) is not None:  # Bolt wraps them
        chain.append(chain[-1].__cause__ or chain[-1].__context__)
    refused = next((e for e in chain if isinstance(e, SlackApiError)), None)
    if refused is not None and refused.response is not None and refused.response.status_code == 200:
        return (f"SLACK_BOT_TOKEN was refused by Slack ({refused.response.get('error')}): reinstall the app and "
                "copy its Bot User OAuth Token")
    cause = chain[-1]
    reason = " ".join(str(getattr(cause, "reason", None) or cause).split())[:120]
    return (f"SLACK_API_URL: Slack cannot be reached at {settings.SLACK_API_URL} ({type(cause).__name__}: "
            f"{reason}): check the network, DNS, a proxy (HTTPS_PROXY) or the firewall")


def _metrics_dir() -> str | None:
    """prometheus_client's multiprocess mode, for this server and its sender process: a folder named
    before anything imports it (PROMETHEUS_MULTIPROC_DIR, emptied of stale counts, or a fresh one,
    which is returned to be removed at the end)."""
    import tempfile
    from pathlib import Path

    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    folder = given or tempfile.mkdtemp(prefix="clerk-metrics-")
    Path(folder).mkdir(parents=True, exist_ok=True)
    for stale in Path(folder).glob("*.db"):
        stale.unlink(missing_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
    return None if given else folder


def _connect_socket_mode(handler, retry_every: float = 10.0) -> None:
    """Connect, and keep trying while Slack cannot be reached; /healthz serves meanwhile.
    Once connected, slack-sdk's client reconnects by itself."""
    import time

    from slack_sdk.errors import SlackApiError

    while True:
        try:
            handler.connect()  # raises when apps.connections.open fails; a refused WebSocket is retried by slack-sdk
            if handler.client.is_connected():
                log.info("Socket Mode connected")
            else:
                log.warning("Socket Mode: Slack gave a URL but the WebSocket did not open yet; slack-sdk keeps trying")
            return
        except Exception as exc:  # noqa: BLE001 - logged without the token, and retried
            why = exc.response.get("error") if isinstance(exc, SlackApiError) and exc.response is not None else \
                type(exc).__name__
            hint = " (check SLACK_APP_TOKEN: an app-level token with connections:write)" if why in (
                "invalid_auth", "not_authed", "token_revoked", "not_allowed_token_type", "missing_scope") else ""
            log.warning("Socket Mode could not connect (%s)%s; retrying in %ss", why, hint, retry_every)
            time.sleep(retry_every)


def _installed_as(app, client) -> dict:
    """Who Clerk is in Slack, as auth.test said at start: team_id, enterprise_id, app_id,
    is_enterprise_install (Bolt made the call when it checked the token; asked again only if not)."""
    from slack_bolt.middleware.authorization.single_team_authorization import SingleTeamAuthorization

    found = next((m.auth_test_result for m in getattr(app, "_middleware_list", [])
                  if isinstance(m, SingleTeamAuthorization) and m.auth_test_result), None)
    said = found if found is not None else client.auth_test()
    return {k: said.get(k) for k in ("team_id", "enterprise_id", "app_id", "is_enterprise_install")}


def _from_our_install(home: dict, body: dict, context) -> bool:
    """A request is Clerk's when it comes from its workspace (or, installed org-wide, its Enterprise
    Grid org) and names its app. What a request does not say is not held against it."""
    app_id = body.get("api_app_id") if isinstance(body, dict) else None
    if app_id and home.get("app_id") and app_id != home["app_id"]:
        return False
    if home.get("is_enterprise_install") and home.get("enterprise_id"):
        return not context.enterprise_id or context.enterprise_id == home["enterprise_id"]
    return not context.team_id or not home.get("team_id") or context.team_id == home["team_id"]


def _slack_health(found: list) -> dict | None:
    """What /healthz says of Slack's set-up: nothing when all is well; else what is wrong and what
    to do. The server still answers 200 (the database is fine; restarting would not help)."""
    from store import faults

    if not found:
        return None
    token = [f.detail for f in found if f.kind == faults.TOKEN]
    scopes = sorted(f.detail for f in found if f.kind == faults.SCOPE)
    said: dict = {"ok": False}
    if token:
        said["token"] = (f"refused by Slack ({token[0]}): nothing is sent; messages wait in the outbox. "
                         "Reinstall the app and set SLACK_BOT_TOKEN to its new token.")
    if scopes:
        said["missing_scopes"] = scopes
        said["scopes"] = "messages that need these wait in the outbox: reinstall the app from manifest.yml"
    return said


def _upgrade_or_exit(clerk: Clerk) -> None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    from store.db import UnsuitableDatabase, check_place, read_only, unit_of_work, write_problem
    from store.imports import undo_stale

    try:
        check_place(clerk.settings.DATABASE_URL)
        clerk.upgrade()
        if write_problem(clerk.engine, wait=10) == "read-only":
            raise UnsuitableDatabase("the database is read-only: Clerk could not record anything. Make the file and "
                                     "its folder writable for this user, or point DATABASE_URL at the primary")
        with unit_of_work(clerk.sessions) as s:  # an import whose process died leaves nothing half-shown
            undo_stale(s, utc_now())
    except UnsuitableDatabase as exc:
        raise SettingsError(f"DATABASE_URL: {exc}") from None
    except OperationalError as exc:
        if read_only(exc):
            raise SettingsError("DATABASE_URL: the database is read-only: make it (and its folder) writable for "
                                "this user, or point DATABASE_URL at the primary") from None
        where = make_url(clerk.settings.DATABASE_URL).render_as_string(hide_password=True)
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise SettingsError(f"DATABASE_URL: cannot use {where} ({reason}): check the URL and that the "
                            "database is running") from None


def _given_time(text: str, settings: Settings) -> dt.datetime:
    """--at's ISO time, in CLERK_TIMEZONE unless it has an offset; one line (exit 2) when unreadable."""
    try:
        at = dt.datetime.fromisoformat(text)
    except ValueError:
        raise SettingsError(f"--at {text}: give an ISO time such as 2018-11-29T09:00 (in {settings.CLERK_TIMEZONE} "
                            "unless it has an offset)") from None
    return (at if at.tzinfo else at.replace(tzinfo=settings.tz)).astimezone(dt.UTC)


def console(settings: Settings, as_who: str | None, at: str | None = None) -> int:
    from service.conversation import Speaker

    clerk = Clerk(settings, running_from(_given_time(at, settings)) if at else None)
    _upgrade_or_exit(clerk)
    import re

    if as_who and re.fullmatch(r"[UW][A-Z0-9]{6,}", as_who):
        speaker = Speaker(user_id=as_who, surface="console")
    else:
        speaker = Speaker(user_id="console", user_name="console", surface="console",
                          initials=as_who.upper() if as_who else None)
    interactive = sys.stdin.isatty()
    if interactive:
        print("Clerk console: type commands as in Slack, without the slash (action help, clerk help). Ctrl-D to leave.")
    while True:
        try:
            line = input("clerk> " if interactive else "")
        except EOFError:
            break
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.strip() in ("quit", "exit"):
            break
        if not interactive:  # a piped transcript reads as a conversation: each command, then its reply
            print(f"clerk> {line}")
        try:
            reply = clerk.conversation.handle(_console_channels(line, settings), speaker).plain
        except Exception as exc:  # noqa: BLE001 - one line said, and the commands after it still run
            logging.getLogger("clerk.console").exception("console command failed")
            reply = f"Clerk could not do that ({type(exc).__name__}); nothing was changed. The next command runs."
        print(reply)
        if not interactive:
            print()
    clerk.stop()
    return 0


def _console_channels(line: str, settings: Settings) -> str:
    """`#pr-board` typed at the console: the channel Slack knows by that name when Clerk is
    connected (written as Slack sends a picked channel); otherwise left for the grammar, which
    keeps it by name."""
    import re

    pattern = re.compile(r"(?<![\w<#&])#((?=[\w.-]*[a-z])[a-z0-9][\w.-]{0,79})", re.I)  # a name, not a ref (#74)
    names = {name.lower() for name in pattern.findall(line)}
    if not names or settings.SLACK_BOT_TOKEN is None:
        return line
    from slackweb import channel_ids

    found = channel_ids(settings, names)
    return pattern.sub(lambda m: f"<#{found[m.group(1).lower()]}|{m.group(1).lower()}>"
                       if m.group(1).lower() in found else m.group(0), line)


def jobs_command(settings: Settings, args) -> int:
    from jobs.runner import JOBS, describe_jobs, run_job

    clerk = Clerk(settings)
    _upgrade_or_exit(clerk)
    if args.what == "list":
        print("\n".join(describe_jobs(clerk, clerk.clock())))
        return 0
    if args.job not in JOBS:
        said = f"There is no job “{args.job}”." if args.job else "Which job?"
        print(f"{said} Jobs: {', '.join(JOBS)} (python bot.py jobs list shows them with their times).",
              file=sys.stderr)
        return 2
    at = _given_time(args.at, settings) if args.at else clerk.clock()
    if settings.SLACK_BOT_TOKEN is not None and not args.dry_run:
        clerk.build_slack()
    from render.fmt import as_plain
    from slackweb import FatalSlackError

    try:
        owed = run_job(clerk, args.job, at, dry_run=args.dry_run)
    except FatalSlackError as exc:
        print(f"{args.job} stopped: Slack refused Clerk's token ({exc}); nothing was marked sent. "
              "Reinstall the app or fix SLACK_BOT_TOKEN.", file=sys.stderr)
        return 1
    for item in owed:
        n = len(item.occasions)
        print(f"→ {item.recipient} ({n} item{'s' * (n != 1)}):")
        text = as_plain(item.text)  # a terminal shows the words, not Slack's escaping
        print("\n".join(f"    {line}" for line in text.splitlines()) if args.dry_run else f"    {text.splitlines()[0]}")
    verb = "would owe" if args.dry_run else "owed"
    print(f"{args.job} at {at.astimezone(settings.tz):%a %d %b %Y %H:%M}: {verb} {len(owed)} message{'s' * (len(owed) != 1)}"
          + ("" if args.dry_run or clerk.sender else "; they wait in the outbox until Clerk serves with a Slack token"))
    if not owed and not _anyone_on_slack(clerk):
        print("Nobody registered with Clerk is on Slack yet, so there is nobody to send to: people added at the "
              "console have no Slack user. Once Clerk is in your workspace, link them: clerk person AH <@U…>.")
    clerk.stop()
    return 0


def _anyone_on_slack(clerk: Clerk) -> bool:
    from sqlalchemy import select

    from store.models import Person

    with clerk.read_sessions() as s:
        return s.scalar(select(Person.id).where(Person.slack_user_id.is_not(None), Person.console.is_(False))
                        .limit(1)) is not None


def _configure_logging(fmt: str = "text") -> None:
    import logs

    logs.configure(fmt)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bot.py", description="Clerk: the action log in Slack.")
    sub = parser.add_subparsers(dest="cmd")
    p = sub.add_parser("console", help="type Clerk's commands at a terminal, no Slack needed")
    p.add_argument("--as", dest="as_who", help="initials (AH) or a Slack user id to act as")
    p.add_argument("--at", help="rehearse as if it were this ISO time (the clock runs on from it)")
    p = sub.add_parser("db", help="database")
    p.add_argument("what", choices=["upgrade"])
    p = sub.add_parser("import", help="import an action log (csv, xlsx), a backup, or a meeting's minutes")
    p.add_argument("what", choices=["actions", "backup", "minutes"])
    p.add_argument("file")
    p.add_argument("--board")
    p.add_argument("--as-of", dest="as_of", help="the date the log was written (reads '24 November' against it)")
    p.add_argument("--skip-bad", action="store_true", help="import the good rows even if some cannot be read "
                   "(minutes: apply the changes the log accepts, and name the ones left out)")
    p.add_argument("--date", help="minutes: the meeting's date, when the minutes do not say it")
    p.add_argument("--format", choices=["text", "csv"], default="text", help="minutes: how the proposal is shown")
    p.add_argument("--apply", action="store_true", help="minutes: make the proposed changes")
    p = sub.add_parser("export", help="export the action log, the forward plan, or a backup of everything")
    p.add_argument("what", choices=["actions", "plan", "backup"])
    p.add_argument("--board")
    p.add_argument("--status")
    p.add_argument("--format", choices=["csv", "xlsx", "md", "docx"])
    p.add_argument("--output")
    p.add_argument("--include-private", action="store_true", help="md, docx: include Part B items (csv and xlsx always do)")
    p = sub.add_parser("jobs", help="scheduled jobs")
    p.add_argument("what", choices=["list", "run"])
    p.add_argument("job", nargs="?")
    p.add_argument("--at")
    p.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)

    _configure_logging()
    try:
        settings = load()
        _configure_logging(settings.CLERK_LOG_FORMAT)
        if args.cmd is None:
            return serve(settings)
        if args.cmd == "console":
            return console(settings, args.as_who, args.at)
        if args.cmd == "db":
            clerk = Clerk(settings)
            _upgrade_or_exit(clerk)
            print("Database is up to date.")
            return 0
        if args.cmd in ("import", "export"):
            from exchange import cli

            clerk = Clerk(settings)
            _upgrade_or_exit(clerk)
            return cli.run(clerk, args)
        if args.cmd == "jobs":
            return jobs_command(settings, args)
    except SettingsError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
