"""`digest trim` as other tools call it (the installed console script, in a subprocess): JSON lines in
input order, the options, and files it cannot read."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests import ROOT

DIGEST = Path(sys.executable).with_name("digest")  # the console script the project installs

SAMPLE = ROOT / "samples" / "articles" / "000_587257c50a9a4e63.txt"
EN = (
    "Council approves late-night buses\n\n"
    "The council voted on Tuesday to fund a late-night bus network. It ends a dispute of two years.\n\n"
    "“This is about the nurse who finishes at midnight,” said councillor Amira Shah.\n\n"
    "“Nobody has shown me the passenger numbers that justify it,” said councillor Tom Bright.\n"
)


def digest_trim(paths, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(DIGEST), "trim", *map(str, paths), *options], capture_output=True, text=True, timeout=120
    )


def trim_json(paths, *options: str):
    done = digest_trim(paths, "--json", "--max-quotes", "1", *options)
    return done.returncode, [json.loads(line) for line in done.stdout.splitlines()], done.stderr


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "b.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "a.md").write_text(
        "---\ntitle: Notes\n---\n\nA short note about the buses and the night shift "
        "workers who will use them from March onwards.\n",
        encoding="utf-8",
    )
    (tmp_path / "skip.pdf").write_bytes(b"%PDF")
    return tmp_path


def test_json_lines_have_the_contract_fields_in_input_order(folder):
    status, records, _ = trim_json([SAMPLE, folder])
    assert status == 0
    assert [Path(r["source"]).name for r in records] == [SAMPLE.name, "a.md", "b.txt"]
    assert all(
        set(r)
        == {
            "source", "title", "language", "byline", "standfirst", "caption", "dateline", "paragraphs", "lede",
            "quotes",
        }
        for r in records
    )  # fmt: skip
    sample = records[0]
    assert sample["language"] == "fr" and sample["byline"] == "Milos Schmidt"
    assert set(sample["quotes"][0]) == {"text", "speaker", "cue", "confidence"}
    assert sample["paragraphs"][0].startswith("Le secrétaire d’État américain Antony Blinken s’est rendu")
    assert not any("commentaire" in p for p in sample["paragraphs"])
    assert not sample["quotes"][0]["text"].startswith("«")


def test_max_quotes_all_quotes_and_lede_words():
    _, [one], _ = trim_json([SAMPLE], "--max-quotes", "1")
    _, [every], _ = trim_json([SAMPLE], "--all-quotes")
    _, [short], _ = trim_json([SAMPLE], "--lede-words", "10")
    assert len(one["quotes"]) == 1
    assert [q["speaker"] for q in every["quotes"]] == ["Borrell", "Blinken", "Blinken"]
    assert short["lede"].endswith("…") and len(short["lede"].split()) == 10


def test_language_option_forces_the_language(tmp_path):
    (tmp_path / "x.txt").write_text(EN, encoding="utf-8")
    _, [record], _ = trim_json([tmp_path / "x.txt"], "--language", "de")
    assert record["language"] == "de"


def test_readable_summary():
    done = digest_trim([SAMPLE])
    out = done.stdout
    assert done.returncode == 0
    assert "Blinken à Bruxelles" in out and "[fr]" in out and "— Borrell" in out


def test_bad_files_are_reported_and_the_rest_goes_on(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 64)
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(20_000_000)  # 20 MB, written sparsely
    (tmp_path / "good.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "front.md").write_text("---\ntitle: [unclosed\n---\n\nBody.\n", encoding="utf-8")
    status, records, err = trim_json([tmp_path, tmp_path / "missing.txt"])
    assert status == 1
    assert [Path(r["source"]).name for r in records] == ["good.txt"]
    assert "big.txt: larger than 5 MB" in err
    assert "binary.txt: binary file, not text" in err
    assert "empty.txt: no article text found" in err
    assert "missing.txt" in err
    assert "front.md: while parsing" in err


def test_output_is_the_text_as_it_is_without_markup_or_emoji_codes_read_in_it(tmp_path):
    title = "Council [bold]approves[/bold] :thumbs_up: late-night buses à Zürich"
    (tmp_path / "odd.txt").write_text(
        EN.replace("Council approves late-night buses", title), encoding="utf-8"
    )
    done = digest_trim([tmp_path / "odd.txt"], "--json")
    assert done.returncode == 0
    assert done.stdout.count("\n") == 1 and json.loads(done.stdout)["title"] == title
    assert f'"title": "{title}"' in done.stdout  # not ASCII-escaped
    assert f"  {title} [en]\n" in digest_trim([tmp_path / "odd.txt"]).stdout
