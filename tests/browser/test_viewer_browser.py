"""A viewer in Chromium reads the board and is refused everything else: every admin page, and every
change asked from its own page (each route of the authorization table that needs more than reading,
posted by the page with the session's own CSRF token, as a tampered page would) answers 403; the
edition is as it was, and the audit log holds nothing the viewer did but signing in."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from digest.accounts import audit
from digest.domain import Permission
from digest.web.app import routes
from digest.web.policy import RULES
from tests.browser.conftest import screenshot
from tests.web.newsroom import newsroom  # noqa: F401 (a pytest fixture)

FETCH = """async ([method, path]) => {
  const csrf = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRF-Token"];
  const answer = await fetch(path, {method, headers: {"X-CSRF-Token": csrf, "HX-Request": "true"}, redirect: "manual"});
  return answer.status;
}"""


def test_a_viewer_is_refused_every_admin_page_and_every_change(browser, newsroom):  # noqa: F811
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "digest_session", "value": newsroom.tokens["viewer"][0], "url": newsroom.url}])
    page = context.new_page()
    before = newsroom.edition()
    page.goto(newsroom.url + newsroom.board)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "board-viewer")
    nav = page.get_by_role("navigation", name="Newsroom")
    for console in ("Lists", "Subscribers", "Imports", "Suppressions", "Users", "Audit log", "API tokens", "Settings"):
        expect(nav.get_by_role("link", name=console, exact=True)).to_have_count(0)  # not offered to a viewer

    values = {"list_id": "world", "edition_id": str(newsroom.edition_id)}
    signed_in = {key: rule for key, rule in RULES.items() if not rule.public and not rule.token_scope}
    refused = {key for key, rule in signed_in.items() if rule.permission not in (None, Permission.READ)}
    pages = sorted(t for m, t in refused if m == "GET" and t.startswith("/admin"))
    changes = sorted((m, t) for m, t in refused if m != "GET")
    assert len(pages) >= 10 and len(changes) >= 30 and refused <= set(routes(newsroom.app))
    for template in pages:
        path = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: values.get(m.group(1), "1"), template)
        answer = page.goto(newsroom.url + path)
        assert answer is not None and answer.status == 403, path
    page.goto(newsroom.url + newsroom.board)
    for method, template in changes:
        path = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: values.get(m.group(1), "1"), template)
        assert page.evaluate(FETCH, [method, path]) == 403, (method, template)

    after = newsroom.edition()
    assert after.edition == before.edition and [i.brief for i in after.items] == [i.brief for i in before.items]
    viewer_id = next(e.user_id for e in audit.entries(newsroom.engine, action="sign-in") if "Viewer" in e.actor)
    assert {e.action for e in audit.entries(newsroom.engine, user_id=viewer_id)} == {"sign-in"}
    context.close()
