"""The newsroom's first admin, as the README makes them: `digest users create` with the password on
standard input, then signing in to `digest serve` over HTTP; and the demo's editor."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

PASSWORD = "the first admin's password"


@contextmanager
def _signed_in(url: str, email: str, password: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, timeout=10) as browser:
        page = browser.get("/signin?next=/account")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf, page.text
        data = {"email": email, "password": password, "next": "/account", "csrf": csrf.group(1)}
        done = browser.post("/signin", data=data)
        assert done.status_code == 303, done.text
        yield browser


def test_the_first_admin_is_created_from_the_command_line_and_signs_in(program):
    made = program.run("users", "create", "chief@example.org", "--role", "admin", "--name", "Chief", input=PASSWORD + "\n")
    assert "admin on every list" in made.stdout
    assert PASSWORD not in made.stdout + made.stderr
    refused = program.run("users", "create", "chief@example.org", input=PASSWORD + "\n", check=False)
    assert refused.returncode == 1 and "already a user" in refused.stderr and "Traceback" not in refused.stderr
    short = program.run("users", "create", "short@example.org", input="short\n", check=False)
    assert short.returncode == 1 and "10 to 1000 characters" in short.stderr
    program.configure(public_url="http://127.0.0.1")  # cookies over plain http on loopback
    with program.serve() as served:
        with _signed_in(served.url, "chief@example.org", PASSWORD) as browser:
            page = browser.get("/account")
            assert page.status_code == 200 and "Chief" in page.text and "admin" in page.text
        assert httpx.get(served.url + "/account", follow_redirects=False).status_code == 303


def test_the_demo_makes_an_editor_who_can_sign_in(program):
    program.configure(public_url="http://127.0.0.1")
    shown = program.run("demo")
    assert "sign in as editor@example.org" in shown.stdout
    password = (program.root / "var" / "demo-editor-password").read_text().strip()
    again = program.run("demo")
    assert (program.root / "var" / "demo-editor-password").read_text().strip() == password  # made once
    assert "sign in as editor@example.org" in again.stdout
    with program.serve() as served, _signed_in(served.url, "editor@example.org", password) as browser:
        assert "publisher" in browser.get("/account").text
