"""Our own click and open tracking, through the installed program on SQLite and PostgreSQL: off by
default (the mail links straight to the articles and carries no pixel); on, a story's link of the mail
followed on a running `digest serve` redirects to the article and records the click for that story
and delivery, a click within seconds of the send is a machine's, a reader who opted out on their
preferences page gets plain mail, and no link token that is not genuine leads off the site."""

from __future__ import annotations

import re
import time

import httpx
from itsdangerous import URLSafeTimedSerializer

from tests.e2e.conftest import Program, outbox_mails, wait_for
from tests.e2e.test_web_preferences import post_form, text_of
from tests.servers.smtp import free_port

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
READERS = ["ann@example.net", "bob@example.net"]


def html_of(message) -> str:
    return message.get_body(("html",)).get_content()


def stories(program: Program, edition_id: int) -> list[tuple[int, str]]:
    """(item id, the link the mail shows: https) of the edition's stories that have one, in order."""
    rows = program.query(
        "SELECT id, url FROM edition_items WHERE edition_id = :e AND url IS NOT NULL ORDER BY position", e=edition_id
    )
    return [(item_id, re.sub(r"^http://", "https://", url)) for item_id, url in rows]


def edition_mail(program: Program, address: str):
    [found] = [m for m in outbox_mails(program) if m.to == address and m.list_id == "world"]
    return found.message


def track(program: Program, port: int | None = None, **tracking) -> str:
    """Turn the world list's tracking on as `tracking` says; links in mail point at `port` on loopback."""
    world = program.config()["lists"][0]
    base = f"http://127.0.0.1:{port}" if port else "https://digest.example.org"
    program.configure(public_url=base, lists=[{**world, "tracking": tracking}])
    return base


def test_with_tracking_off_the_mail_has_no_tracking_link_and_no_pixel(program):
    tracking = program.config()["lists"][0].get("tracking", {})  # the demo's config.yaml, as shipped
    assert not tracking.get("clicks") and not tracking.get("opens")
    program.add_members(READERS)
    edition_id = program.approved_edition()
    program.run("send", str(edition_id))
    linked = stories(program, edition_id)
    assert linked, "the sample edition has stories with links"
    for address in READERS:
        message = edition_mail(program, address)
        for part in (html_of(message), text_of(message)):
            assert "/c/" not in part and "/o/" not in part and "?r=" not in part
            assert all(url in part for _, url in linked)  # straight to the articles, as before


def test_a_tracked_link_redirects_to_the_story_and_records_the_click_and_an_opted_out_reader_gets_plain_mail(
    program,
):
    port = free_port()
    base = track(program, port, clicks=True, opens=True, machine_seconds=2)
    program.run("subscribers", "add", "olga@example.net", "--list", "world")  # mails her a confirmation link
    program.add_members(READERS)
    with program.serve(port=port) as served:
        [asked] = [m.message for m in outbox_mails(program) if m.to == "olga@example.net"]
        confirm = re.search(rf"{base}(/confirm/\S+)", text_of(asked)).group(1)
        assert post_form(served, confirm, served.get(confirm), {}).status_code == 200
        [welcome] = [m.message for m in outbox_mails(program) if m.to == "olga@example.net" and "/confirm/" not in text_of(m.message)]
        preferences = re.search(rf"{base}(/p/\S+)", text_of(welcome)).group(1)
        page = served.get(preferences)
        assert re.search(r'<input type="checkbox" name="no_tracking" value="yes"[^>]*>', page.text)
        assert 'name="no_tracking" value="yes" aria-describedby="tracking-hint" checked' not in page.text
        saved = post_form(served, preferences, page, {"lists": ["world"], "no_tracking": "yes", "action": "save"})
        assert 'name="no_tracking" value="yes" aria-describedby="tracking-hint" checked' in saved.text
        assert program.query("SELECT tracking FROM subscribers WHERE email = 'olga@example.net'") == [(False,)]
        assert "open and click tracking: opted out" in program.run("subscribers", "show", "olga@example.net").stdout
        assert "open and click tracking: allowed" in program.run("subscribers", "show", "ann@example.net").stdout

        edition_id = program.approved_edition()
        program.run("send", str(edition_id))
        linked = stories(program, edition_id)
        olga = edition_mail(program, "olga@example.net")
        for part in (html_of(olga), text_of(olga)):  # opted out: nothing tracked at all
            assert "/c/" not in part and "/o/" not in part
            assert all(url in part for _, url in linked)
        ann = edition_mail(program, "ann@example.net")
        tracked = re.findall(rf"{base}(/c/[\w.-]+\?r=[\w.-]+)", text_of(ann))
        assert len(tracked) == len(linked) and not any(url in text_of(ann) + html_of(ann) for _, url in linked)
        [pixel] = re.findall(rf'<img src="{base}(/o/[\w.-]+\.gif)"', html_of(ann))

        time.sleep(2.5)  # past machine_seconds: a person's click
        second = served.get(tracked[1], headers={"User-Agent": BROWSER}, follow_redirects=False)
        assert second.status_code == 302 and second.headers["location"] == linked[1][1]
        assert "no-store" in second.headers["cache-control"]
        opened = served.get(pixel, headers={"User-Agent": BROWSER})
        assert opened.status_code == 200 and opened.headers["content-type"] == "image/gif"
        assert opened.content.startswith(b"GIF89a") and "no-store" in opened.headers["cache-control"]

        [(ann_delivery,)] = program.query(
            "SELECT id FROM deliveries WHERE edition_id = :e AND email = 'ann@example.net'", e=edition_id
        )
        events = wait_for(lambda: len(reader_events(program, edition_id)) == 2 and reader_events(program, edition_id),
                          10, "the click and the open recorded")  # fmt: skip
        assert ("clicked", ann_delivery, linked[1][0], linked[1][1], False) in events
        assert ("opened", ann_delivery, None, None, False) in events
        reader = tracked[1].split("?r=")[1]
        assert "/c/[token]" in served.log() and "/o/[token]" in served.log()
        assert reader not in served.log()  # the access log names no reader's copy


def reader_events(program: Program, edition_id: int) -> list[tuple]:
    rows = program.query(
        "SELECT event, delivery_id, item_id, url, machine FROM delivery_events"
        " WHERE provider = 'digest' AND edition_id = :e ORDER BY at",
        e=edition_id,
    )
    return [(event, delivery, item, url, bool(machine)) for event, delivery, item, url, machine in rows]


def test_scanner_clicks_within_seconds_of_delivery_are_counted_as_machine_clicks(program):
    port = free_port()
    base = track(program, port, clicks=True)  # machine_seconds: 10 by default
    program.add_members(READERS)
    with program.serve(port=port) as served:
        edition_id = program.approved_edition()
        program.run("send", str(edition_id))
        linked = stories(program, edition_id)
        tracked = re.findall(rf"{base}(/c/[\w.-]+\?r=[\w.-]+)", text_of(edition_mail(program, "ann@example.net")))
        for path in tracked:  # a security scanner at the receiving server follows every link at once
            answer = served.get(path, headers={"User-Agent": BROWSER}, follow_redirects=False)
            assert answer.status_code == 302
        bob = re.findall(rf"{base}(/c/[\w.-]+\?r=[\w.-]+)", text_of(edition_mail(program, "bob@example.net")))
        assert httpx.head(served.url + bob[0], headers={"User-Agent": BROWSER}, timeout=10).status_code == 302
        events = wait_for(lambda: len(reader_events(program, edition_id)) == len(tracked) + 1
                          and reader_events(program, edition_id), 10, "every click recorded")  # fmt: skip
    assert {item for _, _, item, _, _ in events} == {item for item, _ in linked}
    assert all(machine for *_, machine in events), events
    reasons = dict(program.query(
        "SELECT d.email, e.reason FROM delivery_events e JOIN deliveries d ON d.id = e.delivery_id"
        " WHERE e.provider = 'digest' AND d.email = 'bob@example.net'"
    ))  # fmt: skip
    assert reasons == {"bob@example.net": "machine: head request"}
    ann = program.query(
        "SELECT e.reason FROM delivery_events e JOIN deliveries d ON d.id = e.delivery_id"
        " WHERE e.provider = 'digest' AND d.email = 'ann@example.net'"
    )
    assert {r for (r,) in ann} <= {"machine: soon after sent", "machine: burst"} and len(ann) == len(tracked)


def test_a_click_token_that_is_not_genuine_never_redirects_off_the_site(program):
    port = free_port()
    base = track(program, port, clicks=True, opens=True)
    program.add_members(READERS)
    program.run("send", str(edition_id := program.approved_edition()))
    text = text_of(edition_mail(program, "ann@example.net"))
    link, reader = re.findall(rf"{base}/c/([\w.-]+)\?r=([\w.-]+)", text)[0]
    unsubscribe = re.search(rf"{base}/u/([\w.-]+)", text).group(1)
    [(item_id, url)] = stories(program, edition_id)[:1]
    # signed as digest signs a click link, with another instance's key: a forgery from outside
    foreign = URLSafeTimedSerializer("another-instance-key", salt="digest.click").dumps([edition_id, item_id])
    tampered = link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb")
    with program.serve(port=port) as served:
        for path in (
            f"/c/{foreign}?r={reader}",
            f"/c/{unsubscribe}?r={reader}",  # another purpose, signed with the right key
            f"/c/{reader}?r={reader}",  # a reader token is not a link token
            f"/c/{tampered}?r={reader}",
            "/c/garbage?r=garbage",
            "/c/%2F%2Fevil.example",
            "/c///evil.example",
            "/c/https:%2F%2Fevil.example%2F",
            f"/c/{link}/..%2F..%2F%2Fevil.example",
        ):
            answer = served.get(path, headers={"User-Agent": BROWSER}, follow_redirects=False)
            assert answer.status_code in (400, 404), (path, answer.status_code, answer.headers.get("location"))
            assert "location" not in answer.headers, path
        genuine = served.get(f"/c/{link}?r=garbage", headers={"User-Agent": BROWSER}, follow_redirects=False)
        assert genuine.status_code == 302 and genuine.headers["location"] == url  # the story; no reader
        wait_for(lambda: program.query("SELECT delivery_id FROM delivery_events WHERE provider = 'digest'") == [(None,)],
                 10, "the one genuine click recorded, without a reader")  # fmt: skip
