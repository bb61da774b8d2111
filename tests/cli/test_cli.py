"""The command line: every command described; mistakes exit non-zero with a message, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

COMMANDS = ["demo", "ingest", "sources", "trim", "editions", "preview", "send", "lists", "subscribers", "serve", "status", "db"]


def digest(*args, cwd=None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "digest", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        timeout=60,
    )


def test_help_lists_every_command_with_a_description():
    result = digest("--help")
    assert result.returncode == 0
    for command in COMMANDS:
        line = next((ln for ln in result.stdout.splitlines() if f" {command} " in ln), None)
        assert line is not None, f"{command} missing from --help"
        assert len(line.split(command, 1)[1].strip(" │")) > 10, f"{command} has no description"
    sub = digest("editions", "--help")
    commands = ("build", "list", "show", "pin", "exclude", "move", "add", "edit", "approve", "schedule", "cancel")
    assert all(f" {c} " in sub.stdout for c in commands)


def test_a_config_mistake_exits_non_zero_naming_the_key(tmp_path):
    (tmp_path / "config.yaml").write_text("public_url: https://x.org\nlists:\n  - id: A!\n")
    result = digest("--config", str(tmp_path / "config.yaml"), "ingest")
    assert result.returncode == 1
    assert "lists[0].id" in result.stderr
    assert "Traceback" not in result.stderr


def test_send_without_a_secret_key_says_how_to_make_one(instance):
    env = {"DIGEST_SECRET_KEY": "", "DIGEST_CONFIG": str(instance / "config.yaml")}
    assert digest("ingest", cwd=instance, env=env).returncode == 0
    assert digest("editions", "build", "world", cwd=instance, env=env).returncode == 0
    result = digest("send", "1", cwd=instance, env=env)
    assert result.returncode == 1
    assert "DIGEST_SECRET_KEY is not set" in result.stderr and "Traceback" not in result.stderr
    assert not (instance / "outbox").exists()


def test_unknown_edition_and_unknown_list_are_clear_errors(instance):
    env = {"DIGEST_SECRET_KEY": "k", "DIGEST_CONFIG": str(instance / "config.yaml")}
    result = digest("send", "42", cwd=instance, env=env)
    assert result.returncode == 1 and "no edition #42" in result.stderr
    result = digest("editions", "build", "nope", cwd=instance, env=env)
    assert result.returncode == 1 and "no list with id 'nope'" in result.stderr


def test_db_upgrade_then_preview_writes_the_edition_html(instance):
    env = {"DIGEST_SECRET_KEY": "k", "DIGEST_CONFIG": str(instance / "config.yaml")}
    first = digest("db", "upgrade", cwd=instance, env=env)
    assert first.returncode == 0 and "upgraded" in first.stdout
    assert "already up to date" in digest("db", "upgrade", cwd=instance, env=env).stdout
    assert digest("ingest", cwd=instance, env=env).returncode == 0
    assert digest("editions", "build", "world", cwd=instance, env=env).returncode == 0
    target = instance / "preview.html"
    result = digest("preview", "1", "--out", str(target), cwd=instance, env=env)
    assert result.returncode == 0, result.stderr
    assert "KB of HTML" in result.stdout
    assert "Blinken à Bruxelles" in target.read_text()


def test_trim_prints_one_json_object_per_article_in_input_order(instance):
    import json

    articles = sorted((instance / "samples" / "articles").iterdir())
    result = digest("trim", "--json", *map(str, articles))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["source"] for r in records] == [str(p) for p in articles]
    blinken = next(r for r in records if r["source"].endswith("000_587257c50a9a4e63.txt"))
    assert blinken["lede"].startswith("Le secrétaire d’État américain Antony Blinken s’est rendu à Bruxelles")
    assert set(blinken) >= {"source", "title", "language", "lede", "byline", "caption", "quotes"}
