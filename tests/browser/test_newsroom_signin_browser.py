"""Signing in to the newsroom with a second factor, in Chromium; each page checked with axe-core."""

from __future__ import annotations

import pyotp
from playwright.sync_api import expect

from digest.accounts.service import Accounts
from digest.config import Settings
from digest.domain import Actor, Role
from digest.store.db import open_store
from digest.web.app import create_app
from digest.web.deps import Site
from tests import ROOT
from tests.browser.conftest import axe_violations, screenshot
from tests.servers.web import Uvicorn

SECRET = "browser-signin-key"
PASSWORD = "a long enough password"


def test_signing_in_with_a_second_factor(browser, tmp_path):
    engine = open_store(f"sqlite:///{tmp_path / 'digest.db'}")
    accounts = Accounts(engine, SECRET)
    user = accounts.create_user("ana@example.org", "Ana Editor", Role.EDITOR, PASSWORD, Actor("test"))
    secret, _ = accounts.begin_second_factor(user)
    accounts.confirm_second_factor(user, pyotp.TOTP(secret).now(), Actor("test"))
    app = create_app(Site(engine, Settings(public_url="http://127.0.0.1", base_dir=ROOT), SECRET))
    with Uvicorn(app) as server:
        context = browser.new_context(bypass_csp=True)  # for axe-core, injected below
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(server.url + "/account")
        assert page.url.endswith("/signin?next=/account")
        assert axe_violations(page) == []
        page.get_by_label("Email address").fill("ana@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        screenshot(page, "newsroom-signin")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/signin/code**")
        assert axe_violations(page) == []
        page.keyboard.type(pyotp.TOTP(secret).now())  # the code field has the focus
        screenshot(page, "newsroom-signin-code")
        page.keyboard.press("Enter")
        page.wait_for_url(server.url + "/account")
        expect(page.get_by_role("heading", name="Your account")).to_be_visible()
        assert "Ana Editor" in page.content()
        assert axe_violations(page) == []
        screenshot(page, "newsroom-account")
        assert errors == []
        context.close()
    engine.dispose()
