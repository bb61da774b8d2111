"""Privacy: everything held about one address as JSON; erasure that keeps only a suppression hash."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from subscribers import tables as t
from subscribers.addresses import address_hash, normalize
from subscribers.importer import import_csv
from subscribers.models import MailingList, Subscriber
from subscribers.optin import Outcome, request_subscription
from subscribers.privacy import erase, export_address
from subscribers.service import recipients, set_status, upsert_subscriber


def add(engine, email: str, **fields) -> int:
    with engine.begin() as conn:
        sid, _ = upsert_subscriber(conn, Subscriber(email, **fields))
        set_status(
            conn, sid, "world", "pending", method="form", origin="192.0.2.7", wording="subscribe-v1/en"
        )
        set_status(conn, sid, "world", "confirmed", method="link", origin="192.0.2.7")
    return sid


def test_export_holds_details_memberships_and_consent_records(engine):
    add(engine, "Ann@Example.org", name="Ann", timezone="Europe/Rome", attributes={"city": "Roma"})
    with engine.connect() as conn:
        data = export_address(conn, "ann@EXAMPLE.org")
    json.dumps(data)  # JSON-ready
    assert data["subscriber"]["name"] == "Ann" and data["subscriber"]["attributes"] == {"city": "Roma"}
    assert data["subscriber"]["created_at"].endswith("+00:00")
    assert data["subscriber"]["tracking"] is True  # until they opt out on their preferences page
    assert [(m["list"], m["status"]) for m in data["memberships"]] == [("world", "confirmed")]
    assert [(e["status"], e["method"], e["origin"], e["wording"]) for e in data["consent_events"]] == [
        ("pending", "form", "192.0.2.7", "subscribe-v1/en"),
        ("confirmed", "link", "192.0.2.7", None),
    ]
    assert data["suppression"] is None


def test_erase_deletes_personal_data_and_keeps_only_the_hash(engine, tmp_path):
    sid = add(engine, "ann@example.org", name="Ann")
    add(engine, "bob@example.org")
    with engine.begin() as conn:
        assert erase(conn, "ANN@example.org", on_erase=None) == (sid, None)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.subscribers)).scalar_one() == 1
        assert (
            conn.execute(
                select(func.count())
                .select_from(t.consent_events)
                .where(t.consent_events.c.subscriber_id == sid)
            ).scalar_one()
            == 0
        )
        [row] = conn.execute(select(t.suppressions)).all()
        assert (row.email_hash, row.reason) == (address_hash(normalize("ann@example.org")), "erased")
        assert "ann" not in json.dumps([list(r) for r in conn.execute(select(t.suppressions))], default=str)
        assert [r.email for r in recipients(conn, "world")] == ["bob@example.org"]
        data = export_address(conn, "ann@example.org")
    assert data["subscriber"] is None and data["suppression"]["reason"] == "erased"

    csv_path = tmp_path / "again.csv"
    csv_path.write_text("email,name\nAnn@Example.org,Ann\n")
    with engine.connect() as conn:
        report = import_csv(conn, csv_path, "world", consent="old crm")
    assert (report.imported, report.suppressed) == (0, 1)
    with engine.begin() as conn:
        lst = MailingList(id="world", name="The World")
        result = request_subscription(
            conn, lst, Subscriber("ann@example.org"), method="form", origin=None, wording=None
        )
    assert result.outcome is Outcome.SUPPRESSED


def test_erasing_an_unknown_address_still_blocks_it(engine):
    with engine.begin() as conn:
        assert erase(conn, "never@example.org", on_erase=None) == (None, None)
    with engine.begin() as conn:
        lst = MailingList(id="world", name="The World")
        result = request_subscription(
            conn, lst, Subscriber("never@example.org"), method="form", origin=None, wording=None
        )
    assert result.outcome is Outcome.SUPPRESSED


def test_recipients_are_confirmed_and_not_suppressed(engine):
    from subscribers.suppression import suppress

    add(engine, "a@example.org")
    add(engine, "b@example.org")
    with engine.begin() as conn:
        sid, _ = upsert_subscriber(conn, Subscriber("c@example.org"))
        set_status(conn, sid, "world", "pending", method="form")
        suppress(conn, "B@example.org", "bounce")
    with engine.connect() as conn:
        assert [r.email for r in recipients(conn, "world", batch=1)] == ["a@example.org"]
