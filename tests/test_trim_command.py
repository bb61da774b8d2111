"""`digest trim` as other tools call it: JSON lines in input order, the options, and files it cannot read."""

import json
from pathlib import Path

import pytest

from digest.trim.command import run

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "articles" / "000_587257c50a9a4e63.txt"
EN = (
    "Council approves late-night buses\n\n"
    "The council voted on Tuesday to fund a late-night bus network. It ends a dispute of two years.\n\n"
    "“This is about the nurse who finishes at midnight,” said councillor Amira Shah.\n\n"
    "“Nobody has shown me the passenger numbers that justify it,” said councillor Tom Bright.\n"
)


def trim_json(capsys, paths, **options):
    settings = {"as_json": True, "lede_words": 60, "max_quotes": 1, "all_quotes": False, "language": None}
    settings.update(options)
    status = run(paths, **settings)
    out, err = capsys.readouterr()
    return status, [json.loads(line) for line in out.splitlines()], err


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


def test_json_lines_have_the_contract_fields_in_input_order(capsys, folder):
    status, records, _ = trim_json(capsys, [SAMPLE, folder])
    assert status == 0
    assert [Path(r["source"]).name for r in records] == [SAMPLE.name, "a.md", "b.txt"]
    assert all(
        set(r) == {"source", "title", "language", "lede", "byline", "caption", "quotes"} for r in records
    )
    sample = records[0]
    assert sample["language"] == "fr" and sample["byline"] == "Milos Schmidt"
    assert set(sample["quotes"][0]) == {"text", "speaker", "cue"}
    assert not sample["quotes"][0]["text"].startswith("«")


def test_max_quotes_all_quotes_and_lede_words(capsys):
    _, [one], _ = trim_json(capsys, [SAMPLE], max_quotes=1)
    _, [every], _ = trim_json(capsys, [SAMPLE], all_quotes=True)
    _, [short], _ = trim_json(capsys, [SAMPLE], lede_words=10)
    assert len(one["quotes"]) == 1
    assert [q["speaker"] for q in every["quotes"]] == ["Borrell", "Blinken", "Blinken"]
    assert short["lede"].endswith("…") and len(short["lede"].split()) == 10


def test_language_option_forces_the_language(capsys, tmp_path):
    (tmp_path / "x.txt").write_text(EN, encoding="utf-8")
    _, [record], _ = trim_json(capsys, [tmp_path / "x.txt"], language="de")
    assert record["language"] == "de"


def test_readable_summary(capsys):
    status = run([SAMPLE], as_json=False, lede_words=60, max_quotes=2, all_quotes=False, language=None)
    out = capsys.readouterr().out
    assert status == 0
    assert "Blinken à Bruxelles" in out and "[fr]" in out and "— Borrell" in out


def test_bad_files_are_reported_and_the_rest_goes_on(capsys, tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 64)
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(20_000_000)  # 20 MB, written sparsely
    (tmp_path / "good.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "front.md").write_text("---\ntitle: [unclosed\n---\n\nBody.\n", encoding="utf-8")
    status, records, err = trim_json(capsys, [tmp_path, tmp_path / "missing.txt"])
    assert status == 1
    assert [Path(r["source"]).name for r in records] == ["good.txt"]
    assert "big.txt: larger than 5 MB" in err
    assert "binary.txt: binary file, not text" in err
    assert "empty.txt: no article text found" in err
    assert "missing.txt" in err
    assert "front.md: while parsing" in err
