"""An edition over its complaint limit, flagged on the newsroom's Today page: seeded through the
program (an edition sent over SMTP, an ARF report delivered to `digest bounces serve`), then seen
in Debian's Chromium, signed in to `digest serve` as its publisher."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot
from tests.e2e.conftest import Mailbox, Program, mailbox, program, wait_for  # noqa: F401 (fixtures)
from tests.e2e.test_bounces import BOUNCES, PASSWORD, alerts, arf, deliver
from tests.servers.smtp import free_port


def test_today_flags_an_edition_over_its_complaint_limit(browser, program: Program, mailbox: Mailbox):  # noqa: F811
    program.use_smtp(mailbox)
    program.configure(delivery={"bounces": {"address": BOUNCES}})
    program.run("subscribers", "import", "samples/subscribers.csv", "--list", "world", "--consent", "e2e")
    program.run("users", "create", "pub@example.org", "--role", "publisher", "--name", "Pub", input=PASSWORD + "\n")
    edition_id = program.approved_edition()
    program.run("send", str(edition_id))
    [grace] = [m for m in mailbox.to("grace@example.org") if m.list_id == "world"]
    port = free_port()
    program.start("bounces", "serve", "--listen", f"127.0.0.1:{port}", log_name="bounces.log")
    wait_for(lambda: "taking bounces" in (program.root / "bounces.log").read_text(), 60, "the listener to start")
    assert deliver(port, arf(grace)) == (250, "OK arf: 1 applied")
    wait_for(lambda: alerts(mailbox, "pub@example.org"), 30, "the alert to the publisher")

    with program.serve() as served:
        context = browser.new_context(bypass_csp=True)  # axe is injected
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(served.url + "/signin?next=/newsroom")
        page.get_by_label("Email address").fill("pub@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
        flag = page.locator(f"#flags-{edition_id} .flag")
        expect(flag).to_have_count(1)  # complaints only: no bounce
        expect(flag).to_contain_text("Complaints: 25% of delivered (1 of 4), over the 0.1% limit")
        assert axe_violations(page) == []
        screenshot(page, "newsroom-today-complaint-flag")
        assert errors == []
        context.close()
    assert len(alerts(mailbox, "pub@example.org")) == 1  # the page shows the flag; the mail went once
