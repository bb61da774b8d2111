"""execution: celery through the program: `digest ingest` has each source read by a worker and
reports what they read; an edition approved by an editor is sent by the workers through
`digest send`, and `digest status` shows them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REDIS_ENV, broker
from tests.e2e.conftest import CONFIRMED, Program, make_program, outbox_mails, wait_for


@pytest.fixture
def celery_program(tmp_path: Path) -> Iterator[Program]:
    from tests.conftest import fresh_postgres_schema

    url = broker(offset=4)
    if url is None:
        pytest.skip(f"the worker tests need Redis: {REDIS_ENV} (set by .ci/run) is not set here")
    schema = fresh_postgres_schema()  # skips without PostgreSQL
    program = make_program(tmp_path / "instance", next(schema))
    program.configure(execution="celery")
    program.env["DIGEST_BROKER_URL"] = url
    program.run("subscribers", "import", "samples/subscribers.csv", "--list", "world", "--consent", "e2e test")
    program.start("worker", "--concurrency", "2", log_name="worker.log")
    wait_for(lambda: "workers: 1 answering" in program.run("status").stdout, 60, "the worker did not answer")
    yield program
    program.stop_all()
    next(schema, None)


def test_ingest_and_send_on_the_workers(celery_program: Program):
    program = celery_program
    ingested = program.run("ingest").stdout
    assert "2 source(s) read: new 8" in ingested, ingested
    log = (program.root / "worker.log").read_text()
    assert log.count("Task digest.ingest_source") >= 4, log  # each source received and done by the worker
    edition_id = int(program.run("editions", "build", "world").stdout.split("#")[1].split()[0])
    program.run("editions", "approve", str(edition_id))
    sent = program.run("send", str(edition_id))
    assert "sent" in sent.stdout and "queued for the workers" in sent.stderr, sent.stdout + sent.stderr
    assert sorted(m.to for m in outbox_mails(program)) == sorted(CONFIRMED)
    assert "Task digest.send_batch" in (program.root / "worker.log").read_text()
