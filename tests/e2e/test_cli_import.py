"""`digest subscribers import` with the files spreadsheets really write: UTF-16 with tabs, `;` between
fields, Windows-1252 or Latin-1 instead of UTF-8; options to say so when detection cannot; a header
too wide refused before anything is stored; a row's language checked as `subscribers add` checks it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.e2e.conftest import Program, make_program

ROWS = [
    ("email", "name", "language"),
    ("zoe@example.org", "Zoë Ångström", "fr"),
    ("jose@example.org", "José Núñez", "es"),
    ("jurgen@example.org", "Jürgen Groß", "de"),
]


@pytest.fixture
def program(tmp_path: Path) -> Program:
    return make_program(tmp_path / "instance", f"sqlite:///{tmp_path / 'digest.db'}")


def write(program: Program, name: str, rows, *, delimiter: str = ",", encoding: str = "utf-8") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    (program.root / name).write_bytes(buffer.getvalue().encode(encoding))
    return name


def members(program: Program) -> dict[str, tuple[str, str]]:
    """email -> (name, language) of the list's members, as `subscribers export` gives them."""
    exported = program.run("subscribers", "export", "--list", "world").stdout
    return {row["email"]: (row["name"], row["language"]) for row in csv.DictReader(io.StringIO(exported))}


def imported(program: Program, *args: str) -> str:
    done = program.run("subscribers", "import", *args, "--list", "world", "--consent", "e2e test")
    assert "imported (new):       3" in done.stdout, done.stdout + done.stderr
    assert members(program) == {email: (name, lang) for email, name, lang in ROWS[1:]}
    return done.stdout + done.stderr


FILES = [  # (delimiter, encoding, what the import says it read); one instance for all, to keep it quick
    ("\t", "utf-16", "UTF-16, fields separated by tabs"),  # Excel's "Unicode text", with a BOM
    ("\t", "utf-16-le", "UTF-16, fields separated by tabs"),  # the same without its BOM
    (";", "utf-8-sig", "UTF-8, fields separated by ';'"),  # Excel's "CSV UTF-8" where , is the decimal mark
    (";", "cp1252", "Windows-1252, fields separated by ';'"),  # Excel's plain "CSV" on Windows
    ("|", "latin-1", "Windows-1252, fields separated by '|'"),  # its letters are the same there
]


def test_encoding_and_delimiter_are_detected(program: Program):
    expected = {}
    for n, (delimiter, encoding, said) in enumerate(FILES):
        rows = [ROWS[0], *[(f"{n}.{email}", name, lang) for email, name, lang in ROWS[1:]]]
        if encoding == "cp1252":
            rows.append((f"{n}.euro@example.org", "Café € Co", "it"))  # € is a Windows-1252 letter only
        name = write(program, f"export-{n}.csv", rows, delimiter=delimiter, encoding=encoding)
        done = program.run("subscribers", "import", name, "--list", "world", "--consent", "e2e test")
        assert f"read as {said}" in done.stdout and f"imported (new):       {len(rows) - 1}" in done.stdout, (
            encoding, done.stdout, done.stderr)  # fmt: skip
        expected |= {email: (name, lang) for email, name, lang in rows[1:]}
    assert members(program) == expected


def test_encoding_and_delimiter_can_be_given(program: Program):
    # Latin-1 that also decodes as Windows-1252 (no byte tells them apart): say which it is.
    name = write(program, "export.csv", ROWS, delimiter=":", encoding="latin-1")
    said = imported(program, name, "--encoding", "latin-1", "--delimiter", ":")
    assert "read as Latin-1, fields separated by ':'" in said
    tab = write(program, "tabs.txt", ROWS, delimiter="\t")
    assert "separated by tabs" in program.run("subscribers", "import", tab, "--list", "world", "--delimiter",
                                               "tab", "--consent", "e2e").stdout  # fmt: skip


@pytest.mark.parametrize(
    "args, said",
    [
        (("--encoding", "klingon"), "--encoding 'klingon': not an encoding Python knows"),
        (("--delimiter", ";;"), "--delimiter ';;': give one character (or 'tab')"),
    ],
)
def test_wrong_options_are_refused_before_anything_is_stored(program: Program, args, said):
    name = write(program, "export.csv", ROWS, encoding="latin-1")
    done = program.run("subscribers", "import", name, "--list", "world", "--consent", "e2e", *args, check=False)
    assert done.returncode == 1 and said in done.stderr and "Traceback" not in done.stderr
    assert members(program) == {}


def test_rows_not_in_the_encoding_given_are_rejected_and_say_so(program: Program):
    rows = [*ROWS, ("ascii@example.org", "Plain Name", "en")]
    name = write(program, "export.csv", rows, encoding="latin-1")
    done = program.run("subscribers", "import", name, "--list", "world", "--consent", "e2e", "--encoding", "utf-8")
    assert "imported (new):       1" in done.stdout and "rejected:             3" in done.stdout
    report = (program.root / "export.csv.errors.csv").read_text()
    assert "2,(row),is not valid UTF-8 (give the file's encoding with --encoding)" in report
    assert set(members(program)) == {"ascii@example.org"}


def test_a_header_too_wide_is_refused_before_anything_is_stored(program: Program):
    header = ["email", *(f"column {i}" for i in range(10_000))]
    name = write(program, "wide.csv", [header, ["wide@example.org", *["x"] * 10_000]])
    done = program.run("subscribers", "import", name, "--list", "world", "--consent", "e2e", check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "10,000 columns besides email, name, language, timezone and status" in done.stderr
    assert "at most 50" in done.stderr and "nothing was imported" in done.stderr
    assert "rows read" not in done.stdout and members(program) == {}


def test_a_rows_language_is_checked_as_subscribers_add_checks_it(program: Program):
    rows = [*ROWS, ("pt@example.org", "Inês", "pt"), ("gb@example.org", "Gail", "en-GB")]
    name = write(program, "export.csv", rows)
    done = program.run("subscribers", "import", name, "--list", "world", "--consent", "e2e")
    assert "imported (new):       4" in done.stdout and "rejected:             1" in done.stdout
    report = (program.root / "export.csv.errors.csv").read_text()
    assert "5,language,\"is not one of en, fr, de, es, it\",pt" in report
    assert members(program)["gb@example.org"] == ("Gail", "en")
    added = program.run("subscribers", "add", "ines@example.org", "--list", "world", "--language", "pt",
                        "--consent", "e2e", check=False)  # fmt: skip
    assert added.returncode == 1 and "--language 'pt': is not one of en, fr, de, es, it" in added.stderr
