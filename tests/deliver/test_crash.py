"""kill -9 of `digest send` mid-send, then a rerun: nobody missed, duplicates at most the batches in flight
(one, or delivery.in_flight), reported."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml

from digest.store.db import open_store
from digest.store.deliveries import interrupted_deliveries
from tests.servers.sendgrid import Server, StandIn
from tests.servers.support import ROOT, add_edition, add_subscribers, address, make_settings

KEY = "SG.crash-test"
N = 20_000
BATCH = 1000
DIGEST = str(Path(sys.executable).with_name("digest"))


def _instance(
    tmp_path: Path, api_host: str, database_url: str | None = None, in_flight: int = 1
) -> tuple[dict, int, object]:
    config = {
        "public_url": "https://digest.example.org",
        "database_url": database_url or f"sqlite:///{tmp_path / 'digest.db'}",
        "templates": str(ROOT / "templates"),
        "lists": [make_settings().lists[0].model_dump(mode="json")],
        "delivery": {"backend": "sendgrid", "batch_size": BATCH, "in_flight": in_flight, "sendgrid": {"api_host": api_host, "timeout": 10},
                     "retry": {"base_delay": 0.01, "max_delay": 0.05}},
    }
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    engine = open_store(config["database_url"])
    add_subscribers(engine, N)
    edition_id = add_edition(engine, make_settings())
    env = {**os.environ, "DIGEST_CONFIG": str(tmp_path / "config.yaml"), "SENDGRID_API_KEY": KEY,
           "DIGEST_SECRET_KEY": "crash-test-signing-key"}
    return env, edition_id, engine


def _resume(env: dict, edition_id: int) -> subprocess.CompletedProcess:
    return subprocess.run([DIGEST, "send", str(edition_id)], env=env, capture_output=True, text=True, timeout=120)


def _check(stand_in: StandIn, engine, edition_id: int, in_flight: int = 1) -> tuple[int, int]:
    per_address = Counter(a.email for a in stand_in.accepted)
    missing = N - len(set(per_address) & {address(i) for i in range(N)})
    duplicated = {email for email, n in per_address.items() if n > 1}
    with engine.connect() as conn:
        reported = set(interrupted_deliveries(conn, edition_id))
    assert missing == 0
    assert len(duplicated) <= BATCH * in_flight and max(per_address.values()) <= 2
    assert duplicated <= reported  # every possible duplicate was reported
    assert len(reported) <= BATCH * in_flight
    return len(duplicated), len(reported)


def test_kill_while_a_batch_is_in_flight(tmp_path, db_url):
    """The worst moment: the provider has taken batch 5, the sender is killed before it records that."""
    with Server(StandIn(KEY, stall_at=5)) as server:
        env, edition_id, engine = _instance(tmp_path, server.url, db_url)
        rerun = _kill_at_the_stall(server, env, edition_id)
        assert "sent" in rerun.stdout and "1000 message(s) were in flight" in rerun.stderr
        duplicated, reported = _check(server.stand_in, engine, edition_id)
        shown = subprocess.run([DIGEST, "editions", "show", str(edition_id)], env=env, capture_output=True,
                               text=True, timeout=60)
    assert duplicated == reported == BATCH  # that batch did arrive twice, and exactly it was reported
    assert f"may have received two copies: {BATCH}" in shown.stdout


def test_kill_with_two_batches_in_flight(tmp_path):
    """delivery.in_flight: 2: batch 5 is taken and hangs while batch 6 goes out beside it; after the kill
    both may arrive twice, and every possible duplicate is reported."""
    with Server(StandIn(KEY, stall_at=5)) as server:
        env, edition_id, engine = _instance(tmp_path, server.url, in_flight=2)
        rerun = _kill_at_the_stall(server, env, edition_id)
        assert "sent" in rerun.stdout and "message(s) were in flight" in rerun.stderr
        duplicated, reported = _check(server.stand_in, engine, edition_id, in_flight=2)
    assert BATCH <= duplicated <= reported <= 2 * BATCH


def _kill_at_the_stall(server: Server, env: dict, edition_id: int) -> subprocess.CompletedProcess:
    """`digest send`, killed -9 once the stand-in has taken the stalling request; then the rerun."""
    proc = subprocess.Popen([DIGEST, "send", str(edition_id)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)  # fmt: skip
    assert server.stand_in.stalled.wait(60), proc.communicate(timeout=5)
    time.sleep(0.2)  # what else is in flight reaches the provider
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    server.stand_in.release.set()
    rerun = _resume(env, edition_id)
    assert rerun.returncode == 0, rerun.stderr
    return rerun


@pytest.mark.parametrize("moment", ["while starting (rows being created)", "mid-send"])
def test_kill_at_a_random_moment(tmp_path, moment):
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    with Server(StandIn(KEY)) as server:
        env, edition_id, engine = _instance(tmp_path, server.url)
        proc = subprocess.Popen([DIGEST, "send", str(edition_id)], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        if moment == "mid-send":  # once this many requests have been answered, and a little more
            target, deadline = rng.randint(1, N // BATCH - 2), time.monotonic() + 60
            while server.stand_in.requests < target and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(rng.uniform(0, 0.05))
        else:
            time.sleep(rng.uniform(0.3, 1.5))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        rerun = _resume(env, edition_id)
        assert rerun.returncode == 0, f"seed {seed}: {rerun.stderr}"
        _check(server.stand_in, engine, edition_id)
