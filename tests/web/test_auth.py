"""Signing in to the newsroom, against the app on a real server on loopback: passwords, the
throttle, the second factor and its recovery codes, sessions that can be revoked, CSRF, cookies."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pyotp
import pytest
from sqlalchemy import select

from digest.accounts.service import ACCOUNT_FAILURES, Accounts
from digest.config import Settings
from digest.domain import Actor, Permission, Role
from digest.store import tables
from digest.store.db import open_store
from digest.web.app import create_app
from digest.web.deps import Site
from digest.web.policy import RULES, needs
from tests import ROOT
from tests.servers.web import Uvicorn

SECRET = "auth-test-key"
PASSWORD = "a long enough password"


@dataclass
class Newsroom:
    url: str
    accounts: Accounts
    engine: object

    def browser(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10)


@pytest.fixture
def newsroom(db_url: str) -> Iterator[Newsroom]:
    engine = open_store(db_url)
    with Uvicorn(create_app(Site(engine, Settings(public_url="http://127.0.0.1", base_dir=ROOT), SECRET))) as server:
        yield Newsroom(server.url, Accounts(engine, SECRET), engine)
    engine.dispose()


def form_csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def sign_in(browser: httpx.Client, email: str, password: str = PASSWORD, next: str = "/account") -> httpx.Response:
    page = browser.get(f"/signin?next={next}")
    return browser.post("/signin", data={"email": email, "password": password, "next": next, "csrf": form_csrf(page)})


def test_a_visitor_is_sent_to_sign_in_and_back_to_the_page_they_asked_for(newsroom):
    newsroom.accounts.create_user("ana@example.org", "Ana", Role.EDITOR, PASSWORD, Actor("test"))
    with newsroom.browser() as browser:
        asked = browser.get("/account")
        assert asked.status_code == 303 and asked.headers["location"] == "/signin?next=/account"
        wrong = sign_in(browser, "ana@example.org", "not the password")
        assert wrong.status_code == 401 and "do not match" in wrong.text
        unknown = sign_in(browser, "nobody@example.org")
        assert unknown.status_code == 401 and "do not match" in unknown.text  # the same answer: no account list
        right = sign_in(browser, "ANA@example.org")  # the address in any case
        assert right.status_code == 303 and right.headers["location"] == "/account"
        cookie = right.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie  # http here
        page = browser.get("/account")
        assert page.status_code == 200 and "Ana" in page.text and "ana@example.org" in page.text
    with newsroom.engine.connect() as conn:
        actions = conn.execute(select(tables.audit_log.c.action).order_by(tables.audit_log.c.id)).scalars().all()
    assert actions == ["user.create", "sign-in.failed", "sign-in.failed", "sign-in"]


def test_signing_in_only_ever_leads_to_a_page_of_this_site(newsroom):
    newsroom.accounts.create_user("ana@example.org", "Ana", Role.EDITOR, PASSWORD, Actor("test"))
    with newsroom.browser() as browser:
        for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
            done = sign_in(browser, "ana@example.org", next=target)
            assert done.headers["location"] == "/newsroom"


def test_the_session_cookie_is_secure_behind_https(db_url):
    engine = open_store(db_url)
    settings = Settings(public_url="https://digest.example.org", base_dir=ROOT)
    accounts = Accounts(engine, SECRET)
    accounts.create_user("ana@example.org", "Ana", Role.EDITOR, PASSWORD, Actor("test"))
    with Uvicorn(create_app(Site(engine, settings, SECRET))) as server, httpx.Client(base_url=server.url) as browser:
        page = browser.get("/signin")
        browser.cookies.set("digest_csrf", page.cookies.get("digest_csrf") or "")  # Secure: not sent over http
        done = browser.post("/signin", data={"email": "ana@example.org", "password": PASSWORD, "csrf": form_csrf(page)})
        assert done.status_code == 303 and "Secure" in done.headers["set-cookie"]
    engine.dispose()


def test_failed_sign_ins_are_throttled_per_account_even_with_the_right_password_after(newsroom):
    newsroom.accounts.create_user("ana@example.org", "Ana", Role.EDITOR, PASSWORD, Actor("test"))
    with newsroom.browser() as browser:
        for _ in range(ACCOUNT_FAILURES):
            assert sign_in(browser, "ana@example.org", "guess").status_code == 401
        held = sign_in(browser, "ana@example.org")
        assert held.status_code == 429 and "too many failed sign-ins" in held.text


def test_a_form_without_the_sessions_csrf_token_changes_nothing(newsroom):
    newsroom.accounts.create_user("ana@example.org", "Ana", Role.EDITOR, PASSWORD, Actor("test"))
    with newsroom.browser() as browser:
        sign_in(browser, "ana@example.org")
        refused = browser.post("/account/signout-everywhere", data={"csrf": "forged"})
        assert refused.status_code == 403
        assert browser.get("/account").status_code == 200  # still signed in


def test_the_second_factor_with_its_recovery_codes(newsroom):
    newsroom.accounts.create_user("ana@example.org", "Ana", Role.EDITOR, PASSWORD, Actor("test"))
    with newsroom.browser() as browser:
        sign_in(browser, "ana@example.org")
        account = browser.get("/account")
        setup = browser.post("/account/second-factor", data={"csrf": form_csrf(account)})
        assert "<svg" in setup.text  # the QR code for the app
        secret = re.search(r"Key: <code>([A-Z2-7]+)</code>", setup.text).group(1)
        wrong = browser.post("/account/second-factor/confirm", data={"csrf": form_csrf(account), "code": "000000"})
        assert wrong.status_code == 422
        on = browser.post(
            "/account/second-factor/confirm", data={"csrf": form_csrf(account), "code": pyotp.TOTP(secret).now()}
        )
        codes = re.findall(r"<li><code>([0-9A-F]+)</code>", on.text)
        assert len(codes) == 10
        browser.post("/signout", data={"csrf": form_csrf(account)})

        first = sign_in(browser, "ana@example.org")
        assert first.headers["location"] == "/signin/code?next=/account"
        assert browser.get("/account").status_code == 303  # nothing before the code
        code_page = browser.get("/signin/code?next=/account")
        given = browser.post(
            "/signin/code", data={"code": pyotp.TOTP(secret).now(), "next": "/account", "csrf": form_csrf(code_page)}
        )
        assert given.status_code == 303 and browser.get("/account").status_code == 200

    with newsroom.browser() as other:  # another browser: the same code does not work twice
        sign_in(other, "ana@example.org")
        code_page = other.get("/signin/code")
        again = other.post("/signin/code", data={"code": pyotp.TOTP(secret).now(), "csrf": form_csrf(code_page)})
        assert again.status_code == 401
        recovered = other.post("/signin/code", data={"code": codes[0].lower(), "csrf": form_csrf(code_page)})
        assert recovered.status_code == 303 and other.get("/account").status_code == 200
    with newsroom.browser() as third:  # a recovery code works once
        sign_in(third, "ana@example.org")
        code_page = third.get("/signin/code")
        assert third.post("/signin/code", data={"code": codes[0], "csrf": form_csrf(code_page)}).status_code == 401


def test_signing_out_everywhere_ends_every_session_at_once(newsroom):
    newsroom.accounts.create_user("ana@example.org", "Ana", Role.EDITOR, PASSWORD, Actor("test"))
    with newsroom.browser() as laptop, newsroom.browser() as phone:
        sign_in(laptop, "ana@example.org")
        sign_in(phone, "ana@example.org")
        page = laptop.get("/account")
        laptop.post("/account/signout-everywhere", data={"csrf": form_csrf(page)})
        assert phone.get("/account").status_code == 303
        assert laptop.get("/account").status_code == 303


def test_a_required_second_factor_must_be_set_up_before_anything_else(db_url, monkeypatch):
    engine = open_store(db_url)
    app = create_app(Site(engine, Settings(public_url="http://127.0.0.1", base_dir=ROOT), SECRET))
    monkeypatch.setitem(RULES, ("GET", "/probe"), needs(Permission.READ))  # any page of the newsroom
    app.get("/probe")(lambda: {"reached": True})
    accounts = Accounts(engine, SECRET)
    user = accounts.create_user("ana@example.org", "Ana", Role.EDITOR, PASSWORD, Actor("test"))
    accounts.require_second_factor(user.id, True, Actor("admin"))
    with Uvicorn(app) as server, httpx.Client(base_url=server.url) as browser:
        sign_in(browser, "ana@example.org", next="/probe")
        sent_on = browser.get("/probe")
        assert sent_on.status_code == 303 and sent_on.headers["location"] == "/account"
        assert "requires a second factor" in browser.get("/account").text
        account = browser.get("/account")
        setup = browser.post("/account/second-factor", data={"csrf": form_csrf(account)})
        secret = re.search(r"Key: <code>([A-Z2-7]+)</code>", setup.text).group(1)
        code = pyotp.TOTP(secret).now()
        browser.post("/account/second-factor/confirm", data={"csrf": form_csrf(account), "code": code})
        assert browser.get("/probe").json() == {"reached": True}  # set up: the newsroom opens
    engine.dispose()


def test_a_deactivated_user_is_signed_out_at_once(newsroom):
    user = newsroom.accounts.create_user("ana@example.org", "Ana", Role.EDITOR, PASSWORD, Actor("test"))
    with newsroom.browser() as browser:
        sign_in(browser, "ana@example.org")
        with newsroom.engine.begin() as conn:
            conn.execute(tables.users.update().where(tables.users.c.id == user.id).values(active=False))
        assert browser.get("/account").status_code == 303
        assert sign_in(browser, "ana@example.org").status_code == 401
