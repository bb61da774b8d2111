"""The admin console's users in Chromium: an admin invites an editor by the form, the invitation
arrives (the file backend's outbox), the editor opens its link in a browser of their own, sets a
password, is signed in, may open the board and is refused the admin pages; the audit log shows the
invitation and the sign-in. The users page, the invitation form and the audit log are checked with
axe-core (no serious or critical violation) and photographed into test-artifacts/."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot
from tests.web.newsroom import newsroom  # noqa: F401 (a pytest fixture)
from tests.web.test_users import invitation_link


def test_an_invited_editor_sets_a_password_and_signs_in_with_the_role_given(browser, newsroom):  # noqa: F811
    admin_context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    admin_context.add_cookies([{"name": "digest_session", "value": newsroom.tokens["admin"][0], "url": newsroom.url}])
    admin = admin_context.new_page()
    admin.goto(newsroom.url + "/newsroom")
    admin.get_by_role("link", name="Users").click()
    expect(admin.get_by_role("heading", name="Users", exact=True)).to_be_visible()
    assert axe_violations(admin) == []
    screenshot(admin, "console-users")

    admin.get_by_label("Email address").fill("kim@example.org")
    admin.get_by_label("Name", exact=True).fill("Kim Editor")
    admin.get_by_label("Role", exact=True).last.select_option("editor")
    admin.locator("section[aria-labelledby=invite-title]").get_by_label("world").check()
    assert axe_violations(admin) == []
    screenshot(admin, "console-users-invite-form")
    admin.get_by_role("button", name="Send the invitation").click()
    assert admin.get_by_role("status").inner_text() == "Invitation sent."
    expect(admin.get_by_role("cell", name="Kim Editor")).to_be_visible()
    admin.get_by_text("Change Kim Editor").click()  # a user's own forms, opened without script
    assert admin.get_by_role("row").filter(has_text="kim@example.org").get_by_label("Role").input_value() == "editor"
    assert axe_violations(admin) == []
    screenshot(admin, "console-users-change-open")

    link = invitation_link(newsroom, "kim@example.org")
    person_context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})  # their own browser
    person = person_context.new_page()
    person.goto(newsroom.url + "/" + link.split("/", 3)[3])
    expect(person.get_by_role("heading", name="Welcome, Kim Editor")).to_be_visible()
    assert axe_violations(person) == []
    screenshot(person, "welcome-set-password")
    person.get_by_label("New password").fill("kim's long password")
    person.get_by_label("The same password again").fill("kim's long password")
    person.get_by_role("button", name="Set the password and sign in").click()
    person.wait_for_url("**/newsroom")
    assert person.locator(".who .role").inner_text() == "editor"
    assert person.get_by_role("link", name="Users").count() == 0
    answer = person.goto(newsroom.url + newsroom.board)
    assert answer is not None and answer.status == 200
    refused = person.goto(newsroom.url + "/admin/users")
    assert refused is not None and refused.status == 403
    screenshot(person, "welcome-editor-refused-users")

    admin.get_by_role("link", name="Audit log", exact=True).click()
    rows = admin.locator("table.audit tbody tr")
    assert rows.filter(has_text="user.invite").count() == 1
    assert rows.filter(has_text="Kim Editor <kim@example.org>").filter(has_text="sign-in").count() == 1
    assert axe_violations(admin) == []
    screenshot(admin, "console-audit")
    admin.get_by_label("Action starts with").fill("user.")
    admin.get_by_role("button", name="Filter").click()
    assert "action=user." in admin.url
    assert rows.filter(has_text="sign-in").count() == 0 and rows.filter(has_text="user.invite").count() == 1
    screenshot(admin, "console-audit-filtered")
    viewer_context = browser.new_context(bypass_csp=True)  # a viewer is refused every admin page
    viewer_context.add_cookies([{"name": "digest_session", "value": newsroom.tokens["viewer"][0], "url": newsroom.url}])
    viewer = viewer_context.new_page()
    for path in ("/admin/users", "/admin/audit"):
        answer = viewer.goto(newsroom.url + path)
        assert answer is not None and answer.status == 403, path
    viewer_context.close()
    admin_context.close()
    person_context.close()
