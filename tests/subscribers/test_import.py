"""CSV import: every kind of bad row reported with its row and reason, merging, suppression, consent."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select

from subscribers import tables as t
from subscribers.errors import Invalid, NotFound
from subscribers.importer import Entry, RowError, import_csv, read, targets
from subscribers.models import Subscriber
from subscribers.service import find_subscriber, membership_status, set_status, upsert_subscriber
from subscribers.suppression import suppress

HEADER = b"email,name,language,timezone,status,company\n"
BAD_ROWS = [  # (line, field the report must name, words of the reason)
    (b"not-an-address,Bad,,,,\n", "email", "@-sign"),
    (b",Empty,,,,\n", "email", "is empty"),
    (b"many@example.org,Too,en,UTC,,x,extra\n", "(row)", "has 7 fields but the header has 6"),
    (b"short@example.org,Short\n", "(row)", "has 2 fields but the header has 6"),
    (b"bytes@example.org,Jos\xe9,,,,\n", "(row)", "not valid UTF-8"),
    (b"bell@example.org,Bell\x07,,,,\n", "name", "control characters"),
    (b"long@example.org," + b"n" * 201 + b",,,,\n", "name", "longer than 200"),
    (b"lang@example.org,L,english,,,\n", "language", "is not one of en, fr, de, es, it"),
    (b"pt@example.org,P,pt-BR,,,\n", "language", "is not one of en, fr, de, es, it"),
    (b"tz@example.org,T,,Mars/Olympus,,\n", "timezone", "time zone"),
    (b"maybe@example.org,M,,,maybe,\n", "status", "is not one of"),
    (b"conf@example.org,C,,,confirmed,\n", "status", "consent source"),
    (b"big@example.org,B,,,," + b"c" * 1001 + b"\n", "company", "longer than 1000"),
    (b"=1+2,Formula,,,,\n", "email", "@-sign"),
    (b"huge@example.org," + b"x" * 140_000 + b",,,,\n", "(row)", "not readable as CSV"),
]


def write(tmp_path: Path, body: bytes) -> Path:
    path = tmp_path / "people.csv"
    path.write_bytes(body)
    return path


def run(engine, path: Path, consent: str | None = None, **kw):
    errors = []
    with engine.connect() as conn:
        report = import_csv(conn, path, "world", consent=consent, errors=errors.append, **kw)
    return report, errors


def test_every_kind_of_bad_row_is_reported_and_the_rest_imported(engine, tmp_path):
    with engine.begin() as conn:
        suppress(conn, "gone@example.org", "complaint")
    body = HEADER + b"ok@example.org,Ok,fr-CA,Europe/Paris,,Acme\n"
    body += b"".join(line for line, _, _ in BAD_ROWS)
    body += b"OK@Example.org,Ok Again,,,,\n"  # the same person: merged
    body += b"\n"  # a blank line is no row
    body += b"Gone@example.org,Gone,,,,\n"  # suppressed: skipped
    body += "later@example.org,Läter,,,,\n".encode()  # UTF-8 letters: the stray Latin-1 byte is a bad row
    report, errors = run(engine, write(tmp_path, body))

    assert [(e.row, e.field) for e in errors] == [(3 + i, f) for i, (_, f, _) in enumerate(BAD_ROWS)]
    for error, (_, _, words) in zip(errors, BAD_ROWS, strict=True):
        assert words in error.reason, (error, words)
    assert (report.imported, report.merged, report.suppressed, report.rejected) == (2, 1, 1, len(BAD_ROWS))
    with engine.connect() as conn:
        ok = find_subscriber(conn, "ok@example.org")
        assert (ok.name, ok.language, ok.timezone, ok.attributes) == (
            "Ok Again",
            "fr",
            "Europe/Paris",
            {"company": "Acme"},
        )
        assert membership_status(conn, ok.id, "world") == "pending"  # no consent source stated
        assert find_subscriber(conn, "gone@example.org") is None
        assert conn.execute(select(func.count()).select_from(t.subscribers)).scalar_one() == 2


def test_confirmed_only_with_a_stated_consent_source(engine, tmp_path):
    path = write(tmp_path, b"email\nann@example.org\n")
    report, _ = run(engine, path, consent="signup form 2024")
    assert report.imported == 1
    with engine.connect() as conn:
        sid = find_subscriber(conn, "ann@example.org").id
        assert membership_status(conn, sid, "world") == "confirmed"
        event = conn.execute(select(t.consent_events)).one()
    assert (event.method, event.origin, event.wording) == ("import", "people.csv", "signup form 2024")


def test_an_import_never_brings_back_someone_who_left(engine, tmp_path):
    with engine.begin() as conn:
        sid, _ = upsert_subscriber(conn, Subscriber("left@example.org"))
        set_status(conn, sid, "world", "unsubscribed", method="link")
    report, _ = run(engine, write(tmp_path, b"email,status\nleft@example.org,confirmed\n"), consent="crm")
    assert (report.merged, report.kept_left) == (1, 1)
    with engine.connect() as conn:
        assert membership_status(conn, sid, "world") == "unsubscribed"


def test_duplicates_across_chunks_are_merged_and_counted_exactly(engine, tmp_path):
    lines = [f"r{i}@example.org,R{i}" for i in range(7)] + [
        "R3@EXAMPLE.ORG,x",
        "r6@example.org,y",
        "r0@example.org,z",
    ]
    report, _ = run(
        engine, write(tmp_path, ("email,name\n" + "\n".join(lines) + "\n").encode()), chunk_size=2
    )
    assert (report.imported, report.merged) == (7, 3)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.memberships)).scalar_one() == 7
        assert conn.execute(select(func.count()).select_from(t.consent_events)).scalar_one() == 7
        assert find_subscriber(conn, "r0@example.org").name == "z"


def test_column_mapping_and_header_aliases(engine, tmp_path):
    path = write(tmp_path, b"Adresse,Nom,Lang,Ville\nann@example.org,Ann,it,Roma\n")
    report, _ = run(engine, path, mapping={"Adresse": "email", "Nom": "name"})
    assert report.imported == 1
    with engine.connect() as conn:
        ann = find_subscriber(conn, "ann@example.org")
    assert (ann.name, ann.language, ann.attributes) == ("Ann", "it", {"Ville": "Roma"})


@pytest.mark.parametrize(
    "body, mapping, message",
    [
        (b"name,city\nAnn,Paris\n", None, "no email column"),
        (b"", None, "the file is empty"),
        (b"email,Email\na@example.org,b@example.org\n", None, "repeats column"),
        (b"mail\na@example.org\n", {"Courriel": "email"}, "has no column 'Courriel'"),
        (b"mail\na@example.org\n", {"mail": "phone"}, "'phone' is not one of"),
        (b"a,b\nx@example.org,y@example.org\n", {"a": "email", "b": "email"}, "'a' and 'b' are both mapped"),
        (b"email\na@example.org\n", {"email": "ignore"}, "no email column"),
    ],
)
def test_a_file_that_cannot_be_imported_says_why(engine, tmp_path, body, mapping, message):
    with pytest.raises(Invalid, match=message):
        run(engine, write(tmp_path, body), mapping=mapping)


def test_a_column_mapped_to_an_attribute_or_ignored(engine, tmp_path):
    path = write(tmp_path, b"email,name,Notes,created_at\nann@example.org,Ann,vip,2020-01-01\n")
    assert targets(["email", "name", "Notes", "created_at"], {}) == ["email", "name", "attribute", "ignore"]
    report, _ = run(engine, path, mapping={"name": "attribute", "Notes": "ignore"})
    assert report.imported == 1
    with engine.connect() as conn:
        ann = find_subscriber(conn, "ann@example.org")
    assert (ann.name, ann.attributes) == (None, {"name": "Ann"})


def test_the_preview_reads_the_rows_as_the_import_does(tmp_path):
    body = b"Courriel;Nom;Statut\nann@example.org;Ann;confirmed\n;Nobody;\nbob@example.org;Bob;\n"
    mapping = {"Courriel": "email", "Nom": "name", "Statut": "status"}
    reading = read(write(tmp_path, body), consent=None, mapping=mapping)
    assert reading.columns == [("Courriel", "email"), ("Nom", "name"), ("Statut", "status")]
    ann, nobody, bob = reading.rows
    assert isinstance(ann, RowError) and (ann.row, ann.field) == (2, "status")  # confirmed needs a consent
    assert isinstance(nobody, RowError) and (nobody.row, nobody.reason) == (3, "is empty")
    assert isinstance(bob, Entry) and (bob.row, bob.email, bob.status) == (4, "bob@example.org", "pending")


def test_unknown_list_is_refused(engine, tmp_path):
    with engine.connect() as conn, pytest.raises(NotFound, match="no list with id 'nope'"):
        import_csv(conn, write(tmp_path, b"email\na@example.org\n"), "nope", consent=None)


def test_report_rows_match_spreadsheet_rows(engine, tmp_path):
    """Row numbers count the header as row 1, as a spreadsheet shows them."""
    path = write(tmp_path, b"email\nok@example.org\nbroken\n")
    _, errors = run(engine, path)
    rows = list(csv.reader(path.open()))
    assert [rows[e.row - 1][0] for e in errors] == ["broken"]


@pytest.mark.parametrize(
    "raw, encoding",
    [
        ("email,name\nzoe@example.org,Zoë\n".encode("utf-16"), "utf-16"),
        ("email,name\nzoe@example.org,Zoë\n".encode("utf-16-be"), "utf-16-be"),
        ("email,name\nzoe@example.org,Zoë\n".encode("utf-32"), "utf-32"),
        ("email,name\nzoe@example.org,Zoë\n".encode("utf-8-sig"), "utf-8-sig"),
        ("email,name\nzoe@example.org,Zoë\n".encode(), "utf-8"),
        (b"email,name\nann@example.org,Ann\n", "utf-8"),
        ("email,name\nzoe@example.org,Zoë\n".encode() + b"bad@example.org,Jos\xe9\n", "utf-8"),  # a bad row in UTF-8
        ("email,name\neuro@example.org,Café €\n".encode("cp1252"), "cp1252"),
        (b"email,name\nx@example.org,\x81\xe9\n", "latin-1"),  # 0x81 is no Windows-1252 letter
    ],
)
def test_the_encoding_is_detected(tmp_path, raw, encoding):
    from subscribers.importer import detect_encoding

    assert detect_encoding(write(tmp_path, raw)) == encoding


@pytest.mark.parametrize(
    "sample, delimiter",
    [
        ("email;name\na@example.org;A\n", ";"),
        ('email,name\na@example.org,"Doe; Jane"\n', ","),
        ("email\ta\tb\nx@example.org\t1\t2\n", "\t"),
        ("email\na@example.org\n", ","),  # one column: nothing to tell
        ("email|name|city\na@example.org|A|Lyon, France\n", "|"),
    ],
)
def test_the_delimiter_is_sniffed(sample, delimiter):
    from subscribers.importer import detect_delimiter

    assert detect_delimiter(sample) == delimiter
