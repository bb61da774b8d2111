"""`digest ingest` ends with a summary and fails only when every source failed; `digest sources` shows
each source's last success, last error and counts."""

from __future__ import annotations

import os
import subprocess
import sys

import yaml

from tests.servers.feeds import good_items, rss

pytest_plugins = ["tests.servers.feeds"]


def digest(config, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "250", "DIGEST_CONFIG": str(config)}
    return subprocess.run(
        [sys.executable, "-m", "digest", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=config.parent,
    )


def digest_in_process(config, *args):
    """The same command without a new interpreter (fast); stdout and stderr apart."""
    from typer.testing import CliRunner

    from digest.cli import app

    return CliRunner().invoke(app, ["--config", str(config), *args], env={"COLUMNS": "250"})


def write_config(tmp_path, db_url, sources) -> object:
    path = tmp_path / "config.yaml"
    path.write_text(
        yaml.safe_dump(
            {"public_url": "https://digest.example.org", "database_url": db_url, "sources": sources}
        )
    )
    return path


def test_ingest_summarises_and_exits_non_zero_only_when_every_source_failed(tmp_path, server, db_url):
    good = server.add("/good.xml", rss(good_items("good") + good_items("good")))  # every item twice
    missing = server.url("/missing.xml")
    config = write_config(
        tmp_path,
        db_url,
        [{"name": "good", "kind": "feed", "url": good}, {"name": "missing", "kind": "feed", "url": missing}],
    )
    result = digest_in_process(config, "ingest")
    assert result.exit_code == 0, result.output
    assert "2 source(s) read: new 3, updated 0, unchanged 0, duplicates 3" in result.stdout
    assert f"missing: {missing}: HTTP 404 Not Found" in result.stdout
    assert f"{good} item 4: duplicate of {good} item 1" in result.stderr

    only_missing = digest_in_process(config, "ingest", "--source", "missing")
    assert only_missing.exit_code == 1
    assert "1 source(s) read: new 0" in only_missing.stdout and "failed 1" in only_missing.stdout

    listing = digest_in_process(config, "sources")
    assert listing.exit_code == 0, listing.output
    good_line = next(line for line in listing.stdout.splitlines() if " good " in line)
    missing_line = next(line for line in listing.stdout.splitlines() if " missing " in line)
    assert "never" not in good_line and [c.strip() for c in good_line.split("│")[-3:-1]] == ["3", "3"]
    assert "HTTP 404" in missing_line and "never" in missing_line
    assert listing.exception is None and result.exception is None


def test_sources_lists_the_configured_ones_in_order_then_those_no_longer_configured(tmp_path, server, db_url):
    good = server.add("/good.xml", rss(good_items("good")))
    config = write_config(tmp_path, db_url, [{"name": "old", "kind": "feed", "url": good}])
    assert digest(config, "ingest").returncode == 0
    write_config(tmp_path, db_url, [{"name": "zeta", "kind": "rss", "path": "feed.xml"},
                                    {"name": "alpha", "kind": "feed", "url": good}])  # fmt: skip
    listing = digest(config, "sources")
    assert listing.returncode == 0, listing.stderr
    rows = [
        [c.strip() for c in line.split("│")[1:-1]]
        for line in listing.stdout.splitlines()
        if line.count("│") == 8
    ]
    assert [r[:3] for r in rows] == [
        ["zeta", "rss", "never read"], ["alpha", "feed", "never read"], ["old", "feed", "no longer configured"]
    ]  # fmt: skip
    assert rows[2][-2:] == ["3", "3"]  # what it read last, and what is stored of it


def test_unknown_source_is_named(tmp_path):
    config = write_config(
        tmp_path, f"sqlite:///{tmp_path / 'digest.db'}", [{"name": "wire", "kind": "rss", "path": "feed.xml"}]
    )
    result = digest(config, "ingest", "--source", "nope")
    assert result.returncode == 1 and "no source named 'nope'" in result.stderr
