"""`digest serve` on a schedule, with the real clock: a list scheduled every minute delivers one
edition, once, with two serve processes on one database; a reviewed list mails its editors the
review link and sends at the deadline.

Waiting for the cron minute is the point, so these tests share one set-up (conftest's `scheduled`:
per database, an automatic and a reviewed list, both every minute, two `digest serve` processes),
started with the first end-to-end test; they run last and watch what it did meanwhile.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import CONFIRMED, DEADLINE_HOURS, EDITORS, Scheduled, wait_for

# The first firing comes within a minute of the start, the dispatch job that applies the review
# deadline every 30 s: generous, bounded waits.
FIRST_RUN = 150
DEADLINE_SEND = 150


def instance(scheduled: dict[str, Scheduled], kind: str) -> Scheduled:
    if kind not in scheduled:
        needs = "DIGEST_TEST_POSTGRES_URL and DIGEST_TEST_REDIS_URL" if kind == "celery" else "DIGEST_TEST_POSTGRES_URL"
        pytest.skip(f"{kind} tests need {needs}; not configured here")
    return scheduled[kind]


def utc(value: datetime | str) -> datetime:
    """A timestamp as the database hands it back (SQLite: text, naive UTC), made aware."""
    value = datetime.fromisoformat(value) if isinstance(value, str) else value
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def table_row(output: str, first_cell: str) -> str:
    """The text of the table row that starts with `first_cell`, its wrapped lines joined."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"│ {first_cell} "))
    row = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.startswith("│") or line.split("│")[1].strip():
            break  # the table's end, or the next row
        row.append(line)
    cells = zip(*(line.strip("│").split("│") for line in row), strict=True)
    return " | ".join(" ".join(part.strip() for part in cell if part.strip()) for cell in cells)


def no_job_failed(s: Scheduled) -> None:
    for path in s.program.log_files():  # every serve process, and the worker
        log = path.read_text(errors="replace")
        assert "raised an exception" not in log and "Traceback" not in log, f"{path}:\n{log}"


@pytest.mark.parametrize("kind", ["sqlite", "postgresql", "celery"])
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
    [(created,)] = s.program.query("SELECT created_at FROM editions WHERE list_id = 'desk'")
    deadline = utc(created) + timedelta(hours=DEADLINE_HOURS)
    sent = [m.message["Date"].datetime for m in s.mailbox.mails() if m.list_id == "desk"]
    # not before the deadline (nobody approved it; Date has whole seconds), and at the dispatch
    # job's first look after it (every 30 s)
    earliest, latest = deadline - timedelta(seconds=1), deadline + timedelta(seconds=45)
    assert all(earliest <= at <= latest for at in sent), (deadline, sent)
    listed = s.program.run("editions", "list", "--list", "desk").stdout
    assert len(re.findall(r"│\s*\d+\s*│\s*desk\s*│", listed)) == 1, listed  # one edition
    assert re.search(r"│\s*desk\s*│\s*sent\s*│", listed), listed
    assert s.mailbox.copies("desk") == Counter(CONFIRMED)  # one copy each
    assert len([m for m in s.mailbox.mails() if m.to in EDITORS]) == 2  # and the editors asked once
    no_job_failed(s)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql", "celery"])
def test_a_list_scheduled_every_minute_sends_one_edition_once_with_two_serve_processes(scheduled, kind):
    s = instance(scheduled, kind)
    assert sorted(served.runs_scheduler() for served in s.served) == [False, True]  # one scheduler
    first = wait_for(lambda: s.finished_runs("world"), FIRST_RUN, "no scheduled run of the world list")[0]
    handed = "sending" if kind == "celery" else "sent"  # the run hands its send to the workers
    assert first.edition_id is not None and handed in first.outcome, first
    wait_for(lambda: len(s.mailbox.copies("world")) == len(CONFIRMED), 30, "the world edition did not arrive")
    # later firings, with no new articles, send nothing more
    later = wait_for(lambda: s.finished_runs("world")[1:], 90, "no second firing of the world list")
    for run in later:
        assert run.slot > first.slot and run.edition_id is None and "no new articles" in run.outcome, run
    assert s.mailbox.copies("world") == Counter(CONFIRMED)  # one copy per confirmed subscriber, once

    listed = s.program.run("editions", "list", "--list", "world").stdout
    assert len(re.findall(r"│\s*\d+\s*│\s*world\s*│", listed)) == 1, listed
    status = s.program.run("status").stdout
    world_row = table_row(status, "world")
    assert "* * * * *" in world_row and "no new articles" in world_row, status
    assert f"#{first.edition_id} sent" in world_row, status  # (the desk list's edition may have come first)
    assert "scheduler: run by" in status
    no_job_failed(s)
