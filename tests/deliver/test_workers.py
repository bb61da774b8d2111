"""execution: celery: `digest worker` processes on Redis (or RabbitMQ) and PostgreSQL share one
edition's send, batch by batch; each recipient gets one copy; a worker killed -9 mid-batch loses
nobody, and its batch (the only possible duplicates) is reported; one stopped warmly finishes its
batch first; one started late joins in; a broker restarted empty loses nobody; the provider's limit
holds for all the workers together."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from sqlalchemy import text

from digest.store.db import open_store
from digest.store.deliveries import interrupted_deliveries
from tests.conftest import REDIS_ENV, broker, fresh_postgres_schema
from tests.servers.sendgrid import Server, StandIn
from tests.servers.smtp import free_port
from tests.servers.support import ROOT, add_edition, add_subscribers, address, make_settings

KEY = "SG.workers-test"
N = 3000
BATCH = 100
DIGEST = str(Path(sys.executable).with_name("digest"))
AMQP_ENV = "DIGEST_TEST_AMQP_URL"


@pytest.fixture(name="broker")
def broker_url() -> str:
    url = broker()
    if url is None:
        pytest.skip(f"the worker tests need Redis: {REDIS_ENV} (set by .ci/run) is not set here")
    return url


@pytest.fixture
def postgres() -> str:
    yield from fresh_postgres_schema()  # skips without DIGEST_TEST_POSTGRES_URL


def _instance(tmp_path: Path, broker: str, database_url: str, api_host: str, **delivery) -> tuple[dict, int]:
    config = {
        "public_url": "https://digest.example.org",
        "database_url": database_url,
        "execution": "celery",
        "templates": str(ROOT / "templates"),
        "lists": [make_settings().lists[0].model_dump(mode="json")],
        "delivery": {"backend": "sendgrid", "batch_size": BATCH, "claim_seconds": 3,
                     "sendgrid": {"api_host": api_host, "timeout": 30},
                     "retry": {"base_delay": 0.01, "max_delay": 0.05}, **delivery},
    }  # fmt: skip
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    engine = open_store(database_url)
    add_subscribers(engine, N)
    edition_id = add_edition(engine, make_settings())
    engine.dispose()
    env = {**os.environ, "DIGEST_CONFIG": str(tmp_path / "config.yaml"), "SENDGRID_API_KEY": KEY,
           "DIGEST_SECRET_KEY": "workers-test-signing-key", "DIGEST_BROKER_URL": broker, "NO_COLOR": "1"}  # fmt: skip
    return env, edition_id


@contextmanager
def _workers(env: dict, tmp_path: Path, count: int, first: int = 0):
    """`count` workers, each of one process taking tasks, in sessions of their own (a kill -9 of a
    session takes the worker and its pool process); stopped warmly at the end."""
    procs = []
    for i in range(first, first + count):
        with open(tmp_path / f"worker{i}.log", "wb") as log:
            procs.append(subprocess.Popen(
                [DIGEST, "worker", "--concurrency", "1", "--name", f"w{i}@test"], env=env, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            ))  # fmt: skip
    try:
        yield procs
    finally:
        for p in procs:
            if p.poll() is None:
                os.kill(p.pid, signal.SIGTERM)  # a warm stop
        for p in procs:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)


def _wait_answering(env: dict, count: int) -> str:
    deadline = time.monotonic() + 60
    while True:
        shown = subprocess.run([DIGEST, "status"], env=env, capture_output=True, text=True, timeout=60)
        if f"workers: {count} answering" in shown.stdout or time.monotonic() > deadline:
            return shown.stdout + shown.stderr
        time.sleep(0.5)


def _rows(database_url: str, edition_id: int) -> list:
    engine = open_store(database_url)
    with engine.connect() as conn:
        rows = list(conn.execute(text("SELECT status, claimed_by FROM deliveries WHERE edition_id = :e"),
                                 {"e": edition_id}))  # fmt: skip
    engine.dispose()
    return rows


def _claims(database_url: str, edition_id: int, addresses: list[str]) -> list:
    engine = open_store(database_url)
    with engine.connect() as conn:
        rows = list(conn.execute(
            text("SELECT email, claimed_by FROM deliveries WHERE edition_id = :e AND status = 'sending'"),
            {"e": edition_id},
        ))  # fmt: skip
    engine.dispose()
    return [(e, c) for e, c in rows if e in set(addresses)]


def _send_in_background(env: dict, edition_id: int) -> subprocess.Popen:
    return subprocess.Popen([DIGEST, "send", str(edition_id)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip


def _worker_holding(database_url: str, edition_id: int, stand_in: StandIn, procs: list) -> subprocess.Popen:
    """The one worker whose pool process claimed the batch the stand-in holds."""
    holders = {c for _, c in _claims(database_url, edition_id, stand_in.stalled_batch)}
    [holder] = [p for p in procs if p.pid in {os.getpgid(int(c.split(":")[1])) for c in holders}]
    return holder


def _reported(database_url: str, edition_id: int) -> set[str]:
    """The addresses flagged as possibly sent twice."""
    engine = open_store(database_url)
    with engine.connect() as conn:
        reported = set(interrupted_deliveries(conn, edition_id))
    engine.dispose()
    return reported


def _logs(tmp_path: Path) -> str:
    return "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(tmp_path.glob("worker*.log")))


@pytest.fixture(params=["redis", "rabbitmq"])
def any_broker(request) -> str:
    """Redis (the default broker), and RabbitMQ; on RabbitMQ, whose default user has one virtual host,
    the queue is emptied first (the tests that use it run one at a time: only this one does)."""
    if request.param == "redis":
        return request.getfixturevalue("broker")
    url = os.environ.get(AMQP_ENV)
    if not url:
        pytest.skip(f"the RabbitMQ test needs {AMQP_ENV} (set by .ci/run); not set here")
    from kombu import Connection, Exchange, Queue

    with Connection(url) as conn:  # declared as Celery declares it, then emptied
        Queue("digest", Exchange("digest"), routing_key="digest")(conn.default_channel).declare()
        conn.default_channel.queue_purge("digest")
    return url


def test_two_workers_share_one_edition_and_each_reader_gets_one_copy(tmp_path, any_broker, postgres):
    with Server(StandIn(KEY, latency=0.02)) as server:
        env, edition_id = _instance(tmp_path, any_broker, postgres, server.url)
        with _workers(env, tmp_path, 2) as procs:
            status = _wait_answering(env, 2)
            assert "workers: 2 answering" in status, status + _logs(tmp_path)
            sent = subprocess.run([DIGEST, "send", str(edition_id)], env=env, capture_output=True, text=True,
                                  timeout=180)  # fmt: skip
            assert sent.returncode == 0, sent.stdout + sent.stderr + _logs(tmp_path)
            assert "sent" in sent.stdout and "queued for the workers" in sent.stderr
            pools = {os.getpgid(int(c.split(":")[1])) for _, c in _rows(postgres, edition_id)}
            assert pools == {p.pid for p in procs}  # both workers sent part of it
        copies = Counter(a.email for a in server.stand_in.accepted)
    assert set(copies) == {address(i) for i in range(N)} and max(copies.values()) == 1
    assert {status for status, _ in _rows(postgres, edition_id)} == {"sent"}


def test_a_worker_killed_mid_batch_loses_nobody_and_its_batch_is_reported(tmp_path, broker, postgres):
    """The stand-in takes request 5 and hangs; the worker that sent it is killed -9. Its claim lapses
    (claim_seconds: 3), the other worker sends that batch again: at most that batch arrives twice,
    and exactly it is reported."""
    with Server(StandIn(KEY, stall_at=5, latency=0.01)) as server:
        env, edition_id = _instance(tmp_path, broker, postgres, server.url)
        with _workers(env, tmp_path, 2) as procs:
            assert "workers: 2 answering" in _wait_answering(env, 2), _logs(tmp_path)
            send = _send_in_background(env, edition_id)
            assert server.stand_in.stalled.wait(60), _logs(tmp_path)
            os.killpg(_worker_holding(postgres, edition_id, server.stand_in, procs).pid, signal.SIGKILL)
            server.stand_in.release.set()
            out, err = send.communicate(timeout=180)
            assert send.returncode == 0, out + err + _logs(tmp_path)
        copies = Counter(a.email for a in server.stand_in.accepted)
    reported = _reported(postgres, edition_id)
    duplicated = {a for a, n in copies.items() if n > 1}
    assert set(copies) == {address(i) for i in range(N)}  # nobody missed
    assert duplicated == reported and len(reported) == BATCH  # that batch, and exactly it, reported
    assert {status for status, _ in _rows(postgres, edition_id)} == {"sent"}


def test_a_worker_stopped_warmly_finishes_its_batch_and_nothing_goes_twice(tmp_path, broker, postgres):
    """SIGTERM to a worker while the provider holds its batch: the batch is finished and recorded,
    the worker exits, the other sends the rest; nobody gets two copies and nothing is flagged."""
    with Server(StandIn(KEY, stall_at=5, latency=0.01)) as server:
        env, edition_id = _instance(tmp_path, broker, postgres, server.url)
        with _workers(env, tmp_path, 2) as procs:
            assert "workers: 2 answering" in _wait_answering(env, 2), _logs(tmp_path)
            send = _send_in_background(env, edition_id)
            assert server.stand_in.stalled.wait(60), _logs(tmp_path)
            stopped = _worker_holding(postgres, edition_id, server.stand_in, procs)
            os.kill(stopped.pid, signal.SIGTERM)  # the worker itself, as `kill PID` or systemd does
            time.sleep(1)
            assert stopped.poll() is None  # it waits for its batch
            server.stand_in.release.set()
            assert stopped.wait(60) == 0, _logs(tmp_path)
            out, err = send.communicate(timeout=180)
            assert send.returncode == 0, out + err + _logs(tmp_path)
        copies = Counter(a.email for a in server.stand_in.accepted)
    reported = _reported(postgres, edition_id)
    assert set(copies) == {address(i) for i in range(N)} and max(copies.values()) == 1
    assert reported == set()


def test_a_worker_started_late_joins_the_send_under_way(tmp_path, broker, postgres):
    with Server(StandIn(KEY, latency=0.05)) as server:
        env, edition_id = _instance(tmp_path, broker, postgres, server.url)
        with _workers(env, tmp_path, 1) as first:
            assert "workers: 1 answering" in _wait_answering(env, 1), _logs(tmp_path)
            send = _send_in_background(env, edition_id)
            deadline = time.monotonic() + 60
            while server.stand_in.requests < 3 and time.monotonic() < deadline:
                time.sleep(0.05)
            with _workers(env, tmp_path, 1, first=1) as late:
                out, err = send.communicate(timeout=180)
                assert send.returncode == 0, out + err + _logs(tmp_path)
                claimers = Counter(os.getpgid(int(c.split(":")[1])) for _, c in _rows(postgres, edition_id))
        copies = Counter(a.email for a in server.stand_in.accepted)
    assert claimers[late[0].pid] > 0 and claimers[first[0].pid] > 0  # the late one took batches too
    assert set(copies) == {address(i) for i in range(N)} and max(copies.values()) == 1


def test_the_broker_restarted_empty_mid_send_loses_nobody(tmp_path, postgres):
    """A Redis of the test's own, killed mid-send and started again empty (it keeps nothing on disk):
    the queued batches are gone with it; the send is enqueued again from its rows."""
    port = free_port()
    redis_server = ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
    if shutil.which("redis-server") is None:
        pytest.skip("the broker restart test starts a redis-server of its own; none is installed")
    broker_process = subprocess.Popen(redis_server, stdout=subprocess.DEVNULL)
    try:
        _wait_port(port)
        with Server(StandIn(KEY, latency=0.1)) as server:
            env, edition_id = _instance(tmp_path, f"redis://127.0.0.1:{port}/0", postgres, server.url)
            with _workers(env, tmp_path, 2):
                assert "workers: 2 answering" in _wait_answering(env, 2), _logs(tmp_path)
                send = _send_in_background(env, edition_id)
                deadline = time.monotonic() + 60
                while server.stand_in.requests < 4 and time.monotonic() < deadline:
                    time.sleep(0.05)
                broker_process.kill()
                broker_process.wait(10)
                time.sleep(1)
                broker_process = subprocess.Popen(redis_server, stdout=subprocess.DEVNULL)
                _wait_port(port)
                out, err = send.communicate(timeout=240)
                assert send.returncode == 0, out + err + _logs(tmp_path)
            copies = Counter(a.email for a in server.stand_in.accepted)
    finally:
        broker_process.kill()
        broker_process.wait(10)
    assert set(copies) == {address(i) for i in range(N)}  # nobody lost
    assert {status for status, _ in _rows(postgres, edition_id)} == {"sent"}


def _wait_port(port: int) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert time.monotonic() < deadline, f"nothing answers on port {port}"
            time.sleep(0.1)


def test_the_providers_limit_holds_for_all_workers_together(tmp_path, broker, postgres):
    """delivery.throttle.per_second: 1000 across two workers: 3,000 messages take 2 s at least (the
    first second's worth goes at once), where the two would send them in well under one unthrottled."""
    with Server(StandIn(KEY)) as server:
        env, edition_id = _instance(tmp_path, broker, postgres, server.url, throttle={"per_second": 1000})
        with _workers(env, tmp_path, 2):
            assert "workers: 2 answering" in _wait_answering(env, 2), _logs(tmp_path)
            started = time.monotonic()
            sent = subprocess.run([DIGEST, "send", str(edition_id)], env=env, capture_output=True, text=True,
                                  timeout=180)  # fmt: skip
            took = time.monotonic() - started
            assert sent.returncode == 0, sent.stdout + sent.stderr + _logs(tmp_path)
        assert len(server.stand_in.accepted) == N
    assert took >= (N - 1000) / 1000


def test_celery_is_refused_on_sqlite_with_the_reason(tmp_path):
    config = {"public_url": "https://digest.example.org", "execution": "celery"}
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    env = {**os.environ, "DIGEST_CONFIG": str(tmp_path / "config.yaml"), "DIGEST_SECRET_KEY": "k"}
    done = subprocess.run([DIGEST, "worker"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "execution: celery needs PostgreSQL" in done.stdout + done.stderr


def test_a_send_with_the_broker_down_says_so_and_is_sent_once_it_is_back(tmp_path, broker, postgres):
    with Server(StandIn(KEY)) as server:
        env, edition_id = _instance(tmp_path, f"redis://127.0.0.1:{free_port()}/0", postgres, server.url)
        down = subprocess.run([DIGEST, "send", str(edition_id)], env=env, capture_output=True, text=True,
                              timeout=120)  # fmt: skip
        assert down.returncode != 0 and "Traceback" not in down.stderr, down.stderr
        assert "the broker at redis://127.0.0.1:" in down.stdout + down.stderr
        env["DIGEST_BROKER_URL"] = broker
        with _workers(env, tmp_path, 1):
            assert "workers: 1 answering" in _wait_answering(env, 1), _logs(tmp_path)
            time.sleep(3)  # the send stays quiet for claim_seconds before it is enqueued again
            again = subprocess.run([DIGEST, "send", str(edition_id)], env=env, capture_output=True, text=True,
                                   timeout=180)  # fmt: skip
            assert again.returncode == 0, again.stdout + again.stderr + _logs(tmp_path)
        copies = Counter(a.email for a in server.stand_in.accepted)
    assert set(copies) == {address(i) for i in range(N)} and max(copies.values()) == 1
