"""The `digest lists` and `digest subscribers` commands, as the lead's main app mounts them."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from digest.cli import app as main

CONFIG = """
public_url: https://digest.example.org
database_url: "{db}"
delivery:
  outbox: outbox
lists:
  - id: world
    name: The World
    language: en
    from_address: world@example.org
    from_name: World Desk
"""


@pytest.fixture
def cli(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DIGEST_SECRET_KEY", "cli-test-secret")
    (tmp_path / "config.yaml").write_text(CONFIG.format(db=db_url))
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, ["--config", str(tmp_path / "config.yaml"), *args])

    return run


def test_lists_create_list_show(cli):
    made = cli(
        "lists",
        "create",
        "news",
        "--name",
        "Les Nouvelles",
        "--language",
        "fr",
        "--from-address",
        "n@example.org",
        "--from-name",
        "N",
        "--no-double-opt-in",
    )
    assert made.exit_code == 0, made.output
    listed = cli("lists", "list")
    assert "world" in listed.output and "Les Nouvelles" in listed.output
    shown = cli("lists", "show", "news")
    assert (
        "double opt-in:  no" in shown.output and "https://digest.example.org/subscribe/news" in shown.output
    )
    again = cli(
        "lists", "create", "news", "--name", "X", "--from-address", "n@example.org", "--from-name", "N"
    )
    assert again.exit_code == 1 and "already exists" in again.output
    changed = cli("lists", "update", "news", "--name", "Nouvelles", "--public", "--reply-to", "r@example.org")
    assert changed.exit_code == 0 and "updated list news (public)" in changed.output, changed.output
    shown = cli("lists", "show", "news").output
    assert "name:           Nouvelles" in shown and "reply-to:       r@example.org" in shown
    refused = cli("lists", "update", "world", "--name", "Renamed")  # declared in config.yaml
    assert refused.exit_code != 0 and "declared in config.yaml" in refused.output


def test_import_writes_a_report_and_a_summary(cli, tmp_path):
    source = tmp_path / "people.csv"
    source.write_text("email,name\nann@example.org,Ann\nbroken,Bob\nANN@example.org,Ann L\n")
    result = cli("subscribers", "import", str(source), "--list", "world", "--consent", "event signup sheet")
    assert result.exit_code == 0, result.output
    assert "imported (new):       1" in result.output and "merged (known):       1" in result.output
    assert "rejected:             1" in result.output
    rows = list(csv.reader((tmp_path / "people.csv.errors.csv").open()))
    assert rows[0] == ["row", "field", "reason", "value"]
    assert rows[1][:2] == ["3", "email"] and rows[1][3] == "broken"


def test_bad_input_exits_non_zero_with_a_message_not_a_traceback(cli, tmp_path):
    (tmp_path / "nomail.csv").write_text("name\nAnn\n")
    for args, words in [
        (("subscribers", "import", str(tmp_path / "nomail.csv"), "--list", "world"), "no email column"),
        (("subscribers", "add", "not-an-address", "--list", "world"), "not a valid email address"),
        (("subscribers", "add", "a@example.org", "--list", "nope"), "no list with id 'nope'"),
        (
            ("subscribers", "import", str(tmp_path / "nomail.csv"), "--list", "world", "--map", "x"),
            "COLUMN=FIELD",
        ),
        (("lists", "show", "nope"), "no list with id"),
        (
            ("subscribers", "add", "a@example.org", "--list", "world", "--consent", "x", "--timezone", "Mars/Olympus"),
            "--timezone 'Mars/Olympus': is not a known time zone (e.g. Europe/Paris)",
        ),
        (("subscribers", "add", "a@example.org", "--list", "world", "--name", "n" * 201), "--name 'nnn"),
        (("subscribers", "add", "a@example.org", "--list", "world", "--consent", " "), "--consent ' ': say where"),
        (("subscribers", "export", "--list", "world", "--status", "gone"), "--status 'gone': is not one of pending"),
        (("lists", "create", "Bad Id", "--name", "X", "--from-address", "a@example.org", "--from-name", "A"),
         "list id 'Bad Id': use lower-case letters"),
        (("lists", "create", "ok", "--name", "X\nY", "--from-address", "a@example.org", "--from-name", "A"),
         "--name 'X\\nY': no line breaks or control characters"),
    ]:
        result = cli(*args)
        assert result.exit_code != 0 and words in result.output, (args, result.output)
        assert isinstance(result.exception, SystemExit), result.exception  # an exit, not a crash


def test_add_without_consent_sends_a_confirmation_to_the_outbox(cli, tmp_path):
    result = cli("subscribers", "add", "new@example.org", "--list", "world")
    assert result.exit_code == 0 and "pending" in result.output
    [eml] = list((tmp_path / "outbox").glob("*.eml"))
    text = eml.read_text()
    assert "To: new@example.org" in text and "From: World Desk <world@example.org>" in text
    assert "https://digest.example.org/confirm/" in text.replace("=\n", "")


def test_export_show_unsubscribe_erase(cli, tmp_path):
    assert (
        cli(
            "subscribers",
            "add",
            "=ann@example.org",
            "--list",
            "world",
            "--consent",
            "paper form",
            "--name",
            "Ann",
        ).exit_code
        == 0
    )
    out = tmp_path / "out.csv"
    exported = cli("subscribers", "export", "--list", "world", "-o", str(out))
    assert exported.exit_code == 0
    assert list(csv.reader(out.open()))[1][:2] == ["'=ann@example.org", "Ann"]

    shown = cli("subscribers", "show", "=ANN@example.org", "--json")
    data = json.loads(shown.output)
    assert data["subscriber"]["name"] == "Ann" and data["consent_events"][0]["wording"] == "paper form"

    left = cli("subscribers", "unsubscribe", "=ann@example.org", "--list", "world")
    assert left.exit_code == 0 and "left: world" in left.output

    erased = cli("subscribers", "erase", "=ann@example.org", "--yes")
    assert erased.exit_code == 0 and "subscriber erased" in erased.output
    after = json.loads(cli("subscribers", "show", "=ann@example.org", "--json").output)
    assert after["subscriber"] is None and after["suppression"]["reason"] == "erased"
    back = cli("subscribers", "add", "=ann@example.org", "--list", "world", "--consent", "paper form")
    assert back.exit_code == 1 and "suppression list" in back.output


def test_serve_needs_the_secret(cli, tmp_path):
    env = {**os.environ, "DIGEST_SECRET_KEY": ""}
    config = str(tmp_path / "config.yaml")
    result = subprocess.run(
        [sys.executable, "-m", "digest", "--config", config, "serve"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1 and "DIGEST_SECRET_KEY" in result.stderr and "Traceback" not in result.stderr


def test_missing_config_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["--config", str(tmp_path / "none.yaml"), "lists", "list"])
    assert result.exit_code == 1 and "no such file" in result.output


def test_export_takes_the_consoles_filters(cli, tmp_path):
    people = tmp_path / "people.csv"
    people.write_text("email,name,language,timezone\nada@example.org,Ada,en,Europe/London\n"
                      "jean@example.fr,Jean,fr,Europe/Paris\njeanne@example.fr,Jeanne,fr,Europe/Paris\n")  # fmt: skip
    assert cli("subscribers", "import", str(people), "--list", "world", "--consent", "form").exit_code == 0
    out = tmp_path / "out.csv"
    exported = cli("subscribers", "export", "--prefix", "JEAN", "--language", "fr", "--status", "confirmed", "-o", str(out))
    assert exported.exit_code == 0 and "exported 2 subscribers" in exported.output
    rows = list(csv.DictReader(out.open()))
    assert [r["email"] for r in rows] == ["jean@example.fr", "jeanne@example.fr"]  # by address, the prefix's order
    assert "status" not in rows[0]  # across lists: the people, no list's status
    member = cli("subscribers", "export", "--list", "world", "--name", "ada", "-o", str(out))
    assert member.exit_code == 0 and [r["status"] for r in csv.DictReader(out.open())] == ["confirmed"]
    bad = cli("subscribers", "export", "--joined-from", "yesterday")
    assert bad.exit_code == 1 and "--joined-from 'yesterday': is not a date (YYYY-MM-DD)" in bad.output


def test_suppress_keeps_a_note_and_who_and_says_when_the_address_already_was(cli, monkeypatch):
    monkeypatch.setenv("DIGEST_EDITOR", "ops desk")
    done = cli("subscribers", "suppress", "bo@example.org", "--note", "asked by mail")
    assert done.exit_code == 0 and "bo@example.org is now suppressed" in done.output
    again = cli("subscribers", "suppress", "bo@example.org")
    assert again.exit_code == 0 and "was already suppressed" in again.output
    shown = json.loads(cli("subscribers", "show", "bo@example.org", "--json").output)
    assert shown["suppression"]["reason"] == "manual" and shown["suppression"]["note"] == "asked by mail"
