"""Importing subscribers in Chromium, signed in as an admin: upload a CSV whose headers are not the
importer's aliases ("Courriel;Nom"), map its columns, see the first rows as they will be read,
start the import, watch the progress reach the end, download the rejected rows and find the import in
the audit log; every page of
the flow checked with axe-core (no serious or critical violation, light and dark) and photographed
into test-artifacts/."""

from __future__ import annotations

import csv

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot
from tests.web.newsroom import newsroom  # noqa: F401 (a pytest fixture)

ROWS = 3000


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'digest.db'}"


def _contacts(folder):  # noqa: ANN001, ANN202
    lines = ["Courriel;Nom"]
    for n in range(ROWS):
        if n == 1:
            lines.append(";Sans Adresse")  # row 3: no address
        elif n == 7:
            lines.append("pas-une-adresse;Nom Faux")  # row 9: not an address
        else:
            lines.append(f"contact{n}@example.fr;Contact {n}")
    path = folder / "contacts.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_import_with_a_column_mapping_and_download_the_rejected_rows(browser, newsroom, tmp_path, dark):  # noqa: F811
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}, accept_downloads=True,
                                  color_scheme="dark" if dark else "light")  # fmt: skip
    context.add_cookies(
        [{"name": "digest_session", "value": newsroom.tokens["admin"][0], "url": newsroom.url}]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    shade = "dark" if dark else "light"

    page.goto(newsroom.url + "/newsroom")
    page.get_by_role("link", name="Imports").click()  # from the newsroom's navigation
    expect(page.get_by_role("heading", name="Import subscribers")).to_be_visible()
    page.get_by_label("List", exact=True).select_option("world")
    page.get_by_label("CSV file", exact=True).set_input_files(_contacts(tmp_path))
    assert axe_violations(page) == []
    screenshot(page, f"import-upload-{shade}")
    page.get_by_role("button", name="Upload and map the columns").click()

    expect(page.get_by_role("heading", name="Map the columns of contacts.csv")).to_be_visible()
    expect(page.get_by_text("Read as UTF-8, fields separated by ';'")).to_be_visible()
    expect(
        page.get_by_text("has no email column").first
    ).to_be_visible()  # nothing guessed from these headers
    page.get_by_label("Where the consent comes from").fill("salon 2026")
    page.keyboard.press("Tab")  # on to the next field: the preview follows (htmx, on change)
    page.get_by_label("Courriel").select_option("email")  # htmx redraws the preview on each change
    page.get_by_label("Nom").select_option("name")
    preview = page.locator("table.preview-rows tbody tr")
    expect(preview.first.locator("td").nth(1)).to_have_text("contact0@example.fr")
    expect(preview.first.locator("td").nth(2)).to_have_text("Contact 0")  # the name, no longer an attribute
    expect(preview.first.locator("td").nth(6)).to_have_text("")
    expect(preview.nth(1)).to_contain_text("Rejected, email: is empty")
    expect(preview.nth(7)).to_contain_text("Rejected, email:")
    expect(preview).to_have_count(10)
    assert axe_violations(page) == []
    screenshot(page, f"import-mapping-{shade}")
    page.get_by_role("button", name="Import into world").click()

    expect(page.get_by_text("Done.", exact=True)).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", name="Import contacts.csv into world")).to_be_visible()
    bar = page.locator("#job progress")
    expect(bar).to_have_attribute("value", str(ROWS))  # the progress reached the end
    expect(bar).to_have_attribute("max", str(ROWS))
    expect(page.locator('table.summary tr:has(th:text-is("Imported (new)")) td')).to_have_text(
        f"{ROWS - 2:,}"
    )
    expect(page.locator('table.summary tr:has(th:text-is("Rejected")) td')).to_have_text("2")
    expect(page.locator("table.rejected tbody tr")).to_have_count(2)
    assert axe_violations(page) == []
    screenshot(page, f"import-done-{shade}")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the rejected rows (CSV)").click()
    saved = tmp_path / "rejected.csv"
    download.value.save_as(saved)
    with saved.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["row", "field", "reason", "value"]
    assert [(r[0], r[1]) for r in rows[1:]] == [("3", "email"), ("9", "email")]
    assert rows[2][3] == "pas-une-adresse"

    page.get_by_role("link", name="Imports").click()
    expect(page.locator("table.imports tbody tr").first).to_contain_text("Import contacts.csv into world")
    assert axe_violations(page) == []
    screenshot(page, f"import-list-{shade}")
    page.get_by_role("link", name="Audit log").click()  # the import is in the audit log, on its list
    expect(page.locator("table.audit tbody tr").filter(has_text="subscribers.import").first).to_contain_text("world")
    assert errors == []
    context.close()
