"""The README's promises, tested through the real program.

Every test here runs the installed `digest` console script in subprocesses, as a user does: its own
config.yaml and database (SQLite, and PostgreSQL when DIGEST_TEST_POSTGRES_URL is set), real
servers on loopback (the web app itself, an SMTP sink, the SendGrid stand-in, feed servers), and
the real clock where the promise is about time. Nothing is imported from `digest` to drive it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.conftest import ROOT
from tests.servers.smtp import free_port

DIGEST = Path(sys.executable).with_name("digest")  # the console script the project installs
SECRET = "e2e-secret-not-for-production"


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

    @property
    def config_path(self) -> Path:
        return self.root / "config.yaml"

    def config(self) -> dict[str, Any]:
        return yaml.safe_load(self.config_path.read_text())

    def configure(self, **changes: Any) -> None:
        """Change config.yaml: nested mappings are merged, anything else replaced."""
        self.config_path.write_text(yaml.safe_dump(_merge(self.config(), changes), sort_keys=False))

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
        """`digest ARGS...` in the background, its output in a log file under the instance."""
        log = open(self.root / log_name, "wb")  # noqa: SIM115 (closed with the process)
        return subprocess.Popen(
            [str(DIGEST), *args], cwd=self.root, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )

    @contextmanager
    def serve(self, *extra: str, name: str = "serve") -> Iterator[Served]:
        """`digest serve` on a free port, ready once /healthz answers; SIGTERM at the end."""
        port = free_port()
        log_path = self.root / f"{name}.log"
        served = Served(self.start("serve", "--port", str(port), *extra, log_name=log_path.name),
                        f"http://127.0.0.1:{port}", log_path)  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while True:
                if served.process.poll() is not None:
                    pytest.fail(f"digest serve exited {served.process.returncode}:\n{served.log()}")
                try:
                    if served.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"digest serve did not answer /healthz in 30 s:\n{served.log()}")
                time.sleep(0.1)
            yield served
        finally:
            served.stop()


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
def program(tmp_path: Path, db_url: str) -> Program:
    """The demo instance on SQLite and on PostgreSQL, driven through the installed `digest`."""
    assert DIGEST.exists(), f"{DIGEST} is missing: install the project (make test does)"
    return make_program(tmp_path / "instance", db_url)


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
