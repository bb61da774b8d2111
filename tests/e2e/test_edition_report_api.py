"""The edition report through the API of a running `digest serve`, as an integration reads it with a
token made by `digest tokens create`: an edition sent by `digest send` (the file backend) to four
readers, what they did seeded into delivery_events as the click redirect, the open pixel and the
provider's webhook record it (one row per event), then GET /api/v1/editions/{id}/report and
/api/v1/lists/world/trend give its figures, rates, stories and hours; a token without the scope
and an unknown edition or list are refused as problem details."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import create_engine, text

READERS = ["ann@example.org", "bob@example.org", "cy@example.org", "dee@example.org"]


def _token(program, *scopes: str) -> dict[str, str]:  # noqa: ANN001
    made = program.run("tokens", "create", "dashboard", *[a for s in scopes for a in ("--scope", s)]).stdout
    secret = re.search(r"^(dgt_\S+)$", made, re.M)
    assert secret, made
    return {"Authorization": f"Bearer {secret.group(1)}"}


def _seed(program, edition_id: int) -> list[int]:  # noqa: ANN001
    """Events of the edition's readers, rows as the tracking writes them; the edition's item ids."""
    (start,) = program.query("SELECT started_at FROM edition_sends WHERE edition_id = :e", e=edition_id)[0]
    if isinstance(start, str):  # SQLite keeps the time as text, in UTC
        start = datetime.fromisoformat(start).replace(tzinfo=UTC)
    d = dict(program.query("SELECT email, id FROM deliveries WHERE edition_id = :e", e=edition_id))
    items = [i for (i,) in program.query("SELECT id FROM edition_items WHERE edition_id = :e ORDER BY position",
                                         e=edition_id)]  # fmt: skip
    rows = [  # who, event, minutes after the start, item, machine
        ("ann", "opened", 5, None, False), ("ann", "clicked", 6, items[1], False),
        ("bob", "opened", 0, None, True), ("bob", "clicked", 0, items[0], True),  # a scanner, at once
        ("cy", "clicked", 75, items[1], False), ("cy", "clicked", 76, items[1], False),
        ("dee", "complained", 200, None, False),
    ]
    engine = create_engine(program.db_url)
    sqlite = engine.dialect.name == "sqlite"
    try:
        with engine.begin() as conn:
            for n, (who, kind, minutes, item, machine) in enumerate(rows):
                at = start + timedelta(minutes=minutes)
                conn.execute(
                    text("INSERT INTO delivery_events (event_id, provider, event, edition_id, delivery_id, at, "
                         "item_id, url, machine) VALUES (:id, 'digest', :kind, :e, :d, :at, :item, :url, :machine)"),
                    {"id": f"e2e-{n}", "kind": kind, "e": edition_id, "d": d[f"{who}@example.org"],
                     "at": at.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else at, "item": item,
                     "url": f"https://news.example.org/{item}" if item else None, "machine": machine},
                )  # fmt: skip
    finally:
        engine.dispose()
    return items


def test_an_editions_report_and_its_lists_trend_through_the_api(program):
    program.add_members(READERS)
    edition_id = program.approved_edition()
    program.run("send", str(edition_id))
    assert program.delivery_counts(edition_id) == {"sent": 4}
    items = _seed(program, edition_id)
    reader = _token(program, "events:read")
    other = _token(program, "lists:read")
    with program.serve() as served:
        got = served.get(f"/api/v1/editions/{edition_id}/report", headers=reader)
        assert got.status_code == 200, got.text
        body = got.json()
        f = body["figures"]
        assert (body["edition_id"], body["list_id"], body["status"]) == (edition_id, "world", "sent")
        assert f["sent"] == {"count": 4, "rate": None, "of": None}
        assert f["delivered"] == {"count": 4, "rate": 1.0, "of": "sent"}
        assert f["bounced"] == {"count": 0, "rate": 0.0, "of": "sent"}
        assert f["complaints"] == {"count": 1, "rate": 0.25, "of": "delivered"}
        assert f["opens"] == {"count": 2, "rate": 0.5, "of": "delivered"}  # ann, and cy by her clicks
        assert f["machine_opens"] == {"count": 1, "rate": 0.25, "of": "delivered"}
        assert f["clicks"] == {"count": 2, "rate": 0.5, "of": "delivered"} and f["total_clicks"] == 3
        assert f["machine_clicks"]["count"] == 1 and f["total_machine_clicks"] == 1
        top = body["stories"][0]
        assert (top["rank"], top["item_id"], top["clicks"]) == (1, items[1], {"clicks": 3, "unique": 2, "machine": 0,
                                                                              "unique_machine": 0})  # fmt: skip
        assert top["links"] == [{"url": f"https://news.example.org/{items[1]}", "clicks": top["clicks"]}]
        assert body["stories"][1]["item_id"] == items[0] and body["stories"][1]["clicks"]["machine"] == 1
        hours = body["timeline"]
        assert len(hours) == 48 and (hours[0]["opens"], hours[0]["clicks"], hours[0]["machine"]) == (1, 1, 2)
        assert (hours[1]["opens"], hours[1]["clicks"]) == (0, 2)
        assert sum(h["opens"] + h["clicks"] + h["machine"] for h in hours) == 6  # the complaint is no hour's

        trend = served.get("/api/v1/lists/world/trend", headers=reader, params={"last": 3})
        assert trend.status_code == 200, trend.text
        (row,) = trend.json()["editions"]
        assert row["edition_id"] == edition_id and row["figures"] == f

        refused = served.get(f"/api/v1/editions/{edition_id}/report", headers=other)
        assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"
        missing = served.get("/api/v1/editions/9999/report", headers=reader)
        assert missing.status_code == 404 and "no edition #9999" in missing.json()["detail"]
        unknown = served.get("/api/v1/lists/nowhere/trend", headers=reader)
        assert unknown.status_code == 404 and "no list with id 'nowhere'" in unknown.json()["detail"]
        wrong = served.get("/api/v1/lists/world/trend", headers=reader, params={"last": 0})
        assert wrong.status_code == 422
        assert httpx.get(f"{served.url}/api/v1/lists/world/trend", timeout=10).status_code == 401
