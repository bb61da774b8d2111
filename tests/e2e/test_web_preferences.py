"""The preferences page, through `digest serve` and the mail it sends: it offers the public lists and
the person's own, never another private list, and ticking a double opt-in list mails its
confirmation link and leaves the membership pending until that link is used; it sets the person's
time zone, checked as `digest subscribers add --timezone` checks it."""

from __future__ import annotations

import email
import html
import re
from email.policy import default

import httpx

from tests.e2e.conftest import Program, make_program

FROM = ("--from-address", "news@example.org", "--from-name", "News")


def mail_to(program: Program, address: str) -> list[email.message.EmailMessage]:
    found = []
    for path in sorted((program.root / "outbox").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=default)
        if address in message["To"]:
            found.append(message)
    return found


def link(message, kind: str) -> str:
    return re.search(rf"https://digest\.example\.org(/{kind}/[^\s\"<>]+)", text_of(message)).group(1)


def statuses(program: Program, address: str) -> dict[str, str]:
    shown = program.run("subscribers", "show", address).stdout
    return dict(re.findall(r"^list (\S+): (\w+)", shown, re.M))


def test_preferences_offer_public_and_own_lists_and_double_opt_in_waits_for_the_link(tmp_path):
    # On SQLite; the same rules on both databases: tests/test_web_preferences.py.
    program = make_program(tmp_path / "instance", f"sqlite:///{tmp_path / 'digest.db'}")
    world = program.config()["lists"][0]  # public, as config.yaml lists are unless they say otherwise
    bulletin = dict(world, id="bulletin", name="The Bulletin")  # public, double opt-in
    staff = dict(world, id="staff", name="Staff Notes", public=False)
    program.configure(lists=[world, bulletin, staff])
    program.run("lists", "create", "imported", "--name", "Imported Contacts", *FROM)  # private by default
    program.run("lists", "create", "open-house", "--name", "Open House", "--public", "--no-double-opt-in", *FROM)
    assert "public:         no" in program.run("lists", "show", "imported").stdout
    assert "public:         no" in program.run("lists", "show", "staff").stdout
    assert "public:         yes" in program.run("lists", "show", "bulletin").stdout
    program.run("subscribers", "add", "ada@example.org", "--list", "imported", "--consent", "crm export")
    program.run("subscribers", "add", "ada@example.org", "--list", "world")  # mails a confirmation link

    with program.serve() as served:
        [asked] = mail_to(program, "ada@example.org")
        confirm = link(asked, "confirm")
        assert post_form(served, confirm, served.get(confirm), {}).status_code == 200
        [welcome] = [m for m in mail_to(program, "ada@example.org") if "/confirm/" not in text_of(m)]
        preferences = link(welcome, "p")

        page = served.get(preferences)
        shown = html.unescape(page.text)
        assert page.status_code == 200
        offered = dict(re.findall(r'name="lists" value="([a-z-]+)"( checked)?>', shown))
        assert offered == {"bulletin": "", "imported": " checked", "open-house": "", "world": " checked"}
        assert "Staff Notes" not in shown

        ticked = ["world", "imported", "bulletin", "open-house", "staff"]  # staff: not offered, posted anyway
        saved = post_form(served, preferences, page, {"lists": ticked, "action": "save"})
        assert saved.status_code == 200
        words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", saved.text)).split())
        assert "The Bulletin (waiting for your confirmation: check your inbox)" in words
        assert statuses(program, "ada@example.org") == {
            "bulletin": "pending", "imported": "confirmed", "open-house": "confirmed", "world": "confirmed"
        }  # fmt: skip

        [confirmation] = [m for m in mail_to(program, "ada@example.org") if "/confirm/" in text_of(m)
                          and "The Bulletin" in m["Subject"]]  # fmt: skip
        confirm = link(confirmation, "confirm")
        assert post_form(served, confirm, served.get(confirm), {}).status_code == 200
        assert statuses(program, "ada@example.org")["bulletin"] == "confirmed"

        # Saving again with every box as it is changes nothing and mails nothing more.
        mailed = len(mail_to(program, "ada@example.org"))  # two confirmations, two welcomes
        again = served.get(preferences)
        post_form(served, preferences, again, {"lists": ["world", "imported", "bulletin", "open-house"], "action": "save"})
        assert len(mail_to(program, "ada@example.org")) == mailed == 4

        # The time zone, which lists with local_time send by: offered as a list of IANA zones.
        page = served.get(preferences)
        assert '<option value="Pacific/Auckland">Pacific/Auckland</option>' in page.text
        kept = ["world", "imported", "bulletin", "open-house"]
        assert post_form(served, preferences, page, {"lists": kept, "timezone": "Pacific/Auckland", "action": "save"}).status_code == 200
        assert "timezone: Pacific/Auckland" in program.run("subscribers", "show", "ada@example.org").stdout
        refused = post_form(served, preferences, served.get(preferences), {"lists": kept, "timezone": "Atlantis/Capital", "action": "save"})
        assert refused.status_code == 422 and "Atlantis/Capital" in html.unescape(refused.text)
        assert "timezone: Pacific/Auckland" in program.run("subscribers", "show", "ada@example.org").stdout


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def post_form(served, path: str, page: httpx.Response, data: dict) -> httpx.Response:
    """Post the page's form as a browser does: its CSRF field, and the cookie the page set (Secure,
    as public_url is https, so sent by hand here over plain HTTP)."""
    field = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    cookie = {"Cookie": f"digest_csrf={page.cookies['digest_csrf']}"}
    return httpx.post(served.url + path, headers=cookie, data={**data, "csrf": field}, timeout=10)
