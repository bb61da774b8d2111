"""`digest serve` on a schedule, with the real clock: a list scheduled every minute delivers one
edition, once, with two serve processes on one database; a reviewed list mails its editors the
review link and sends at the deadline.

Waiting for the cron minute is the point, so everything here shares one set-up, started at once
for SQLite and PostgreSQL: one instance per database with an automatic list (`world`) and a
reviewed one (`desk`), both every minute, delivering through an SMTP relay on loopback, and two
`digest serve` processes each. The tests then watch what it does.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import (
    CONFIRMED,
    Mailbox,
    Program,
    Served,
    database,
    database_kinds,
    make_program,
    running_mailbox,
    wait_for,
)

EDITORS = ["desk@example.org", "chief@example.org"]
DEADLINE_HOURS = 0.01  # 36 s
# The first firing comes within a minute of the start, the dispatch job that applies the review
# deadline every 30 s: generous, bounded waits.
FIRST_RUN = 150
DEADLINE_SEND = 150


@dataclass
class Scheduled:
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


@pytest.fixture(scope="module")
def scheduled(tmp_path_factory) -> Iterator[dict[str, Scheduled]]:
    """Per database kind: the instance, its relay and its two running `digest serve` processes."""
    with ExitStack() as stack:
        instances = {}
        for kind in database_kinds():
            folder = tmp_path_factory.mktemp(f"scheduled-{kind}")
            program = make_program(folder / "instance", stack.enter_context(database(kind, folder)))
            stack.callback(program.stop_all)
            mailbox = stack.enter_context(running_mailbox())
            program.use_smtp(mailbox)
            program.configure(lists=every_minute_lists(program), scheduler={"lease_seconds": 6})
            for list_id in ("world", "desk"):
                program.run("subscribers", "import", "samples/subscribers.csv", "--list", list_id,
                            "--consent", "e2e test")  # fmt: skip
            instances[kind] = Scheduled(program, mailbox, [])
        for scheduled in instances.values():  # both databases' servers at once: one wait for the minute
            for name in ("serve-a", "serve-b"):
                scheduled.served.append(stack.enter_context(scheduled.program.serve(name=name)))
        yield instances


def instance(scheduled: dict[str, Scheduled], kind: str) -> Scheduled:
    if kind not in scheduled:
        pytest.skip(f"PostgreSQL tests need DIGEST_TEST_POSTGRES_URL; {kind} not configured")
    return scheduled[kind]


def no_job_failed(s: Scheduled) -> None:
    for served in s.served:
        log = served.log()
        assert "raised an exception" not in log and "Traceback" not in log, f"{served.log_path}:\n{log}"


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_reviewed_list_mails_its_editors_the_review_link_and_sends_at_the_deadline(scheduled, kind):
    s = instance(scheduled, kind)
    review_mails = wait_for(
        lambda: len(mails := [m for m in s.mailbox.mails() if m.to in EDITORS]) >= 2 and mails,
        FIRST_RUN,
        "the desk's editors were not mailed a review link",
    )
    assert sorted(m.to for m in review_mails) == sorted(EDITORS)  # each editor once
    for mail in review_mails:
        assert mail.message["Subject"].startswith("[review] ")
        assert mail.list_id is None  # a notice, not list mail
    link = review_mails[0].link("/review/")
    assert link.startswith("https://digest.example.org/review/")  # public_url, signed
    page = s.served[0].get(urlsplit(link).path)  # the editor opens it
    assert page.status_code == 200 and "<html" in page.text.lower()

    wait_for(lambda: len(s.mailbox.copies("desk")) == len(CONFIRMED), DEADLINE_SEND,
             "the desk's edition was not sent at its review deadline")  # fmt: skip
    asked = max(m.message["Date"].datetime for m in review_mails)
    sent = [m.message["Date"].datetime for m in s.mailbox.mails() if m.list_id == "desk"]
    deadline = asked + timedelta(hours=DEADLINE_HOURS)
    # not before the deadline (nobody approved it), and at the dispatch job's first look after it
    earliest, latest = deadline - timedelta(seconds=2), deadline + timedelta(seconds=45)
    assert all(earliest <= at <= latest for at in sent), (asked, sent)
    listed = s.program.run("editions", "list", "--list", "desk").stdout
    assert len(re.findall(r"│\s*\d+\s*│\s*desk\s*│", listed)) == 1, listed  # one edition
    assert re.search(r"│\s*desk\s*│\s*sent\s*│", listed), listed
    assert s.mailbox.copies("desk") == Counter(CONFIRMED)  # one copy each
    assert len([m for m in s.mailbox.mails() if m.to in EDITORS]) == 2  # and the editors asked once
    no_job_failed(s)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_list_scheduled_every_minute_sends_one_edition_once_with_two_serve_processes(scheduled, kind):
    s = instance(scheduled, kind)
    assert sorted(served.runs_scheduler() for served in s.served) == [False, True]  # one scheduler
    first = wait_for(lambda: s.finished_runs("world"), FIRST_RUN, "no scheduled run of the world list")[0]
    assert first.edition_id is not None and "sent" in first.outcome, first
    wait_for(lambda: len(s.mailbox.copies("world")) == len(CONFIRMED), 30, "the world edition did not arrive")
    # a later firing, with no new articles, sends nothing more
    later = wait_for(lambda: s.finished_runs("world")[1:], 90, "no second firing of the world list")[0]
    assert later.slot > first.slot and later.edition_id is None, later
    assert "no new articles" in later.outcome
    assert s.mailbox.copies("world") == Counter(CONFIRMED)  # one copy per confirmed subscriber, once

    listed = s.program.run("editions", "list", "--list", "world").stdout
    assert len(re.findall(r"│\s*\d+\s*│\s*world\s*│", listed)) == 1, listed
    status = s.program.run("status").stdout
    world_row = next(line for line in status.splitlines() if line.startswith("│ world"))
    assert "* * * * *" in world_row and "no new articles" in world_row, status
    assert re.search(r"#1 sent", world_row), status
    assert "scheduler: run by" in status
    no_job_failed(s)
