"""CSV export: nothing a spreadsheet would run as a formula; an export imports back unchanged."""

from __future__ import annotations

import csv
import io

from subscribers.csvsafe import neutralize, restore
from subscribers.exporter import export_csv
from subscribers.importer import import_csv
from subscribers.models import Subscriber
from subscribers.search import Query
from subscribers.service import find_subscriber, set_status, upsert_subscriber

DANGEROUS = ['=HYPERLINK("http://evil.example","x")', "+1-555-0100", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def test_formula_cells_are_neutralized(engine):
    with engine.begin() as conn:
        sid, _ = upsert_subscriber(
            conn,
            Subscriber(
                "-dash@example.org", name=DANGEROUS[0], attributes={"phone": DANGEROUS[1], "=key": "-2+3"}
            ),
        )
        set_status(conn, sid, "world", "confirmed", method="admin", wording="t")
    out = io.StringIO()
    with engine.connect() as conn:
        assert export_csv(conn, Query(list_id="world"), out) == 1
    header, row = list(csv.reader(io.StringIO(out.getvalue())))
    for cell in header + row:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert row[0] == "'-dash@example.org" and row[1] == "'" + DANGEROUS[0]


def test_neutralize_and_restore_are_inverse():
    for value in DANGEROUS + ["plain", "'quoted", "", "'", "'=already", "''+twice"]:
        assert restore(neutralize(value)) == value


def test_export_imports_back_to_the_same_subscribers(engine, tmp_path):
    with engine.begin() as conn:
        sid, _ = upsert_subscriber(
            conn, Subscriber("=x@example.org", name="+Plus", language="fr", attributes={"note": "@home"})
        )
        set_status(conn, sid, "world", "confirmed", method="admin", wording="t")
        with (tmp_path / "out.csv").open("w", newline="") as fh:
            export_csv(conn, Query(list_id="world"), fh)
    with engine.connect() as conn:
        report = import_csv(conn, tmp_path / "out.csv", "monde", consent="export of world")
        assert (report.merged, report.rejected) == (1, 0)
        again = find_subscriber(conn, "=x@example.org")
    assert (again.email, again.name, again.attributes) == ("=x@example.org", "+Plus", {"note": "@home"})
