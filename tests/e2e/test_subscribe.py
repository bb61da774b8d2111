"""Subscribe, confirm and leave over HTTP against `digest serve`, as a reader and their mail
provider do: the form with its CSRF cookie, the confirmation mail through the relay, the button
that confirms, the welcome mail, and RFC 8058's one-click POST from its unsubscribe link."""

from __future__ import annotations

import re

import httpx

from tests.e2e.conftest import Mailbox, Program, wait_for
from tests.servers.smtp import free_port


def csrf_field(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, f"no CSRF field in the page ({page.status_code}):\n{page.text}"
    return found.group(1)


def membership(program: Program, address: str) -> str:
    return program.run("subscribers", "show", address).stdout


def test_subscribe_confirm_then_one_click_unsubscribe_over_http(program: Program, mailbox: Mailbox):
    port = free_port()
    program.configure(public_url=f"http://127.0.0.1:{port}")  # the links in mail lead to this server
    program.use_smtp(mailbox)
    address = "newcomer@example.net"
    with program.serve(port=port) as web, httpx.Client(base_url=web.url, timeout=10) as browser:
        form = browser.get("/subscribe/world")
        assert form.status_code == 200 and "digest_csrf" in browser.cookies
        asked = browser.post("/subscribe/world", data={"email": address, "name": "New Comer", "csrf": csrf_field(form)})
        assert asked.status_code == 200, asked.text
        [confirmation] = wait_for(lambda: mailbox.to(address), 30, "no confirmation mail arrived")
        assert confirmation.list_id is None and "List-Unsubscribe" not in confirmation.message  # a notice
        assert "list world: pending" in membership(program, address)

        confirm_url = confirmation.link("/confirm/")
        assert confirm_url.startswith(web.url + "/confirm/")
        page = browser.get(confirm_url)  # what a link scanner also fetches: it confirms nobody
        assert page.status_code == 200 and "list world: pending" in membership(program, address)
        confirmed = browser.post(confirm_url, data={"csrf": csrf_field(page)})
        assert confirmed.status_code == 200, confirmed.text
        assert "list world: confirmed" in membership(program, address)

        welcome = wait_for(lambda: mailbox.to(address)[1:], 30, "no welcome mail arrived")[0]
        unsubscribe_url = welcome.link("/u/")
        assert unsubscribe_url.startswith(web.url + "/u/")
        # RFC 8058: the mail provider POSTs, with no cookie and no CSRF field, and follows no redirect
        one_click = httpx.post(unsubscribe_url, data={"List-Unsubscribe": "One-Click"}, timeout=10)
        assert one_click.status_code == 200 and not one_click.is_redirect, one_click.text
    shown = membership(program, address)
    assert "list world: unsubscribed" in shown and "-> unsubscribed by one-click" in shown, shown
