"""The admin console's API tokens, served on loopback on SQLite and PostgreSQL: only admins get in;
a token is made with a name and scopes, its secret shown once (the list never shows it, and it works
on the API with its scopes); a token is revoked and refused from then on; each is audited, and a
form without the CSRF token is refused."""

from __future__ import annotations

import re

import httpx
import lxml.html
import pytest

from digest.accounts import audit
from tests.web.newsroom import open_newsroom

PAGE = "/admin/tokens"


@pytest.fixture
def room(instance, db_url):
    newsroom, server = open_newsroom(instance, database_url=db_url)
    with server:
        yield newsroom
    newsroom.engine.dispose()


def _rows(html: str) -> list[list[str]]:
    page = lxml.html.document_fromstring(html)
    return [[" ".join(td.text_content().split()) for td in tr.xpath("td")]
            for tr in page.xpath('//table[@class="tokens"]/tbody/tr')]  # fmt: skip


def _make(client: httpx.Client, csrf: str, name: str, *scopes: str) -> httpx.Response:
    return client.post(PAGE, data={"csrf": csrf, "name": name, "scopes": list(scopes)})


def test_only_admins_manage_tokens(room):
    for who in ("viewer", "editor", "publisher"):
        with room.browser(who) as browser:
            assert browser.get(PAGE).status_code == 403 and PAGE not in browser.get("/newsroom").text
            assert _make(browser, room.csrf(who), "mine", "lists:read").status_code == 403
            assert browser.post(f"{PAGE}/1/revoke", data={"csrf": room.csrf(who)}).status_code == 403
    with httpx.Client(base_url=room.url, timeout=10) as visitor:
        answer = visitor.get(PAGE)
        assert answer.status_code == 303 and answer.headers["location"] == f"/signin?next={PAGE}"
    with room.browser("admin") as admin:
        assert admin.get(PAGE).status_code == 200 and f'href="{PAGE}"' in admin.get("/newsroom").text
        assert admin.post(PAGE, data={"name": "x", "scopes": ["lists:read"]}).status_code == 403  # no CSRF
    assert room.app.state.site.api_tokens.all() == []


def test_a_token_is_shown_once_works_within_its_scopes_and_is_revoked(room):
    csrf = room.csrf("admin")
    with room.browser("admin") as admin:
        made = _make(admin, csrf, "  the CRM   sync ", "lists:read", "subscribers:write")
        assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
        secret = lxml.html.document_fromstring(made.text).xpath('//input[@id="secret"]/@value')[0]
        assert secret.startswith("dgt_") and "Copy it now" in made.text
        listed = admin.get(PAGE)
        assert secret not in listed.text  # shown once
        [row] = _rows(listed.text)
        assert row[0].startswith("the CRM sync") and row[1] == "lists:read, subscribers:write"
        assert "Admin <admin@example.org>" in row[2] and row[3] == "never" and row[4] == "active"
        wrong = _make(admin, csrf, "none")
        assert wrong.status_code == 422 and "at least one scope" in wrong.text
        unknown = _make(admin, csrf, "odd", "everything:write")
        assert unknown.status_code == 422 and "unknown scope" in unknown.text
        with httpx.Client(
            base_url=room.url, headers={"Authorization": f"Bearer {secret}"}, timeout=10
        ) as api:
            assert api.get("/api/v1/lists").status_code == 200
            assert api.get("/api/v1/subscribers").status_code == 200  # write includes read
            assert api.get("/api/v1/editions").status_code == 403
            token_id = re.search(r"/admin/tokens/(\d+)/revoke", listed.text).group(1)  # type: ignore[union-attr]
            assert _rows(admin.get(PAGE).text)[0][3] != "never"  # last used
            assert admin.post(f"{PAGE}/{token_id}/revoke", data={}).status_code == 403  # no CSRF
            gone = admin.post(f"{PAGE}/{token_id}/revoke", data={"csrf": csrf})
            assert gone.status_code == 303 and "Token revoked" in admin.get(gone.headers["location"]).text
            assert api.get("/api/v1/lists").status_code == 401
        assert (
            _rows(admin.get(PAGE).text)[0][4].startswith("revoked")
            and "Revoke" not in _rows(admin.get(PAGE).text)[0][5]
        )
        again = admin.post(f"{PAGE}/{token_id}/revoke", data={"csrf": csrf})
        assert again.status_code == 409
    [created] = audit.entries(room.engine, action="api-token.create")
    assert created.details == {"name": "the CRM sync", "scopes": ["lists:read", "subscribers:write"]}
    assert created.actor == "Admin <admin@example.org>" and secret not in str(created.details)
    [revoked] = audit.entries(room.engine, action="api-token.revoke")
    assert revoked.object_id == token_id
