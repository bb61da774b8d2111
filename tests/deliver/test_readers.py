"""digest.deliver.readers on SQLite and PostgreSQL: a tracked copy for the readers who let us and a
plain one for the others; a tracked link leads only where its edition linked; each hit recorded as
a delivery event, a machine's apart from a person's."""

from __future__ import annotations

import email
import re
from datetime import UTC, datetime, timedelta
from email.policy import default
from pathlib import Path

import pytest
from sqlalchemy import select, update

from digest.config import Settings, TrackingSettings
from digest.deliver.backends.file import FileBackend
from digest.deliver.readers import CLICKED, OPENED, Hit, Readers, machine_rule
from digest.deliver.send import send_edition
from digest.links import Links
from digest.store.tables import deliveries, delivery_events, edition_items
from subscribers import tables as sub
from subscribers.tokens import Tokens
from tests.servers.support import add_edition, add_members, make_links, make_settings

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def tracked_settings(**tracking) -> Settings:
    settings = make_settings()
    lst = settings.lists[0].model_copy(update={"tracking": TrackingSettings(**tracking)})
    return settings.model_copy(update={"lists": [lst]})


def sent_mail(engine, tmp_path: Path, settings: Settings, links: Links) -> tuple[int, dict[str, email.message.EmailMessage]]:
    edition_id = add_edition(engine, settings)
    add_members(engine, ["ann@example.net", "bob@example.net"])
    with engine.begin() as conn:  # Bob opted out of tracking on his preferences page
        conn.execute(update(sub.subscribers).where(sub.subscribers.c.email == "bob@example.net").values(tracking=False))
    send_edition(engine, settings, edition_id, FileBackend(tmp_path / "outbox"), links)
    mails = {}
    for path in (tmp_path / "outbox").glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=default)
        mails[message["To"].addresses[0].addr_spec] = message
    return edition_id, mails


def parts(message) -> tuple[str, str]:
    return message.get_body(("html",)).get_content(), message.get_body(("plain",)).get_content()


def items_of(engine, edition_id: int) -> list[tuple[int, str]]:
    with engine.connect() as conn:
        return list(conn.execute(select(edition_items.c.id, edition_items.c.url)
                                 .where(edition_items.c.edition_id == edition_id).order_by(edition_items.c.position)))  # fmt: skip


def events(engine) -> list:
    with engine.connect() as conn:
        return list(conn.execute(select(delivery_events).where(delivery_events.c.provider == "digest")
                                 .order_by(delivery_events.c.at)))  # fmt: skip


def delivery_of(engine, address: str) -> int:
    with engine.connect() as conn:
        return conn.execute(select(deliveries.c.id).where(deliveries.c.email == address)).scalar_one()


TRACKED = re.compile(r"https://digest\.example\.org/c/([\w.-]+)\?r=([\w.-]+)")
PIXEL = re.compile(r"https://digest\.example\.org/o/([\w.-]+)\.gif")


def test_the_reader_who_lets_us_gets_tracked_links_and_a_pixel_the_one_who_opted_out_neither(engine, tmp_path):
    settings, links = tracked_settings(clicks=True, opens=True), make_links()
    edition_id, mails = sent_mail(engine, tmp_path, settings, links)
    stories = [url for _, url in items_of(engine, edition_id)]
    ann_html, ann_text = parts(mails["ann@example.net"])
    bob_html, bob_text = parts(mails["bob@example.net"])
    for part in (ann_html, ann_text):
        assert len(TRACKED.findall(part)) >= len(stories)
        assert not any(url in part for url in stories)  # no story link left untracked
    assert len(PIXEL.findall(ann_html)) == 1 and not PIXEL.findall(ann_text)
    for part in (bob_html, bob_text):
        assert "/c/" not in part and "/o/" not in part and "?r=" not in part
        assert all(url in part for url in stories)
    # one reader token per copy: every link and the pixel of Ann's mail carry the same
    assert {r for _, r in TRACKED.findall(ann_html + ann_text)} == set(PIXEL.findall(ann_html))


def test_opens_only_and_clicks_only_carry_only_what_is_on(engine, tmp_path):
    edition_id, mails = sent_mail(engine, tmp_path, tracked_settings(opens=True), make_links())
    html, text = parts(mails["ann@example.net"])
    assert PIXEL.findall(html) and "/c/" not in html + text
    assert all(url in html for _, url in items_of(engine, edition_id))


def test_a_tracked_link_redirects_to_its_story_and_records_the_click(engine, tmp_path):
    settings, links = tracked_settings(clicks=True, opens=True, machine_seconds=0), make_links()
    edition_id, mails = sent_mail(engine, tmp_path, settings, links)
    readers = Readers(engine, settings, links.tokens)
    _, text = parts(mails["ann@example.net"])
    link, reader = TRACKED.findall(text)[1]  # the second story
    item_id, url = items_of(engine, edition_id)[1]
    assert readers.click(link, reader, head=False, agent=BROWSER) == url
    [pixel] = PIXEL.findall(parts(mails["ann@example.net"])[0])
    readers.opened(pixel, head=False, agent=BROWSER)
    assert readers.flush()
    clicked, opened = sorted(events(engine), key=lambda e: e.event)
    ann = delivery_of(engine, "ann@example.net")
    assert (clicked.event, clicked.edition_id, clicked.delivery_id, clicked.item_id, clicked.url, clicked.machine) == (
        CLICKED, edition_id, ann, item_id, url, False)  # fmt: skip
    assert (opened.event, opened.delivery_id, opened.item_id, opened.machine) == (OPENED, ann, None, False)
    # a genuine link with a reader token that is not: the story still, and no reader
    assert readers.click(link, reader[:-2] + "xx", head=False, agent=BROWSER) == url
    assert readers.click(link, None, head=False, agent=BROWSER) == url
    assert readers.flush()
    assert [e.delivery_id for e in events(engine) if e.event == CLICKED][1:] == [None, None]
    readers.stop()


def test_a_link_token_that_is_not_genuine_leads_nowhere_off_the_site(engine, tmp_path):
    settings, links = tracked_settings(clicks=True), make_links()
    edition_id, mails = sent_mail(engine, tmp_path, settings, links)
    other = add_edition(engine, settings)  # another edition, with items of its own
    readers = Readers(engine, settings, links.tokens)
    _, text = parts(mails["ann@example.net"])
    link, reader = TRACKED.findall(text)[0]
    foreign_item = items_of(engine, other)[0][0]
    unsubscribe = re.search(r"/u/([\w.-]+)", text).group(1)
    for token in (
        Tokens("another-instance-key").sign_ids("click", edition_id, items_of(engine, edition_id)[0][0]),
        unsubscribe,  # another purpose, signed with the right key
        reader,  # a reader token is not a link token
        link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb"),  # tampered
        "//evil.example",
        "https://evil.example/",
        "",
    ):
        assert readers.click(token, reader, head=False, agent=BROWSER) is None, token
    # genuine, but naming another edition's item: that edition's archive page, on this site
    crossed = links.tokens.sign_ids("click", edition_id, foreign_item)
    assert readers.click(crossed, reader, head=False, agent=BROWSER) == f"/archive/{edition_id}"
    assert readers.flush()
    assert events(engine) == []  # none of them counted
    readers.opened("garbage", head=False, agent=BROWSER)
    readers.opened(link, head=False, agent=BROWSER)  # a link token is not a reader token
    assert readers.flush() and events(engine) == []


SENT = datetime(2026, 12, 4, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("seconds", "head", "agent", "rule"),
    [
        (3, False, BROWSER, "soon after sent"),  # a scanner at the receiving server, or MPP at delivery
        (60, False, BROWSER, None),
        (60, True, BROWSER, "head request"),
        (60, False, "Mozilla/5.0", "privacy proxy"),  # Apple Mail Privacy Protection's proxy
        (60, False, "Mozilla/5.0 (compatible; Barracuda Sentinel (EE))", "scanner agent"),
        (60, False, "python-requests/2.32", "scanner agent"),
        (60, False, "Microsoft Office Existence Discovery", "scanner agent"),
        (60, False, "Mozilla/4.0 (compatible; ms-office; MSOffice 16)", None),  # Outlook showing the mail
        (60, False, "", "scanner agent"),
        (60, False, "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)", None),
    ],
)
def test_machine_rules(seconds, head, agent, rule):
    hit = Hit(CLICKED, 1, 1, 1, "https://news.example.org/1", head, agent, SENT + timedelta(seconds=seconds))
    assert machine_rule(hit, SENT, 10) == rule


def test_a_pixel_fetched_right_at_delivery_is_a_privacy_proxys_and_one_without_a_sent_row_is_judged_by_the_rest():
    at_delivery = Hit(OPENED, 1, 1, agent=BROWSER, at=SENT + timedelta(seconds=1))
    assert machine_rule(at_delivery, SENT, 10) == "soon after sent"  # Apple MPP fetches as the mail arrives
    assert machine_rule(at_delivery, None, 10) is None  # no sent time known (a row failed since): a person
    assert machine_rule(Hit(OPENED, 1, 1, agent=BROWSER, at=SENT - timedelta(seconds=5)), SENT, 10) is None


def test_clicks_soon_after_sending_and_bursts_are_counted_as_a_machines(engine, tmp_path):
    settings, links = tracked_settings(clicks=True, machine_seconds=10), make_links()
    edition_id, _ = sent_mail(engine, tmp_path, settings, links)
    readers = Readers(engine, settings, links.tokens)
    ann, bob = delivery_of(engine, "ann@example.net"), delivery_of(engine, "bob@example.net")
    with engine.connect() as conn:
        sent_at = conn.execute(select(deliveries.c.updated_at).where(deliveries.c.id == ann)).scalar_one()
    items = items_of(engine, edition_id)

    def hit(delivery: int, index: int, seconds: float) -> Hit:
        item_id, url = items[index]
        return Hit(CLICKED, edition_id, delivery, item_id, url, agent=BROWSER, at=sent_at + timedelta(seconds=seconds))

    readers.record([hit(ann, 0, 2), hit(ann, 1, 2.2)])  # a scanner following the links as the mail lands
    readers.record([hit(bob, 0, 120)])  # a person, two minutes later
    readers.record([hit(bob, 1, 300), hit(bob, 2, 300.4)])
    readers.record([hit(bob, 0, 300.6)])  # three stories of one message within a second: a burst
    found = {(e.delivery_id, e.at): (e.machine, e.reason) for e in events(engine)}
    at = lambda s: sent_at + timedelta(seconds=s)  # noqa: E731
    assert found == {
        (ann, at(2)): (True, "machine: soon after sent"),
        (ann, at(2.2)): (True, "machine: soon after sent"),
        (bob, at(120)): (False, None),
        (bob, at(300)): (True, "machine: burst"),
        (bob, at(300.4)): (True, "machine: burst"),
        (bob, at(300.6)): (True, "machine: burst"),
    }


def test_a_click_is_answered_even_when_recording_it_fails(engine, tmp_path, caplog, monkeypatch):
    settings, links = tracked_settings(clicks=True), make_links()
    edition_id, mails = sent_mail(engine, tmp_path, settings, links)
    readers = Readers(engine, settings, links.tokens)
    link, reader = TRACKED.findall(parts(mails["ann@example.net"])[1])[0]

    def broken(hits):
        raise RuntimeError("the database is away")

    monkeypatch.setattr(readers, "record", broken)
    assert readers.click(link, reader, head=False, agent=BROWSER) == items_of(engine, edition_id)[0][1]
    assert readers.flush()
    assert "1 could not be recorded" in caplog.text and events(engine) == []


def test_a_hit_that_cannot_be_recorded_loses_only_itself(engine, tmp_path, caplog):
    settings, links = tracked_settings(clicks=True), make_links()
    edition_id, _ = sent_mail(engine, tmp_path, settings, links)
    readers = Readers(engine, settings, links.tokens)
    item_id, url = items_of(engine, edition_id)[0]
    erased = Hit(CLICKED, edition_id, 10_000_000, item_id, url, agent=BROWSER)  # a delivery row erased since
    gone = Hit(OPENED, 10_000_000, None, agent=BROWSER)  # an edition that is no more
    kept = Hit(OPENED, edition_id, delivery_of(engine, "ann@example.net"), agent=BROWSER)
    readers._record_each([erased, gone, kept])
    assert sorted((e.event, e.delivery_id) for e in events(engine)) == [
        (CLICKED, None), (OPENED, delivery_of(engine, "ann@example.net"))]  # fmt: skip
    assert "1 of 3 could not be recorded" in caplog.text


def test_a_reader_token_fits_the_room_the_size_budget_keeps_for_it():
    from digest.render.message import FIELD_ROOMS

    token = Links("https://digest.example.org", Tokens("k")).reader(2**31 - 1, 2**31 - 1)  # the largest ids
    assert len(token) < FIELD_ROOMS["reader"]


def test_when_the_size_budget_holds_stories_back_both_copies_show_the_same_ones():
    from dataclasses import replace

    from digest.deliver.batches import render_copies
    from digest.render.specimen import specimen_edition

    settings = tracked_settings(clicks=True, opens=True)
    lst = settings.lists[0]
    big = specimen_edition(120)  # far past Gmail's clip limit: the trailing stories are held back
    big = replace(big, id=5, items=[replace(b, item_id=500 + i, url=f"https://news.example.org/{i}")
                                    for i, b in enumerate(big.items)])  # fmt: skip
    copies = render_copies(big, lst, settings.template_folders(lst), make_links())
    assert copies.tracked is not None and copies.plain.held_back > 0
    assert copies.tracked.held_back == copies.plain.held_back
    shown = len(big.items) - copies.plain.held_back
    assert f"https://news.example.org/{shown - 1}\"" in copies.plain.html
    assert f"https://news.example.org/{shown}\"" not in copies.plain.html
    assert copies.tracked.max_size <= 90 * 1024 and copies.plain.max_size <= 90 * 1024
