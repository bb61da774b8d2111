"""The quick start: `digest demo` takes the sample instance through the whole path, once."""

from __future__ import annotations

import email
import os
import subprocess
import sys
from email import policy
from pathlib import Path

import lxml.html
import pytest
from sqlalchemy import create_engine, select

from digest.store import tables
from subscribers.tokens import Tokens
from tests.conftest import write_config

SECRET = "test-secret-not-for-production"
CONFIRMED = {"ada@example.org", "grace@example.org", "jean@example.fr", "greta@example.de"}


def run_digest(instance: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DIGEST_SECRET_KEY": SECRET, "DIGEST_CONFIG": str(instance / "config.yaml")}
    return subprocess.run(
        [sys.executable, "-m", "digest", *args], cwd=instance, env=env, capture_output=True, text=True, timeout=120
    )


def messages(outbox: Path) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in sorted(outbox.glob("*.eml"))]


def test_demo_delivers_one_message_per_confirmed_subscriber_then_nothing_more(instance, db_url):
    write_config(instance, database_url=db_url)
    first = run_digest(instance, "demo")
    assert first.returncode == 0, first.stderr
    sent = messages(instance / "outbox")
    assert {str(m["To"].addresses[0].addr_spec) for m in sent} == CONFIRMED
    assert len(sent) == len(CONFIRMED)  # unsubscribed Luis and pending Paola get nothing

    engine = create_engine(db_url)
    with engine.connect() as conn:
        items = conn.execute(select(tables.edition_items.c.title, tables.edition_items.c.lede)).all()
        deliveries = conn.execute(select(tables.deliveries.c.status, tables.deliveries.c.subscriber_id)).all()
    engine.dispose()
    assert len(items) == 8  # four sample articles, the French sample and three feed items
    assert {status for status, _ in deliveries} == {"sent"}

    tokens = Tokens(SECRET)
    for message in sent:
        assert message.get_content_type() == "multipart/alternative"
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "<!doctype html>" in html.lower() and "mj-column" in html  # MJML output
        visible = " ".join(lxml.html.document_fromstring(html).text_content().split())
        plain = " ".join(text.split())
        for title, lede in items:
            assert title in visible and title in plain
            assert lede in visible and lede in plain
        assert plain.count(" min read") == len(items) and visible.count(" min read") == len(items)  # each item's
        unsubscribe = message["List-Unsubscribe"]
        assert unsubscribe.startswith("<https://digest.example.org/u/") and unsubscribe.endswith(">")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        claim = tokens.verify("unsubscribe", unsubscribe[1:-1].rsplit("/", 1)[1])
        assert claim.list_id == "world" and claim.subject_id in {sid for _, sid in deliveries} and claim.nonce
        for header in ("From", "To", "Subject", "Date", "Message-ID"):
            assert message[header]

    second = run_digest(instance, "demo")
    assert second.returncode == 0, second.stderr
    assert "nothing new to send" in second.stdout
    assert len(list((instance / "outbox").glob("*.eml"))) == len(CONFIRMED)


@pytest.mark.parametrize(
    ("feed", "said"),
    [
        ("<html><body><p>Not found</p></body></html>", "source wire failed: not a feed"),
        ("<rss><channel><item><title>cut off", "malformed XML"),
    ],
)
def test_demo_goes_on_when_a_source_is_broken(instance, feed, said):
    (instance / "samples/feed.xml").write_text(feed)
    result = run_digest(instance, "demo")
    assert result.returncode == 0, result.stderr
    assert said in result.stdout
    assert len(messages(instance / "outbox")) == len(CONFIRMED)  # the folder source still went out
    assert "Blinken" in messages(instance / "outbox")[0].get_body(("plain",)).get_content()
