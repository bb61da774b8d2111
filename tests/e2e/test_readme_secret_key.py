"""The README says exactly which commands need DIGEST_SECRET_KEY: each one it names refuses to run
without it (with a message, exit 1, no traceback), and every other command runs without it."""

from __future__ import annotations

import re
from pathlib import Path

from tests import ROOT
from tests.e2e.conftest import Program, make_program

NEED_THE_KEY = {  # the README's words -> a run of that command
    "digest send": ("send", "1"),
    "digest editions resume": ("editions", "resume", "1"),
    "digest serve": ("serve",),
    "digest subscribers add": ("subscribers", "add", "new@example.org", "--list", "world"),
}
RUN_WITHOUT_IT = [  # one of each kind of command (a listing, a curation, a lifecycle step, an import...)
    ("db", "upgrade"),
    ("subscribers", "import", "samples/subscribers.csv", "--list", "world", "--consent", "e2e"),
    ("subscribers", "add", "added@example.org", "--list", "world", "--consent", "e2e"),
    ("ingest",),
    ("trim", "samples/articles/en-harbour-wind-farm.md"),
    ("editions", "build", "world"),
    ("editions", "show", "1"),
    ("editions", "pin", "1", "2"),
    ("preview", "1"),
    ("editions", "approve", "1"),
    ("editions", "schedule", "1", "--at", "2030-01-01T07:00"),
    ("status",),
    ("lists", "create", "imports", "--name", "Imports", "--from-address", "a@example.org", "--from-name", "A"),
    ("lists", "show", "world"),
    ("subscribers", "show", "ada@example.org"),
    ("subscribers", "export", "--list", "world"),
    ("subscribers", "erase", "jean@example.fr", "--yes"),
    ("editions", "cancel", "1"),
    ("demo",),  # signs with a key of its own, made in var/
]


def readme_names() -> set[str]:
    """The commands of the README's sentence on which commands need the key."""
    text = " ".join((ROOT / "README.md").read_text().split())
    sentence = re.search(r"[^.]*need `DIGEST_SECRET_KEY`:[^.]*\.", text)
    assert sentence, "the README no longer says which commands need DIGEST_SECRET_KEY"
    return set(re.findall(r"`(digest [a-z ]+?)`", sentence.group()))


def test_the_readme_names_exactly_the_commands_that_need_the_key(tmp_path: Path):
    assert readme_names() == set(NEED_THE_KEY)
    program = make_program(tmp_path / "instance", f"sqlite:///{tmp_path / 'digest.db'}")
    unsigned = Program(program.root, program.db_url, {k: v for k, v in program.env.items() if k != "DIGEST_SECRET_KEY"})
    for args in RUN_WITHOUT_IT:
        unsigned.run(*args)  # fails the test, with its output, if it exits non-zero
    for args in NEED_THE_KEY.values():
        done = unsigned.run(*args, check=False)
        assert done.returncode == 1, (args, done.stdout, done.stderr)
        assert "DIGEST_SECRET_KEY" in done.stderr and "Traceback" not in done.stderr, (args, done.stderr)
    assert "new@example.org" not in unsigned.run("subscribers", "export", "--list", "world").stdout  # nothing stored
