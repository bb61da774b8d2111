"""The public web archive and the preview: an edition without anyone's personal links, and its size."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from digest.config import Settings
from digest.editions.service import preview as write_preview
from digest.lists import sync_lists
from digest.render import BUDGET, render_archive
from digest.render.specimen import specimen_edition
from digest.store.db import open_store
from digest.store.editions import insert_edition, set_edition_status
from digest.web.app import create_app
from digest.web.deps import Site
from tests import ROOT
from tests.render.test_message import Tags, a_list, long_edition

TEMPLATES = ROOT / "templates"
ARCHIVE = "https://digest.example.org/archive/"


@pytest.fixture
def site(tmp_path: Path):
    settings = Settings(
        public_url="https://digest.example.org", base_dir=tmp_path, templates=str(TEMPLATES), lists=[a_list()]
    )
    engine = open_store(f"sqlite:///{tmp_path / 'digest.db'}")
    sync_lists(engine, settings)
    return settings, engine


def store(engine, edition, status: str) -> int:
    with engine.begin() as conn:
        edition_id = insert_edition(conn, edition)
        set_edition_status(conn, edition_id, status)
    return edition_id


def client(settings, engine) -> TestClient:
    return TestClient(create_app(Site(engine, settings, "archive-test-key")))


def test_the_archive_page_has_every_item_and_no_personal_link():
    edition = long_edition(40)
    page = render_archive(edition, a_list(), TEMPLATES, ARCHIVE + "1")
    assert all(f"Story {n}:" in page for n in range(1, 41))  # no size budget on the web
    assert len(page.encode()) > BUDGET
    assert "@@" not in page and "Hello" not in page
    assert "Unsubscribe" not in page and "Preferences" not in page
    assert "You are reading the web archive of The World." in page
    assert all(a["href"].startswith("https://") for a in Tags(page).named("a"))


@pytest.mark.parametrize("status", ["sending", "sent"])
def test_a_sent_edition_is_served_at_its_view_in_browser_url(site, status):
    settings, engine = site
    edition_id = store(engine, specimen_edition(3), status)
    response = client(settings, engine).get(f"/archive/{edition_id}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src" not in response.headers["content-security-policy"]
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "Story 3:" in response.text and "Unsubscribe" not in response.text


@pytest.mark.parametrize("status", ["draft", "approved", "canceled"])
def test_an_edition_not_yet_sent_is_not_public(site, status):
    settings, engine = site
    edition_id = store(engine, specimen_edition(1), status)
    web = client(settings, engine)
    assert web.get(f"/archive/{edition_id}").status_code == 404
    assert web.get(f"/archive/{edition_id + 100}").status_code == 404


def test_the_preview_shows_the_size_and_what_was_held_back(site, tmp_path: Path):
    settings, engine = site
    small = store(engine, specimen_edition(3), "draft")
    big = store(engine, long_edition(40), "draft")

    shown = write_preview(engine, settings, small, tmp_path / "small.html")
    assert shown.held_back == 0
    assert shown.size == len((tmp_path / "small.html").read_bytes())

    framed = write_preview(engine, settings, big, tmp_path / "big.html", width=375)
    page = (tmp_path / "big.html").read_text()
    assert framed.held_back > 0 and framed.size < BUDGET
    assert "width:375px" in page and "<iframe" in page
    assert f"{framed.size / 1024:.1f} KB of HTML, budget 90 KB; {framed.held_back} item(s) moved" in page


@pytest.mark.parametrize("edition_id", ["2147483648", "9223372036854775808", "0", "-1", "one", "１"])
def test_an_id_that_names_no_edition_is_not_found_on_every_database(db_url, tmp_path: Path, edition_id):
    settings = Settings(
        public_url="https://digest.example.org", base_dir=tmp_path, templates=str(TEMPLATES), lists=[a_list()]
    )
    engine = open_store(db_url)  # 2147483648 overflows PostgreSQL's integer ids; the largest below is fine
    try:
        web = client(settings, engine)
        assert web.get(f"/archive/{edition_id}").status_code == 404
        assert web.get("/archive/2147483647").status_code == 404
    finally:
        engine.dispose()
