"""The editor's commands, through the installed `digest`: a change that names nothing real is refused
and recorded nowhere; `editions show` shows what the readers and the editors will get; whatever came
from outside (titles, names, subjects) is printed as it is, never read as terminal markup."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.conftest import Program, make_program

# Rich markup in a title: unescaped, the first becomes a hyperlink and the second crashes the printer.
MARKUP_TITLE = "Prices [link=https://evil.example]fall[/link] as the markets [/] reopen"


@pytest.fixture
def sqlite_program(tmp_path: Path) -> Program:
    """The demo instance on SQLite: these promises do not depend on the database."""
    return make_program(tmp_path / "instance", f"sqlite:///{tmp_path / 'digest.db'}")


def built(program: Program) -> list[int]:
    """Ingest the samples, build edition #1 of `world`; returns its article ids in order."""
    program.run("ingest")
    program.run("editions", "build", "world")
    return [int(n) for n in re.findall(r"article #(\d+)", program.run("editions", "show", "1").stdout)]


def test_pin_and_quote_of_what_does_not_exist_fail_and_record_nothing(sqlite_program: Program):
    program = sqlite_program  # all or nothing on both databases: test_editions
    items = built(program)
    before = program.run("editions", "show", "1").stdout

    pin = program.run("editions", "pin", "1", "999", check=False)
    assert pin.returncode == 1
    assert "no article #999" in pin.stderr and "Traceback" not in pin.stderr

    quote = program.run("editions", "edit", "1", "--quote", str(items[0]), "57", check=False)
    assert quote.returncode == 1
    assert f"article #{items[0]} has no quotation 57" in quote.stderr and "Traceback" not in quote.stderr

    after = program.run("editions", "show", "1").stdout
    assert after == before  # no change logged, no item moved
    assert "pin" not in after.split("changes:")[1] and "quote" not in after.split("changes:")[1]

    # What does exist still works: the first quotation, and none.
    assert program.run("editions", "edit", "1", "--quote", str(items[0]), "0").returncode == 0
    assert program.run("editions", "edit", "1", "--quote", str(items[0]), "none").returncode == 0


def test_show_prints_the_intro(sqlite_program: Program):
    built(sqlite_program)
    sqlite_program.run("editions", "edit", "1", "--intro", "A calm week, with one exception.")
    shown = sqlite_program.run("editions", "show", "1").stdout
    assert "A calm week, with one exception." in shown.split("\n1. ")[0]  # above the items


def test_show_prints_a_working_review_link_for_a_reviewed_list(sqlite_program: Program):
    program = sqlite_program
    lists = program.config()["lists"]
    lists[0]["review"] = {"editors": ["editor@example.org"], "deadline_hours": 4}
    program.configure(lists=lists)
    built(program)
    shown = program.run("editions", "show", "1").stdout
    link = re.search(r"review link: (https://digest\.example\.org(/review/\S+))", shown)
    assert link, shown
    with program.serve() as served:
        page = served.get(link.group(2))
    assert page.status_code == 200 and "Blinken" in page.text

    # Without the signing key the link cannot be made: show says so and still shows the edition.
    env = {k: v for k, v in program.env.items() if k != "DIGEST_SECRET_KEY"}
    unsigned = Program(program.root, program.db_url, env).run("editions", "show", "1").stdout
    assert "review link: needs DIGEST_SECRET_KEY" in unsigned and "article #" in unsigned


def test_titles_names_and_subjects_are_printed_as_they_are(sqlite_program: Program):
    program = sqlite_program
    published = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    (program.root / "samples" / "articles" / "markup.md").write_text(
        f'---\ntitle: "{MARKUP_TITLE}"\npublished: {published}\n---\n\n'
        "Stock markets reopened on Monday after a two-day closure, and prices fell in the first hour "
        "of trading as investors weighed the week's news from the central bank.\n"
    )
    program.env["DIGEST_EDITOR"] = "[red]ana[/red] [/]"
    items = built(program)
    shown = program.run("editions", "show", "1").stdout
    assert MARKUP_TITLE in shown

    subject = "Our week: [link=https://evil.example]markets[/link] [/]"
    program.run("editions", "edit", "1", "--subject", subject)
    pinned = program.run("editions", "pin", "1", str(items[0]))
    assert MARKUP_TITLE in pinned.stdout

    listed = program.run("editions", "list").stdout
    assert subject in listed
    shown = program.run("editions", "show", "1").stdout
    assert f"#1 {subject}" in shown and MARKUP_TITLE in shown
    assert "[red]ana[/red] [/]: pin" in shown
    assert "\x1b]8;" not in shown + listed  # no terminal hyperlink was made
    assert subject in program.run("status").stdout


def test_a_change_through_the_cli_leaves_one_audit_entry_with_who_and_what(sqlite_program: Program):
    program = sqlite_program
    items = built(program)
    env = {**program.env, "DIGEST_EDITOR": "Ada at the desk"}
    Program(program.root, program.db_url, env).run("editions", "edit", "1", "--lede", str(items[0]), "A new lede.")
    rows = program.query(
        "SELECT actor, user_id, action, object_type, object_id, details FROM audit_log WHERE action LIKE 'edition.%'"
        " AND action != 'edition.build' AND action != 'edition.rebuild' ORDER BY id"
    )
    assert len(rows) == 1, rows
    actor, user_id, action, object_type, object_id, details = rows[0]
    assert (actor, user_id, action, object_type, object_id) == ("Ada at the desk", None, "edition.lede", "edition", "1")
    details = details if isinstance(details, dict) else json.loads(details)
    assert details["article_id"] == items[0] and details["after"] == "A new lede."
    assert details["before"] and details["before"] != "A new lede."


def test_a_quote_edited_by_hand_blocks_approval_until_marked_as_a_paraphrase(sqlite_program: Program):
    program = sqlite_program
    built(program)
    shown = program.run("editions", "show", "1").stdout
    item = re.search(r"\n(\d+)\. .*article #(\d+),.*\n.*\n   “(.+)” — ", shown)
    assert item, shown
    position, article, quote = item.groups()
    edited = quote.replace(quote.split()[0], "Allegedly", 1)
    program.run("editions", "edit", "1", "--quote-text", article, edited, "--speaker", "A spokesperson")

    refused = program.run("editions", "approve", "1", check=False)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    message = " ".join(refused.stderr.split())
    assert f"item {position} (“" in message and f"the quote “{edited}” does not appear word for word" in message

    marked = program.run("editions", "paraphrase", "1", article)
    assert "paraphrase recorded" in marked.stdout
    assert "(a paraphrase)" in program.run("editions", "show", "1").stdout
    assert "approved" in program.run("editions", "approve", "1").stdout


def test_check_names_each_failed_check_next_to_its_item_and_exits_1(sqlite_program: Program):
    program = sqlite_program
    items = built(program)
    program.run("editions", "edit", "1", "--subject", "Rain and wind", "--lede", str(items[1]), "TK: the lede to come.")
    checked = program.run("editions", "check", "1", check=False)
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    lines = checked.stdout.splitlines()
    assert "item 2 · placeholder: item 2: its lede still holds the placeholder “TK”" in lines
    assert not [line for line in lines if "subject" in line]  # the subject is short enough now
    # the demo's articles link to hosts that do not exist: each is named by its item
    assert all(re.match(r"item \d+ · link: the link https://\S+ does not work: ", line) for line in lines[:-1]
               if "· link" in line)
    assert lines[-1].startswith("edition #1: ") and lines[-1].endswith("check(s) failed")


def test_search_finds_stored_articles_and_its_ids_are_what_pin_adds(sqlite_program: Program):
    program = sqlite_program
    built(program)
    found = program.run("editions", "search", "offshore wind", "--list", "world").stdout.splitlines()
    assert len(found) == 1 and "Harbour town votes to host the country's largest offshore wind base" in found[0]
    article = re.match(r"#(\d+) ", found[0]).group(1)
    pinned = program.run("editions", "pin", "1", article).stdout
    assert f"#{article}" in pinned.splitlines()[1]  # pinned first
    assert program.run("editions", "search", "zebrafish").stdout.strip() == "no stored article matches 'zebrafish'"
    empty = program.run("editions", "search", " ? ", check=False)
    assert empty.returncode == 1 and "nothing to search for" in empty.stderr and "Traceback" not in empty.stderr
