"""A bulk action survives its process: `digest serve` killed with SIGKILL while a bulk erasure runs,
started again, finishes the job (every subscriber the search found is erased, no one else), and says
that it ran again; through the installed program, with the real clock, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import signal

import httpx

from tests.e2e.conftest import wait_for

PASSWORD = "the first admin's password"
PEOPLE = 4000


def _signed_in(url: str) -> httpx.Client:
    browser = httpx.Client(base_url=url, timeout=10)
    csrf = re.search(r'name="csrf" value="([^"]+)"', browser.get("/signin").text)
    assert csrf
    done = browser.post("/signin", data={"email": "chief@example.org", "password": PASSWORD, "csrf": csrf.group(1)})
    assert done.status_code == 303, done.text
    return browser


def _state(browser: httpx.Client, job: str) -> str:
    return browser.get(job, headers={"HX-Request": "true"}).text


def test_a_bulk_erasure_killed_mid_way_is_finished_by_the_next_start(program):
    program.run("users", "create", "chief@example.org", "--role", "admin", "--name", "Chief", input=PASSWORD + "\n")
    program.configure(public_url="http://127.0.0.1")
    program.add_members([f"gone{n:04}@leaving.example.net" for n in range(PEOPLE)] + ["stays@example.org"])
    with program.serve(name="first") as served:
        browser = _signed_in(served.url)
        review = browser.get("/admin/subscribers/bulk", params={"prefix": "gone", "action": "erase"})
        assert f"Erase {PEOPLE:,} subscribers?" in review.text, review.text[-2000:]
        csrf = re.search(r'name="csrf" value="([^"]+)"', review.text)
        assert csrf
        started = browser.post("/admin/subscribers/bulk?prefix=gone", data={"csrf": csrf.group(1), "action": "erase"})
        job = started.headers["location"]
        wait_for(lambda: re.search(r"[1-9][\d,]* of 4,000 done", _state(browser, job)), 60, "the erasure under way",
                 interval=0.05)  # fmt: skip
        served.stop(signal.SIGKILL)  # mid-way: no chance to finish or to say anything
    left = program.query("SELECT count(*) FROM subscribers WHERE email LIKE 'gone%'")[0][0]
    assert 0 < left < PEOPLE, "the kill came before or after the erasure, not in the middle of it"

    with program.serve(name="second") as served:
        browser = _signed_in(served.url)

        def finished_page() -> str | None:
            page = _state(browser, job)
            return page if "Done." in page else None

        finished = wait_for(finished_page, 90, "the job to be finished by the new process")
        assert "attempt 2" in finished
    assert program.query("SELECT count(*) FROM subscribers WHERE email LIKE 'gone%'")[0][0] == 0
    assert program.query("SELECT count(*) FROM subscribers WHERE email = 'stays@example.org'")[0][0] == 1
    done = program.query("SELECT count(*) FROM audit_log WHERE action = 'subscribers.bulk.erase.done'")[0][0]
    assert done == 1
