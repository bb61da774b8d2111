"""An import survives its process: `digest serve` killed with SIGKILL while an uploaded CSV is being
imported, started again, finishes the job (every row in, counted once as members, audited once, the
upload deleted), and says that it ran again; through the installed program, with the real clock, on
SQLite and PostgreSQL."""

from __future__ import annotations

import re
import signal

from tests.e2e.conftest import wait_for
from tests.e2e.test_bulk_jobs import PASSWORD, _signed_in, _state

ROWS = 60_000


def test_an_import_killed_mid_way_is_finished_by_the_next_start(program):
    program.run(
        "users", "create", "chief@example.org", "--role", "admin", "--name", "Chief", input=PASSWORD + "\n"
    )
    program.configure(public_url="http://127.0.0.1")
    body = "Courriel,Nom\n" + "".join(f"reader{n:05}@example.net,Reader {n}\n" for n in range(ROWS))
    with program.serve(name="first") as served:
        browser = _signed_in(served.url)
        page = browser.get("/admin/imports").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)
        assert csrf
        sent = browser.post("/admin/imports", data={"csrf": csrf.group(1), "list_id": "world"},
                            files={"file": ("readers.csv", body.encode(), "text/csv")})  # fmt: skip
        assert sent.status_code == 303, sent.text[-2000:]
        started = browser.post(sent.headers["location"], data={"csrf": csrf.group(1), "list_id": "world",
                                                               "consent": "fair 2026", "map": ["email", "name"]})  # fmt: skip
        assert started.status_code == 303, started.text[-2000:]
        job = started.headers["location"]
        wait_for(lambda: re.search(r"[1-9][\d,]* of 60,000 done", _state(browser, job)), 60, "the import under way",
                 interval=0.05)  # fmt: skip
        served.stop(signal.SIGKILL)  # mid-way: no chance to finish or to say anything
    members = "SELECT count(*) FROM memberships WHERE list_id = 'world' AND status = 'confirmed'"
    before = program.query(members)[0][0]

    with program.serve(name="second") as served:
        browser = _signed_in(served.url)

        def finished_page() -> str | None:
            page = _state(browser, job)
            return page if "Done." in page else None

        finished = wait_for(finished_page, 120, "the import to be finished by the new process")
        assert "attempt 2" in finished
    assert program.query(members)[0][0] == ROWS > before  # every row in, once
    assert program.query("SELECT count(*) FROM audit_log WHERE action = 'subscribers.import'")[0][0] == 1
    uploads = program.root / program.config().get("data_dir", "var") / "uploads"
    assert not list(uploads.glob("*.csv")), "the upload is deleted once imported"
