"""The admin console's users and audit log, served on loopback: only admins get in (others are
refused, visitors sent to sign in); an invitation is mailed (the file backend's outbox) and its link
sets a password once and signs the person in with the role given; a change without the CSRF token is
refused; the audit log filters by action prefix and pages by its link."""

from __future__ import annotations

import email
import re
from email import policy
from pathlib import Path

import httpx

from digest.web.auth import COOKIE
from tests.web.newsroom import newsroom  # noqa: F401 (a pytest fixture)

PAGES = ["/admin/users", "/admin/audit"]


def invitation_link(room, to: str) -> str:  # noqa: ANN001
    """The link in the newest invitation mailed to `to`, from the outbox of the file backend."""
    outbox = Path(room.settings.path(room.settings.delivery.outbox))
    for path in sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if to in str(message["To"]) and "invitation" in str(message["Subject"]):
            text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
            found = re.search(r"https?://\S+/welcome/\S+", text)
            assert found, text
            return found.group(0)
    raise AssertionError(f"no invitation to {to} in {outbox}")


def _keep_cookies(client: httpx.Client, response: httpx.Response) -> None:
    """The newsroom's cookies are Secure (its public URL is https): keep them over the loopback's http."""
    for cookie in response.cookies.jar:
        client.cookies.set(cookie.name, cookie.value or "")


def test_only_admins_manage_users(newsroom):  # noqa: F811
    for who in ("viewer", "editor", "publisher"):
        with newsroom.browser(who) as browser:
            for page in PAGES:
                assert browser.get(page).status_code == 403, (who, page)
            refused = browser.post("/admin/users/invite", data={"csrf": newsroom.csrf(who), "email": "x@example.org",
                                                               "name": "X", "role": "admin"})  # fmt: skip
            assert refused.status_code == 403
            assert "/admin/users" not in browser.get("/newsroom").text  # no link to what they cannot open
    with httpx.Client(base_url=newsroom.url, timeout=10) as visitor:
        for page in PAGES:
            answer = visitor.get(page)
            assert answer.status_code == 303 and answer.headers["location"] == f"/signin?next={page}"
    with newsroom.browser("admin") as admin:
        page = admin.get("/admin/users")
        assert page.status_code == 200 and "editor@example.org" in page.text
        assert 'href="/admin/audit"' in admin.get("/newsroom").text
        no_csrf = admin.post("/admin/users/invite", data={"email": "x@example.org", "name": "X", "role": "viewer"})
        assert no_csrf.status_code == 403


def test_an_invitation_mailed_sets_a_password_once_and_signs_in(newsroom):  # noqa: F811
    with newsroom.browser("admin") as admin:
        sent = admin.post("/admin/users/invite", data={"csrf": newsroom.csrf("admin"), "email": "kim@example.org",
                                                       "name": "Kim", "role": "editor", "lists": ["world"]})  # fmt: skip
        assert sent.status_code == 303 and sent.headers["location"] == "/admin/users?done=invited"
        again = admin.post("/admin/users/invite", data={"csrf": newsroom.csrf("admin"), "email": "kim@example.org",
                                                        "name": "Kim", "role": "editor"})  # fmt: skip
        assert again.status_code == 422 and "already a user" in again.text
    link = invitation_link(newsroom, "kim@example.org")
    path = "/" + link.split("/", 3)[3]
    with httpx.Client(base_url=newsroom.url, timeout=10) as person:
        page = person.get(path)
        assert page.status_code == 200 and "Welcome, Kim" in page.text
        _keep_cookies(person, page)
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        differ = person.post(path, data={"csrf": csrf, "password": "a long enough password", "again": "another one!"})
        assert differ.status_code == 422 and "differ" in differ.text
        done = person.post(path, data={"csrf": csrf, "password": "a long enough password",
                                       "again": "a long enough password"})  # fmt: skip
        assert done.status_code == 303 and COOKIE in done.cookies
        _keep_cookies(person, done)
        assert person.get("/newsroom").status_code == 200
        assert person.get(newsroom.board).status_code == 200  # an editor of `world`
        assert person.get("/admin/users").status_code == 403
    with httpx.Client(base_url=newsroom.url, timeout=10) as stranger:
        used = stranger.get(path)
        assert used.status_code == 410 and "used already" in used.text
        assert stranger.get(path[:-4] + "abcd").status_code == 410
    with newsroom.browser("admin") as admin:
        log = admin.get("/admin/audit", params={"action": "user."}).text
        assert "user.invite" in log and "user.password" in log and "sign-in" not in log.split("<tbody>")[1]
        signed = admin.get("/admin/audit", params={"action": "sign-in"}).text
        assert "Kim &lt;kim@example.org&gt;" in signed


def test_the_last_admin_cannot_step_down_and_a_deactivated_user_is_signed_out(newsroom):  # noqa: F811
    users = newsroom.app.state.site.accounts.users()  # type: ignore[attr-defined]
    ids = {u.email: u.id for u in users}
    with newsroom.browser("admin") as admin:
        csrf = newsroom.csrf("admin")
        refused = admin.post(f"/admin/users/{ids['admin@example.org']}/deactivate", data={"csrf": csrf})
        assert refused.status_code == 409 and "last active admin" in refused.text
        demoted = admin.post(f"/admin/users/{ids['admin@example.org']}", data={"csrf": csrf, "role": "viewer"})
        assert demoted.status_code == 409
        gone = admin.post(f"/admin/users/{ids['viewer@example.org']}/deactivate", data={"csrf": csrf})
        assert gone.status_code == 303
    with newsroom.browser("viewer") as viewer:
        assert viewer.get("/newsroom").status_code == 303  # their session ended: sent to sign in


def test_the_audit_log_pages_by_its_link(newsroom):  # noqa: F811
    accounts = newsroom.app.state.site.accounts  # type: ignore[attr-defined]
    with newsroom.browser("admin") as admin:
        for n in range(60):
            accounts.sign_out_everywhere(1, __import__("digest.domain").domain.Actor.named(f"robot {n}"))
        first = admin.get("/admin/audit", params={"action": "sign-out."})
        assert first.text.count("<tr><td>") == 50
        older = re.search(r'href="([^"]+before=\d+)"', first.text)
        assert older, first.text[-1500:]
        second = admin.get(older.group(1).replace("&amp;", "&"))
        assert second.text.count("<tr><td>") == 10 and "robot 0" in second.text and "robot 59" not in second.text
        bad = admin.get("/admin/audit", params={"since": "yesterday"})
        assert bad.status_code == 422 and "YYYY-MM-DD" in bad.text
