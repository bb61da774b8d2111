"""The README's promises, tested through the real program.

Every test here runs the installed `digest` console script in subprocesses, as a user does: its own
config.yaml and database (SQLite, and PostgreSQL when DIGEST_TEST_POSTGRES_URL is set), real
servers on loopback (the web app itself, an SMTP sink, the SendGrid stand-in, feed servers), and
the real clock where the promise is about time. Nothing is imported from `digest` to drive it.
"""

from __future__ import annotations

import email
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import create_engine, text

from tests.conftest import POSTGRES_ENV, ROOT, broker, fresh_postgres_schema
from tests.servers import smtp
from tests.servers.smtp import free_port

DIGEST = Path(sys.executable).with_name("digest")  # the console script the project installs
SECRET = "e2e-secret-not-for-production"
# The members of samples/subscribers.csv who get mail (Luis unsubscribed, Paola pending).
CONFIRMED = ("ada@example.org", "grace@example.org", "jean@example.fr", "greta@example.de")
LOG_TAIL = 200  # lines of each process log shown with a failed test


def _merge(base: dict, changes: dict) -> dict:
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value
    return base


@dataclass
class Served:
    """A running `digest serve` process."""

    process: subprocess.Popen
    url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def get(self, path: str, **kwargs) -> httpx.Response:
        return httpx.get(self.url + path, timeout=10, **kwargs)

    def runs_scheduler(self) -> bool:
        return bool(self.get("/healthz").json()["scheduler"])

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        return self.process.returncode


@dataclass
class Program:
    """An instance of digest in a folder of its own: config.yaml, the samples, a database."""

    root: Path
    db_url: str
    env: dict[str, str] = field(default_factory=dict)
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def config_path(self) -> Path:
        return self.root / "config.yaml"

    def config(self) -> dict[str, Any]:
        return yaml.safe_load(self.config_path.read_text())

    def configure(self, **changes: Any) -> None:
        """Change config.yaml: nested mappings are merged, anything else replaced."""
        self.config_path.write_text(yaml.safe_dump(_merge(self.config(), changes), sort_keys=False))

    def use_smtp(self, mailbox: Mailbox) -> None:
        """Deliver through the `smtp` backend to `mailbox`, a relay on loopback."""
        smtp_settings = {"host": "127.0.0.1", "port": mailbox.port, "security": "none", "timeout": 10}
        self.configure(delivery={"backend": "smtp", "smtp": smtp_settings})

    def run(
        self, *args: str, input: str | None = None, timeout: float = 120, check: bool = True
    ) -> subprocess.CompletedProcess:
        """`digest ARGS...`; with check, a non-zero exit fails the test with what it printed."""
        done = subprocess.run(
            [str(DIGEST), *args], cwd=self.root, env=self.env, input=input,
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
        if check and done.returncode != 0:
            pytest.fail(f"digest {' '.join(args)} exited {done.returncode}\n{done.stdout}\n{done.stderr}")
        return done

    def start(self, *args: str, log_name: str = "process.log") -> subprocess.Popen:
        """`digest ARGS...` in the background, its output in a log file under the instance; the
        `program` fixture kills whatever is still running at the end of the test."""
        with open(self.root / log_name, "wb") as log:  # the child keeps its own copy open
            process = subprocess.Popen(
                [str(DIGEST), *args], cwd=self.root, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait(10)

    def log_files(self) -> list[Path]:
        return sorted(self.root.glob("*.log"))

    @contextmanager
    def serve(self, *extra: str, name: str = "serve", port: int | None = None) -> Iterator[Served]:
        """`digest serve` on `port` (a free one by default), ready once /healthz answers; SIGTERM at the end."""
        port = port or free_port()
        log_path = self.root / f"{name}.log"
        served = Served(self.start("serve", "--port", str(port), *extra, log_name=log_path.name),
                        f"http://127.0.0.1:{port}", log_path)  # fmt: skip
        try:
            deadline = time.monotonic() + 60  # a start on a busy machine can take long
            while True:
                if served.process.poll() is not None:
                    pytest.fail(f"digest serve exited {served.process.returncode}:\n{served.log()}")
                try:
                    if served.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"digest serve did not answer /healthz in 60 s:\n{served.log()}")
                time.sleep(0.1)
            yield served
        finally:
            served.stop()

    # -- set-up through the CLI, and observation ------------------------------------------------

    def add_members(self, addresses: list[str], list_id: str = "world") -> None:
        """Import `addresses` as confirmed members of the list, as an admin does (a CSV)."""
        csv = self.root / f"members-{list_id}.csv"
        csv.write_text("email\n" + "".join(f"{a}\n" for a in addresses))
        self.run("subscribers", "import", str(csv), "--list", list_id, "--consent", "e2e test")

    def approved_edition(self, list_id: str = "world") -> int:
        """Ingest, build the list's edition and approve it, as an editor does; its id."""
        self.run("ingest")
        built = self.run("editions", "build", list_id).stdout
        found = re.search(r"#(\d+)", built)
        assert found, f"`digest editions build {list_id}` named no edition:\n{built}"
        edition_id = int(found.group(1))
        self.run("editions", "approve", str(edition_id))
        return edition_id

    def query(self, sql: str, **params: Any) -> list[Any]:
        """Rows of a read-only SQL query on the instance's database: for looking at what no
        command prints (a failed row's reason); nothing is ever changed this way."""
        engine = create_engine(self.db_url)
        try:
            with engine.connect() as conn:
                return list(conn.execute(text(sql), params))
        finally:
            engine.dispose()

    def delivery_counts(self, edition_id: int) -> dict[str, int]:
        rows = self.query(
            "SELECT status, count(*) FROM deliveries WHERE edition_id = :e GROUP BY status", e=edition_id
        )
        return {status: n for status, n in rows}


def make_program(root: Path, db_url: str) -> Program:
    """A copy of the demo instance (config.yaml, samples, templates) using `db_url`."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "config.yaml", root / "config.yaml")
    shutil.copytree(ROOT / "samples", root / "samples")
    env = {
        **os.environ,
        "DIGEST_SECRET_KEY": SECRET,
        "DIGEST_CONFIG": str(root / "config.yaml"),
        "NO_COLOR": "1",
        "COLUMNS": "200",
    }
    program = Program(root, db_url, env)
    program.configure(database_url=db_url)
    return program


@pytest.fixture
def program(tmp_path: Path, blank_db_url: str) -> Iterator[Program]:
    """The demo instance on SQLite and on PostgreSQL, driven through the installed `digest`, on a new
    empty database of its own (the program migrates it, as on a first start)."""
    assert DIGEST.exists(), f"{DIGEST} is missing: install the project (make test does)"
    program = make_program(tmp_path / "instance", blank_db_url)
    yield program
    program.stop_all()


@contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    """An empty database's URL, like conftest's blank_db_url, for fixtures of a wider scope."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'digest.db'}"
        return
    schema = fresh_postgres_schema()  # skips the test without DIGEST_TEST_POSTGRES_URL
    url = next(schema)
    try:
        yield url
    finally:
        next(schema, None)  # drops the schema


def database_kinds() -> list[str]:
    """The databases the suite runs on here: SQLite, and PostgreSQL when it is configured."""
    return ["sqlite", "postgresql"] if os.environ.get(POSTGRES_ENV) else ["sqlite"]


# -- mail as a relay on loopback receives it ---------------------------------------------------


@dataclass
class Mail:
    """One message the relay accepted: its envelope recipients and the parsed message."""

    rcpt_to: list[str]
    message: EmailMessage

    @property
    def to(self) -> str:
        """The To address; the header as written when it holds none (`To: erased:40`)."""
        header = self.message["To"]
        return header.addresses[0].addr_spec if header.addresses else str(header)

    @property
    def list_id(self) -> str | None:
        """The list of a list message (`List-Id: <world.example.org>` -> world); None for a notice."""
        value = self.message["List-Id"]
        return str(value).strip("<> ").split(".")[0] if value else None

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    def link(self, path: str) -> str:
        """The first URL in the text part whose path starts with `path` (e.g. "/confirm/")."""
        found = re.search(rf"https?://[^\s/]+{re.escape(path)}[^\s>\"]+", self.text)
        assert found, f"no {path} link in the mail to {self.to}:\n{self.text}"
        return found.group(0)


@dataclass
class Mailbox:
    """The aiosmtpd sink of tests/servers/smtp.py on a free port, and what it accepted."""

    sink: smtp.Sink
    port: int

    def mails(self) -> list[Mail]:
        with self.sink.lock:
            taken = list(self.sink.messages)
        return [
            Mail(rcpt_to, email.message_from_bytes(content, policy=policy.default))
            for _, rcpt_to, content in taken
        ]

    def to(self, address: str) -> list[Mail]:
        return [m for m in self.mails() if m.to == address]

    def copies(self, list_id: str) -> Counter[str]:
        """How many messages of the list each recipient got."""
        return Counter(m.to for m in self.mails() if m.list_id == list_id)


@contextmanager
def running_mailbox(**sink_options: Any) -> Iterator[Mailbox]:
    """A relay on loopback; `refuse={address}` answers 550 to that recipient, `latency` slows it."""
    sink = smtp.Sink(**sink_options)
    controller = smtp.serve(sink)
    try:
        yield Mailbox(sink, controller.port)
    finally:
        controller.stop()


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with running_mailbox() as box:
        yield box


def outbox_mails(program: Program) -> list[Mail]:
    """The messages the `file` backend wrote to the instance's outbox."""
    folder = program.root / "outbox"
    return [
        Mail([], email.message_from_bytes(p.read_bytes(), policy=policy.default))
        for p in sorted(folder.glob("*.eml"))
    ]


# -- what a failed test shows -------------------------------------------------------------------


def _log_files(value: Any) -> list[Path]:
    if isinstance(value, dict):
        return [path for v in value.values() for path in _log_files(v)]
    return value.log_files() if hasattr(value, "log_files") else []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test shows the tail of every log its instances' processes wrote (digest serve...)."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    seen = set()
    for value in getattr(item, "funcargs", {}).values():
        for path in _log_files(value):
            if path in seen or not path.exists():
                continue
            seen.add(path)
            lines = path.read_text(errors="replace").splitlines()[-LOG_TAIL:]
            report.sections.append((f"log {path.parent.name}/{path.name}", "\n".join(lines)))


def wait_for(predicate, timeout: float, what: str, interval: float = 0.5):
    """Poll until `predicate()` is truthy (and return it), or fail saying what never happened."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"after {timeout:.0f} s: {what}")
        time.sleep(interval)


# -- scheduled runs on the real clock ---------------------------------------------------------

EDITORS = ["desk@example.org", "chief@example.org"]
DEADLINE_HOURS = 0.01  # the reviewed list's deadline: 36 s


@dataclass
class Scheduled:
    """One instance of the `scheduled` fixture: the program, its relay, its serve processes."""

    program: Program
    mailbox: Mailbox
    served: list[Served]

    def log_files(self) -> list[Path]:
        return self.program.log_files()

    def finished_runs(self, list_id: str) -> list:
        return self.program.query(
            "SELECT slot, outcome, edition_id FROM runs WHERE list_id = :l AND finished_at IS NOT NULL"
            " ORDER BY id",
            l=list_id,
        )


def every_minute_lists(program: Program) -> list[dict]:
    world = {**program.config()["lists"][0], "schedule": "* * * * *", "timezone": "UTC"}
    desk = {
        **world,
        "id": "desk",
        "name": "The Desk",
        "from_address": "desk-digest@example.org",
        "review": {"editors": EDITORS, "deadline_hours": DEADLINE_HOURS, "at_deadline": "send"},
    }
    return [world, desk]


@pytest.fixture(scope="session")
def scheduled(tmp_path_factory) -> Iterator[dict[str, Scheduled]]:
    """Per database kind: an instance with an automatic list (`world`) and a reviewed one (`desk`),
    both every minute, delivering to a relay on loopback, and two `digest serve` processes on its
    database. Started at once for every database, so the cron minute is waited for once."""
    with ExitStack() as stack:
        instances = {}
        for kind in database_kinds() + (["celery"] if "postgresql" in database_kinds() and broker() else []):
            folder = tmp_path_factory.mktemp(f"scheduled-{kind}")
            db_kind = "postgresql" if kind == "celery" else kind
            program = make_program(folder / "instance", stack.enter_context(database(db_kind, folder)))
            stack.callback(program.stop_all)
            mailbox = stack.enter_context(running_mailbox())
            program.use_smtp(mailbox)
            program.configure(lists=every_minute_lists(program), scheduler={"lease_seconds": 6})
            if kind == "celery":  # the scheduler enqueues, a worker reads the sources and sends
                program.configure(execution="celery", delivery={"claim_seconds": 5})
                program.env["DIGEST_BROKER_URL"] = broker(offset=8)
                program.start("worker", "--concurrency", "2", log_name="worker.log")
            for list_id in ("world", "desk"):
                program.run("subscribers", "import", "samples/subscribers.csv", "--list", list_id,
                            "--consent", "e2e test")  # fmt: skip
            instances[kind] = Scheduled(program, mailbox, [])
        for scheduled in instances.values():  # both databases' servers at once: one wait for the minute
            for name in ("serve-a", "serve-b"):
                scheduled.served.append(stack.enter_context(scheduled.program.serve(name=name)))
        yield instances


# -- the quick start, in a fresh copy of the repository ---------------------------------------


def fresh_copy(target: Path) -> Path:
    """The files git tracks, and those untracked but not ignored: what a clone plus one's own
    uncommitted work holds. Never .venv, var/ or outbox/."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("the quick start test copies the repository with git")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is not copied
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def newcomer_env() -> dict[str, str]:
    """A shell as a newcomer has it: no virtualenv active (least of all this project's), no digest
    variables, no enclosing make, so `make` finds python3 on the PATH and makes the copy's .venv."""
    own_venv = str(ROOT / ".venv")
    path = [d for d in os.environ.get("PATH", "").split(os.pathsep) if d and not d.startswith(own_venv)]
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DIGEST_", "VIRTUAL_ENV", "PYTHON", "MAKE")) and k != "MFLAGS"
    }
    return {**env, "PATH": os.pathsep.join(path), "NO_COLOR": "1"}


def imported_from(python: Path | str) -> Path:
    """Where that interpreter imports digest from (-I: never from the current folder)."""
    done = subprocess.run(
        [str(python), "-I", "-c", "import digest; print(digest.__file__)"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return Path(done.stdout.strip())


@dataclass
class Demo:
    """`make demo` run in a fresh copy of the repository, in the background."""

    copy: Path
    process: subprocess.Popen
    log_path: Path
    project_digest: Path  # where this project's own environment imported digest from, before

    def log_files(self) -> list[Path]:
        return [self.log_path]

    def wait(self, timeout: float) -> str:
        """Its output, once it has exited 0."""
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"make demo did not finish in {timeout:.0f} s:\n{self.log_path.read_text()}")
        output = self.log_path.read_text(errors="replace")
        assert self.process.returncode == 0, f"make demo exited {self.process.returncode}:\n{output}"
        return output


@pytest.fixture(scope="session")
def first_demo(tmp_path_factory) -> Iterator[Demo]:
    """The README's `make demo`, run once in a fresh copy as a newcomer would: it makes the copy's
    own .venv (pip's cache keeps that quick), then runs the demo."""
    before = imported_from(sys.executable)
    copy = fresh_copy(tmp_path_factory.mktemp("quick-start") / "digest")
    assert not (copy / ".venv").exists()
    log_path = copy.parent / "make-demo.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            ["make", "demo"], cwd=copy, env=newcomer_env(), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: make, pip and the demo stop together
        )  # fmt: skip
    try:
        yield Demo(copy, process, log_path, before)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
        shutil.rmtree(copy / ".venv", ignore_errors=True)  # 400 MB; pytest keeps three runs' folders


# -- what runs on its own clock: started with the first e2e test, watched by tests that run last --

E2E = Path(__file__).parent
STARTED_EARLY = ("first_demo", "scheduled")  # session fixtures that take minutes of wall-clock time


def _waits_for(item) -> set[str]:
    return set(STARTED_EARLY) & set(getattr(item, "fixturenames", ()))


EARLY_GROUP = "e2e"  # the xdist group that holds the watchers, and so starts what they watch


def pytest_collection_modifyitems(session, config, items):
    """The tests that watch something started early run last: its minutes pass while others run.
    Under pytest-xdist (`make test` runs `-n auto --dist loadgroup`) the end-to-end tests form two
    groups of whole files, each run by one worker: EARLY_GROUP holds the watchers' files and every
    other file of the rest, so the early start happens once, on its worker, and its watchers find it;
    "e2e-2" holds the other files, so the other worker shares the end-to-end work."""
    files = sorted({item.path for item in items if E2E in item.path.parents})
    watched = {item.path for item in items if _waits_for(item)}
    others = [path for path in files if path not in watched]
    early = watched | set(others[::2])
    for item in items:
        if E2E in item.path.parents:
            item.add_marker(pytest.mark.xdist_group(EARLY_GROUP if item.path in early else "e2e-2"))
    late = [item for item in items if _waits_for(item)]
    if late:
        items[:] = [item for item in items if not _waits_for(item)] + late


@pytest.fixture(autouse=True)
def _start_early(request):
    """Set the STARTED_EARLY fixtures up with the first test of EARLY_GROUP, those any test of this
    run uses. A set-up that fails is reported by the tests that use it (pytest keeps the error)."""
    group = request.node.get_closest_marker("xdist_group")
    if group is None or group.args[:1] != (EARLY_GROUP,):
        return
    wanted = set().union(*(_waits_for(item) for item in request.session.items))
    for name in STARTED_EARLY:
        if name in wanted:
            try:
                request.getfixturevalue(name)
            except (Exception, pytest.fail.Exception, pytest.skip.Exception):
                pass
