"""Notices are messages of their own: every backend takes them beside a delivery row's copy, under
their own key, as transactional mail; and a reviewed list's editors get the review request in the
list's language, once per draft."""

from __future__ import annotations

import email
from email import policy

from digest.config import ListSettings
from digest.deliver.backends.console import ConsoleBackend
from digest.deliver.backends.file import FileBackend
from digest.deliver.backends.sendgrid import SendGridBackend
from digest.deliver.notices import Notices, notice_sender
from digest.deliver.send import send_edition
from digest.domain import Edition
from digest.editions.review import request_review
from digest.lists import sync_lists
from digest.store.editions import changes, load_edition
from tests.servers.sendgrid import Server, StandIn
from tests.servers.support import add_edition, add_members, make_links, make_settings

REVIEWED = {"editors": ["desk@example.org", "chef@example.org"], "deadline_hours": 3, "at_deadline": "send"}


def reviewed_settings(language: str = "en", **delivery):
    settings = make_settings(**delivery)
    lst = settings.lists[0].model_dump() | {"review": REVIEWED, "language": language, "timezone": "Europe/Paris"}
    return settings.model_copy(update={"lists": [ListSettings(**lst)]})


def ask(engine, settings, backend) -> Edition:
    sync_lists(engine, settings)
    edition_id = add_edition(engine, settings)
    with engine.begin() as conn:
        edition = load_edition(conn, edition_id)
        asked = request_review(conn, settings.lists[0], edition, make_links(), Notices(settings, engine,
                               send=notice_sender(settings, engine, backend)))  # fmt: skip
        again = request_review(conn, settings.lists[0], edition, make_links(), Notices(settings, engine,
                               send=notice_sender(settings, engine, backend)))  # fmt: skip
    assert asked and not again  # each editor once per draft
    return edition


def test_the_outbox_keeps_a_notice_under_its_own_key_beside_the_delivery_rows(engine, tmp_path):
    settings = reviewed_settings("fr")
    outbox = FileBackend(tmp_path / "outbox")
    add_members(engine, ["reader@example.org"])
    edition = ask(engine, settings, outbox)
    send_edition(engine, settings, edition.id, outbox, make_links())
    files = sorted(p.name for p in (tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 3 and files[0] == "00000001.eml"  # the row's copy, named by its row
    assert all(name.startswith("notice-") for name in files[1:])  # a notice's own key: no row, no clash
    notices = [email.message_from_bytes((tmp_path / "outbox" / n).read_bytes(), policy=policy.default) for n in files[1:]]
    assert sorted(m["To"] for m in notices) == ["chef@example.org", "desk@example.org"]
    for message in notices:
        assert message["Auto-Submitted"] == "auto-generated" and message["List-Unsubscribe"] is None
        assert message["Subject"] == f"[relecture] {edition.subject}"  # in the list's language
        text = message.get_body(("plain",)).get_content()
        assert f"L’édition n°\u00a0{edition.id} de The World This Week est prête à être relue." in text
        assert "Aperçu\u00a0: https://digest.example.org/review/" in text
        assert f"digest editions approve {edition.id}" in text
        assert message["Message-ID"].startswith("<digest.notice-")
    with engine.connect() as conn:
        log = [(c.op, c.args) for c in changes(conn, edition.id)]
    assert log == [("review requested", {"editors": ["desk@example.org", "chef@example.org"]})]


def test_sendgrid_takes_a_notice_without_a_delivery_rows_ids(engine):
    settings = reviewed_settings()
    with Server(StandIn("k")) as server:
        ask(engine, settings, SendGridBackend("k", server.url))
        accepted = server.stand_in.accepted
    assert sorted(a.email for a in accepted) == ["chef@example.org", "desk@example.org"]
    assert all(a.custom_args == {} and a.headers == {"Auto-Submitted": "auto-generated"} for a in accepted)


def test_the_console_prints_a_notice(engine, capsys):
    edition = ask(engine, reviewed_settings("de"), ConsoleBackend())
    printed = capsys.readouterr().out
    assert printed.count("To: ") == 2 and f"Subject: [Freigabe] {edition.subject}" in printed
    assert "Gibt sie bis" in printed and "niemand frei, wird sie so verschickt, wie sie ist." in printed
