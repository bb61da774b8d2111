"""Imports in the admin console and the JSON API, served on loopback on SQLite and PostgreSQL: a CSV
uploaded as a plain form (streamed to disk), its columns mapped and its first rows previewed as the
import reads them, the import run as a job to its end, its rejected rows by row number in a
formula-safe CSV, the import audited; only admins get in, and the upload needs the CSRF token."""

from __future__ import annotations

import csv
import io
import re
import time

import httpx
import lxml.html
import pytest

from digest.accounts import audit
from digest.accounts.tokens import ApiTokens
from digest.domain import Actor
from subscribers.importer import TARGETS
from tests.web.newsroom import open_newsroom

IMPORTS = "/admin/imports"
# Headers that are not the importer's aliases: every column is mapped by hand. Row 3 has no address,
# row 5 a bad time zone, row 6 repeats row 2 (merged), row 7 a formula where the address should be.
FRENCH = (
    "Courriel;Nom;Fuseau;Société\n"
    "lea@example.fr;Léa Martin;Europe/Paris;Le Monde\n"
    ";Sans Adresse;Europe/Paris;\n"
    "ada@example.org;Ada Lovelace;Europe/London;\n"
    "bad@example.fr;Bad Zone;Mars/Olympus;\n"
    "LEA@example.fr;;;Libération\n"
    "=cmd|' /C calc'!A0;Formula;;\n"
).encode()


@pytest.fixture
def room(instance, db_url):
    opened, server = open_newsroom(instance, database_url=db_url)
    with server:
        yield opened
    opened.engine.dispose()


def upload(
    browser: httpx.Client, csrf: str, body: bytes, name: str = "abonnés.csv", list_id: str = "world"
) -> httpx.Response:
    return browser.post(
        IMPORTS, data={"csrf": csrf, "list_id": list_id}, files={"file": (name, body, "text/csv")}
    )


def wait_for(browser: httpx.Client, job_url: str) -> str:
    for _ in range(400):
        html = browser.get(job_url).text
        if "Done." in html or "Failed:" in html:
            return html
        time.sleep(0.05)
    raise AssertionError(html)


def summary(html: str) -> dict[str, str]:
    doc = lxml.html.document_fromstring(html)
    return {
        tr.xpath("string(th)"): tr.xpath("string(td)") for tr in doc.xpath('//table[@class="summary"]//tr')
    }


def test_upload_map_preview_import_and_report(room):
    admin = room.browser("admin")
    sent = upload(admin, room.csrf("admin"), FRENCH)
    assert sent.status_code == 303, sent.text[-500:]
    mapping = sent.headers["location"]
    assert re.fullmatch(r"/admin/imports/uploads/[A-Za-z0-9_-]+", mapping)
    page = admin.get(mapping)
    assert page.status_code == 200
    doc = lxml.html.document_fromstring(page.text)
    assert "Read as UTF-8, fields separated by ';'" in doc.text_content()
    chosen = [sel.xpath("string(option[@selected]/@value)") for sel in doc.xpath('//select[@name="map"]')]
    assert chosen == ["attribute"] * 4  # no alias among these headers: nothing is guessed
    assert [o.get("value") for o in doc.xpath('(//select[@name="map"])[1]/option')] == list(TARGETS)
    assert "has no email column" in page.text  # and the import cannot start without one

    given = {"csrf": room.csrf("admin"), "list_id": "world", "consent": "salon 2026",
             "map": ["email", "name", "timezone", "attribute"]}  # fmt: skip
    preview = admin.post(mapping, data={**given, "action": "preview"})
    assert preview.status_code == 200
    doc = lxml.html.document_fromstring(preview.text)
    rows = [
        [" ".join(td.text_content().split()) for td in tr]
        for tr in doc.xpath('//table[@class="preview-rows"]/tbody/tr')
    ]
    assert rows[0] == [
        "2",
        "lea@example.fr",
        "Léa Martin",
        "",
        "Europe/Paris",
        "confirmed",
        "Société: Le Monde",
    ]
    assert rows[1] == ["3", "Rejected, email: is empty"]
    assert rows[3][0] == "5" and rows[3][1].startswith("Rejected, timezone:") and "Mars/Olympus" in rows[3][1]
    assert len(rows) == 6
    doc = lxml.html.document_fromstring(preview.text)
    chosen = [sel.xpath("string(option[@selected]/@value)") for sel in doc.xpath('//select[@name="map"]')]
    assert chosen == given["map"]
    assert doc.xpath('string(//input[@name="consent"]/@value)') == "salon 2026"  # the form keeps the choices

    without_token = admin.post(mapping, data={**given, "csrf": ""})
    assert without_token.status_code == 403
    started = admin.post(mapping, data={**given, "action": "import"})
    assert started.status_code == 303, started.text[-800:]
    assert admin.post(mapping, data=given).status_code == 404  # a double click starts no second import
    job_url = started.headers["location"]
    assert re.fullmatch(r"/admin/jobs/\d+", job_url)  # the job's page, as for every job
    html = wait_for(admin, job_url)
    assert summary(html) == {"Rows read": "6", "Imported (new)": "1", "Merged (known)": "2", "Skipped (suppressed)": "0",
                             "Rejected": "3", "Merged but had left: kept out": "0"}  # fmt: skip
    assert 'hx-trigger="every 1s"' not in html  # done: the polling stops
    doc = lxml.html.document_fromstring(html)
    shown = [[td.text_content() for td in tr] for tr in doc.xpath('//table[@class="rejected"]/tbody/tr')]
    assert [(r[0], r[1]) for r in shown] == [("3", "email"), ("5", "timezone"), ("7", "email")]
    assert shown[2][3] == "=cmd|' /C calc'!A0"  # shown as it was read; the CSV below is formula-safe
    assert "Import abonnés.csv into world" in html

    report = admin.get(job_url + "/report.csv")
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(report.text)))
    assert lines[0] == ["row", "field", "reason", "value"]
    assert [(r[0], r[1]) for r in lines[1:]] == [("3", "email"), ("5", "timezone"), ("7", "email")]
    assert lines[3][3].startswith("'=")  # formula-safe: a spreadsheet shows it as text

    [entry] = audit.entries(room.engine, action="subscribers.import")
    assert (entry.object_type, entry.object_id, entry.actor) == ("list", "world", "Admin <admin@example.org>")
    assert (
        entry.details["imported"] == 1
        and entry.details["rejected"] == 3
        and entry.details["file"] == "abonnés.csv"
    )
    listed = admin.get(IMPORTS).text
    assert f'href="{job_url}"' in listed and "Import abonnés.csv into world" in listed
    assert not list(
        (room.settings.path(room.settings.data_dir) / "uploads").glob("*.csv")
    )  # the upload is gone


def test_the_progress_fragment_and_the_page_without_javascript(room):
    admin = room.browser("admin")
    body = "email\n" + "".join(f"reader{i}@example.org\n" for i in range(12_000))
    mapping = upload(admin, room.csrf("admin"), body.encode(), "many.csv").headers["location"]
    started = admin.post(mapping, data={"csrf": room.csrf("admin"), "list_id": "world", "consent": "test"})
    job_url = started.headers["location"]
    first = admin.get(job_url).text
    if "Done." not in first:
        assert '<meta http-equiv="refresh"' in first and 'hx-get="' + job_url + '"' in first
    wait_for(admin, job_url)
    fragment = admin.get(job_url, headers={"HX-Request": "true"}).text
    assert fragment.lstrip().startswith('<div id="job"') and 'value="12000"' in fragment
    assert summary(fragment)["Imported (new)"] == "12,000"
    assert admin.get(job_url + "/report.csv").status_code == 404  # no rejected row, no report


def test_only_admins_import_and_the_upload_needs_the_csrf_token(room):
    for who in ("viewer", "editor", "publisher"):
        with room.browser(who) as browser:
            assert browser.get(IMPORTS).status_code == 403
            assert upload(browser, room.csrf(who), FRENCH).status_code == 403
            assert 'href="/admin/imports"' not in browser.get("/newsroom").text
    admin = room.browser("admin")
    assert upload(admin, "not-the-token", FRENCH).status_code == 403
    assert admin.post(IMPORTS, files={"file": ("a.csv", FRENCH, "text/csv")}).status_code == 403
    folder = room.settings.path(room.settings.data_dir) / "uploads"
    assert not folder.exists() or not any(folder.iterdir())  # nothing was kept of a refused upload
    empty = upload(admin, room.csrf("admin"), b"", "empty.csv")
    assert empty.status_code == 422 and "is empty" in empty.text
    assert admin.get(IMPORTS + "/uploads/nope-not-an-upload-id").status_code == 404


def test_an_upload_over_the_limit_is_refused_and_nothing_kept(room, monkeypatch):
    from digest.audience import imports

    monkeypatch.setattr(imports, "MAX_UPLOAD", 4096)
    admin = room.browser("admin")
    big = b"email\n" + b"".join(b"reader%d@example.org\n" % i for i in range(1000))
    assert upload(admin, room.csrf("admin"), big).status_code == 413
    folder = room.settings.path(room.settings.data_dir) / "uploads"
    assert not folder.exists() or not any(folder.iterdir())


def test_the_api_imports_with_a_mapping_and_honours_the_idempotency_key(room):
    secret = ApiTokens(room.engine).create("crm", ["imports:write"], Actor.named("test")).secret
    reader = ApiTokens(room.engine).create("reader", ["subscribers:read"], Actor.named("test")).secret
    api = httpx.Client(base_url=room.url, headers={"Authorization": f"Bearer {secret}"}, timeout=30)
    params = {
        "list_id": "world",
        "consent": "crm export",
        "map": ["Courriel=email", "Nom=name", "Fuseau=timezone"],
    }
    refused = httpx.post(room.url + "/api/v1/imports", params=params, content=FRENCH,
                         headers={"Authorization": f"Bearer {reader}"})  # fmt: skip
    assert refused.status_code == 403
    key = {"Idempotency-Key": "import-1", "Content-Type": "text/csv"}
    first = api.post("/api/v1/imports", params=params, content=FRENCH, headers=key)
    assert first.status_code == 202, first.text
    job = first.json()
    again = api.post("/api/v1/imports", params=params, content=FRENCH, headers=key)
    assert again.json()["id"] == job["id"] and again.headers["idempotent-replayed"] == "true"
    for _ in range(400):
        shown = api.get(f"/api/v1/imports/{job['id']}").json()
        if shown["status"] in ("done", "failed"):
            break
        time.sleep(0.05)
    assert shown["status"] == "done", shown
    assert shown["summary"]["imported"] == 1 and shown["summary"]["rejected"] == 3
    assert [r["row"] for r in shown["rejected"]] == [3, 5, 7]
    bad = api.post("/api/v1/imports", params={**params, "map": ["Nowhere=email"]}, content=FRENCH)
    assert bad.status_code == 422 and "no column 'Nowhere'" in bad.json()["detail"]
    bulk = room.app.state.site.jobs.submit("bulk", {"search": {}, "action": "suppress"}, Actor.named("test"))
    assert api.get(f"/api/v1/imports/{bulk.id}").status_code == 404  # another kind of job is no import
    folder = room.settings.path(room.settings.data_dir) / "uploads"
    assert not list(folder.glob("*.csv")) and not list(
        folder.glob("*.part")
    )  # the replay and the refusal kept nothing
