"""config.yaml mistakes and an unreachable database, through the installed `digest`: each is one clear
message naming the key path and the offending value, exit status 1, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.e2e.conftest import Program, make_program
from tests.servers.smtp import free_port


@pytest.fixture
def program(tmp_path: Path) -> Program:
    """The demo instance on SQLite (each test sets the database it needs)."""
    return make_program(tmp_path / "instance", f"sqlite:///{tmp_path / 'digest.db'}")


def refused(program: Program, *args: str) -> str:
    """Run a command that must stop on the mistake; returns what it printed on stderr."""
    done = program.run(*args, check=False)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    return done.stderr


COMMANDS = [("status",), ("editions", "list"), ("subscribers", "export", "--list", "world"), ("serve",)]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_database_url_that_is_no_url_is_named(program: Program, command):
    program.configure(database_url="notaurl")
    said = refused(program, *command)
    assert "database_url: not a database URL" in said and "(got 'notaurl')" in said


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_an_unreachable_postgresql_is_one_clear_message(program: Program, command):
    port = free_port()  # nothing listens there
    program.configure(database_url=f"postgresql+psycopg://digest:s3cret@127.0.0.1:{port}/digest")
    said = refused(program, *command)
    assert f"database_url: cannot connect to postgresql+psycopg://digest:***@127.0.0.1:{port}/digest" in said
    assert "Connection refused" in said or "connection refused" in said
    assert "s3cret" not in said  # the password is never printed


def test_every_mistake_names_its_key_path_and_the_offending_value(program: Program):
    config = program.config()
    config["public_url"] = "http://digest.example.org"
    config["delivery"] |= {"batch_size": 5000, "backend": "pigeon"}
    config["lists"][0] |= {"id": "World!", "timezone": "Mars/Olympus", "schedule": "every day",
                           "theme": {"brand_color": "red"}}  # fmt: skip
    program.config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    said = refused(program, "status")
    expected = [
        ("public_url: must be an https URL", "(got 'http://digest.example.org')"),
        ("delivery.batch_size: Input should be less than or equal to 1000", "(got 5000)"),
        ("delivery.backend: Input should be 'file', 'smtp', 'sendgrid' or 'console'", "(got 'pigeon')"),
        # the pattern as it is, not read as terminal markup
        ("lists[0].id: String should match pattern '^[a-z0-9][a-z0-9_-]*$'", "(got 'World!')"),
        ("lists[0].timezone: unknown time zone 'Mars/Olympus'", ""),
        ("lists[0].schedule: not a cron expression", "(got 'every day')"),
        ("lists[0].theme.brand_color: String should match pattern '^#[0-9a-fA-F]{6}$'", "(got 'red')"),
    ]
    lines = said.splitlines()
    for start, value in expected:
        assert any(start in line and line.endswith(value) for line in lines), f"{start} {value} not in:\n{said}"
    assert "7 mistake(s)" in said


def test_a_brand_colour_white_text_cannot_be_read_on_is_refused(program: Program):
    config = program.config()
    config["lists"][0]["theme"] = {"brand_color": "#FFCC00"}
    program.config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    said = refused(program, "status")
    assert "lists[0].theme.brand_color: white text on it has a contrast of 1.51:1, below WCAG AA's 4.5:1" in said
    assert "pick a darker colour (got '#FFCC00')" in said and "Traceback" not in said
    config["lists"][0]["theme"] = {"brand_color": "#767676"}  # 4.54:1, just enough
    program.config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    assert program.run("status").returncode == 0


def test_duplicate_source_names_and_list_ids_are_named(program: Program):
    config = program.config()
    config["sources"].append({"name": "wire", "kind": "folder", "path": "samples/articles"})
    config["lists"].append(dict(config["lists"][0]))
    program.config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    said = refused(program, "status")
    assert "sources[2].name: 'wire' is already the name of sources[1]" in said
    assert "lists[1].id: 'world' is already the id of lists[0]" in said
