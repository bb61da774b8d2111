"""The authorization table covers every route, and the app does what it says for every role: a
request is let through, refused with 403, or sent to sign in. Checked over HTTP, route by route."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from digest.accounts.service import Accounts
from digest.config import Settings
from digest.domain import Actor, Edition, Permission, Role, Session, User
from digest.store import accounts as account_store
from digest.store.db import open_store
from digest.store.editions import insert_edition
from digest.web.app import create_app, routes
from digest.web.csrf import csrf_token
from digest.web.deps import Site
from digest.web.policy import RULES, Rule
from subscribers.models import MailingList
from subscribers.service import sync_lists
from tests import ROOT
from tests.servers.web import Uvicorn

SECRET = "policy-test-key"
PEOPLE = {  # who asks: a role, and the lists it is limited to (None: every list)
    "viewer": (Role.VIEWER, None),
    "editor": (Role.EDITOR, None),
    "publisher": (Role.PUBLISHER, None),
    "admin": (Role.ADMIN, None),
    "editor of another list": (Role.EDITOR, ("other",)),
}
# The table as reviewers read it, for the rules that matter most: who may change and send editions.
EXPECTED_GRANTS = {
    Role.VIEWER: {Permission.READ},
    Role.EDITOR: {Permission.READ, Permission.CURATE, Permission.TEST_SEND},
    Role.PUBLISHER: {Permission.READ, Permission.CURATE, Permission.TEST_SEND, Permission.APPROVE, Permission.SEND},
}


def test_the_roles_grant_what_the_readme_says():
    for role, expected in EXPECTED_GRANTS.items():
        user = User(1, "a@example.org", "A", role)
        assert {p for p in Permission if user.may(p)} == expected
    admin = User(1, "a@example.org", "A", Role.ADMIN)
    assert all(admin.may(p) for p in Permission)
    scoped = User(1, "a@example.org", "A", Role.PUBLISHER, lists=("world",))
    assert scoped.may(Permission.SEND, "world") and not scoped.may(Permission.SEND, "monde")
    assert not User(1, "a@example.org", "A", Role.ADMIN, active=False).may(Permission.READ)


def test_an_app_with_a_route_that_has_no_rule_does_not_start(db_url, monkeypatch):
    engine = open_store(db_url)
    monkeypatch.delitem(RULES, ("GET", "/account"))
    with pytest.raises(RuntimeError, match="GET /account"):
        create_app(Site(engine, Settings(public_url="http://127.0.0.1", base_dir=ROOT), SECRET))
    engine.dispose()


def _session(engine, user: User) -> tuple[str, str]:
    """A signed-in browser of the user: (cookie token, CSRF token)."""
    token, at = secrets.token_urlsafe(32), datetime.now(UTC)
    session = Session(hashlib.sha256(token.encode()).hexdigest(), user.id, at, at, at + timedelta(hours=1), True)
    with engine.begin() as conn:
        account_store.insert_session(conn, session)
    return token, csrf_token(SECRET, session)


def _expected(rule: Rule, who: str | None) -> str:
    if rule.token_scope:  # the JSON API: a session is no bearer token (tests/web/test_api.py checks scopes)
        return "no token"
    if rule.public:
        return "allowed"
    if who is None:
        return "sign in"
    role, lists = PEOPLE[who]
    if rule.permission is None:
        return "allowed"
    user = User(0, "x@example.org", "X", role, lists)
    on = "world" if rule.scope else None
    return "allowed" if user.may(rule.permission, on) else "refused"


def _outcome(response: httpx.Response, path: str) -> str:
    """The gate sends a visitor to sign in and back to the page asked for; a page that sends
    elsewhere (the code page without a sign-in under way) has answered itself."""
    if response.status_code == 401 and response.headers.get("www-authenticate", "").startswith("Bearer"):
        return "no token"
    if response.status_code == 303 and response.headers.get("location") == f"/signin?next={path}":
        return "sign in"
    return "refused" if response.status_code == 403 and response.headers.get("x-denied") else "allowed"


def test_every_route_answers_each_role_as_the_table_says(db_url):
    engine = open_store(db_url)
    with engine.begin() as conn:
        sync_lists(conn, [MailingList(id="world", name="World", from_address="w@example.org", from_name="W")])
        edition_id = insert_edition(conn, Edition(list_id="world", subject="S", items=[]))
    app = create_app(Site(engine, Settings(public_url="http://127.0.0.1", base_dir=ROOT), SECRET))
    accounts = Accounts(engine, SECRET)
    users = {
        who: accounts.create_user(f"{re.sub(r'[^a-z]', '', who)}@example.org", who, role, "a long enough password",
                                  Actor("test"), lists)  # fmt: skip
        for who, (role, lists) in PEOPLE.items()
    }
    spare = accounts.create_user("spare@example.org", "Spare", Role.VIEWER, None, Actor("test"))  # the users acted on
    values = {"list_id": "world", "edition_id": str(edition_id), "token": "not-a-token", "user_id": str(spare.id)}
    checked = 0
    with Uvicorn(app) as server, httpx.Client(base_url=server.url, timeout=10) as browser:
        for method, template in routes(app):
            rule = RULES[(method, template)]
            path = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: values.get(m.group(1), "1"), template)
            path = path + "/newsroom.css" if template == "/static" else path
            for who in (None, *PEOPLE):
                browser.cookies.clear()  # one client (making one costs more than the request), no cookie kept
                headers = {}
                if who is not None:  # a fresh session each time: a route may sign its user out
                    token, csrf = _session(engine, users[who])
                    browser.cookies.set("digest_session", token)
                    headers = {"X-CSRF-Token": csrf}
                response = browser.request(method, path, headers=headers)
                assert _outcome(response, path) == _expected(rule, who), (method, template, who, response.status_code)
                checked += 1
    assert checked >= 6 * len(routes(app))
    engine.dispose()


def test_the_edition_board_needs_view_to_read_curate_to_change_and_more_to_approve_and_send():
    board = "/newsroom/editions/{edition_id}"
    expected = {
        ("GET", board): Permission.READ,
        ("GET", board + "/preview"): Permission.READ,
        ("GET", board + "/mail"): Permission.READ,
        ("GET", board + "/progress"): Permission.READ,
        ("GET", board + "/history"): Permission.READ,
        ("GET", board + "/checks"): Permission.READ,
        ("GET", board + "/search"): Permission.CURATE,
        ("GET", board + "/items/{article_id}/source"): Permission.READ,
        ("GET", board + "/items/{article_id}/passage"): Permission.CURATE,
        ("POST", board + "/test-send"): Permission.TEST_SEND,
        ("POST", board + "/changes"): Permission.CURATE,
        ("POST", board + "/submit"): Permission.CURATE,
        ("POST", board + "/approve"): Permission.APPROVE,
        ("POST", board + "/schedule"): Permission.APPROVE,
        ("POST", board + "/send"): Permission.SEND,
        ("POST", board + "/pause"): Permission.SEND,
        ("POST", board + "/resume"): Permission.SEND,
        ("POST", board + "/cancel"): Permission.SEND,
        ("POST", board + "/audience"): Permission.CURATE,
        ("GET", board + "/report"): Permission.READ,  # what readers did: the figures
        ("GET", board + "/report/people"): Permission.MANAGE_SUBSCRIBERS,  # the subscribers behind them
    }
    on_board = {key: rule for key, rule in RULES.items() if key[1].startswith(board)}
    assert {key: rule.permission for key, rule in on_board.items()} == expected
    assert all(rule.scope == "edition" and not rule.public for rule in on_board.values())
