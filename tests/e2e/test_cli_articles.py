"""Articles through the installed `digest`: an article file whose date or text changes is updated,
`editions build` says which articles it left out and why, and a photo credit is never a byline."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.conftest import Program, make_program

HARBOUR = "samples/articles/en-harbour-wind-farm.md"
HARBOUR_TITLE = "Harbour town votes to host the country's largest offshore wind base"


@pytest.fixture
def program(tmp_path) -> Program:
    """On SQLite; the storage of dates and the count of late articles on both databases: test_ingest_sources
    and test_editions."""
    return make_program(tmp_path / "instance", f"sqlite:///{tmp_path / 'digest.db'}")


def counts(done) -> dict[str, int]:
    """{"new": 8, "updated": 0, "unchanged": 0} from `digest ingest`'s summary."""
    return {k: int(v) for k, v in re.findall(r"\b(new|updated|unchanged) (\d+)", done.stdout)}


def test_a_changed_date_or_text_updates_the_article(program: Program):
    assert counts(program.run("ingest"))["new"] == 8
    path = program.root / HARBOUR

    path.write_text(path.read_text().replace("published: 2026-11-26T08:30:00Z", "published: 2001-01-01T08:30:00Z"))
    assert counts(program.run("ingest")) == {"new": 0, "updated": 1, "unchanged": 7}
    built = program.run("editions", "build", "world").stdout
    assert "with 7 item(s)" in built and "1 published before" in built and "(the list looks back 3650 day(s))" in built
    assert HARBOUR_TITLE not in program.run("editions", "show", "1").stdout  # its new date is outside the window

    path.write_text(path.read_text() + "\nThe council meets again in March to vote on the final plan.\n")
    assert counts(program.run("ingest")) == {"new": 0, "updated": 1, "unchanged": 7}
    assert counts(program.run("ingest"))["unchanged"] == 8  # updated once, then as stored


def test_build_says_what_it_left_out_and_why(program: Program):
    program.run("subscribers", "import", "samples/subscribers.csv", "--list", "world", "--consent", "e2e")
    program.run("ingest")
    program.run("editions", "build", "world")
    program.run("editions", "approve", "1")
    program.run("send", "1")
    # A story the folder only holds now, but published ten days ago: older than the last send.
    published = (datetime.now(UTC) - timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    (program.root / "samples" / "articles" / "late.md").write_text(
        f"---\npublished: {published}\n---\n# A ferry line reopens after ten years\n\n"
        "The ferry between the two harbours runs again from Monday, ten years after the last crossing.\n"
    )
    assert counts(program.run("ingest"))["new"] == 1
    built = program.run("editions", "build", "world").stdout
    assert "no new articles for list 'world'" in built
    assert re.search(r"left out: 1 ingested since the last send \(.+ UTC\) but published before .+ UTC "
                     r"\(a day before that send\)", built), built  # fmt: skip
    assert "already in an edition of the list" in built


def test_a_photo_credit_is_never_a_byline(program: Program):
    sample = "samples/articles/de-bahn-nachtzug.txt"  # a caption, then "Foto: Lena Hofer", then the title
    trimmed = json.loads(program.run("trim", sample, "--json").stdout)
    assert trimmed["title"] == "Neuer Nachtzug verbindet Berlin und Rom ab Dezember"
    assert trimmed["byline"] is None and "Lena Hofer" not in trimmed["lede"]

    (program.root / "credit.txt").write_text(
        "Council approves late-night buses\n\nPhoto: Tom Ellery\n\n"
        "The council voted on Tuesday to fund a late-night bus network for shift workers across the city, "
        "ending a dispute that had lasted two years.\n"
    )
    assert json.loads(program.run("trim", "credit.txt", "--json").stdout)["byline"] is None

    program.run("ingest")
    program.run("editions", "build", "world")
    program.run("preview", "1", "--out", "preview.html")
    assert "Lena Hofer" not in (program.root / "preview.html").read_text()  # not shown as the author
