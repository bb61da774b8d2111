"""The preference page behind a signed link: lists received, language, leave all."""

from __future__ import annotations

import html
import re

from digest.deliver.notices import NoticeError
from subscribers.models import MailingList, Subscriber
from subscribers.service import (
    create_list,
    get_subscriber,
    membership_status,
    recipients,
    set_status,
    upsert_subscriber,
)
from subscribers.suppression import suppress
from tests.servers.web import csrf_of


def member(engine, email: str, *lists: str, language: str | None = None) -> int:
    with engine.begin() as conn:
        sid, _ = upsert_subscriber(conn, Subscriber(email, language=language))
        for list_id in lists:
            set_status(conn, sid, list_id, "confirmed", method="admin", wording="test")
    return sid


def statuses(engine, sid: int) -> dict[str, str | None]:
    with engine.connect() as conn:
        return {x: membership_status(conn, sid, x) for x in ("world", "monde", "offen")}


def test_page_lists_what_is_received_in_the_subscribers_language(site):
    sid = member(site.engine, "ann@example.org", "world", language="fr")
    with site.client() as http:
        page = http.get(f"/p/{site.sign('preferences', sid)}")
    assert page.status_code == 200 and 'lang="fr"' in page.text
    text = html.unescape(page.text)
    assert 'value="world" checked' in text and 'value="monde">' in text
    assert "Vos préférences" in text


def test_saving_joins_and_leaves_lists_and_sets_the_language(site):
    sid = member(site.engine, "ann@example.org", "world", "monde")
    path = f"/p/{site.sign('preferences', sid)}"
    with site.client() as http:
        field = csrf_of(http.get(path).text)
        saved = http.post(
            path, data={"lists": ["monde", "offen"], "language": "de", "action": "save", "csrf": field}
        )
    assert saved.status_code == 200 and 'lang="de"' in saved.text
    assert statuses(site.engine, sid) == {"world": "unsubscribed", "monde": "confirmed", "offen": "confirmed"}
    with site.engine.connect() as conn:
        assert get_subscriber(conn, sid).language == "de"


def test_leave_all(site):
    sid = member(site.engine, "ann@example.org", "world", "monde")
    path = f"/p/{site.sign('preferences', sid)}"
    with site.client() as http:
        field = csrf_of(http.get(path).text)
        http.post(path, data={"lists": ["world"], "action": "leave_all", "csrf": field})
    assert statuses(site.engine, sid) == {"world": "unsubscribed", "monde": "unsubscribed", "offen": None}


def test_a_suppressed_address_cannot_join_from_the_page(site):
    sid = member(site.engine, "ann@example.org", "world")
    with site.engine.begin() as conn:
        suppress(conn, "ann@example.org", "bounce")
    path = f"/p/{site.sign('preferences', sid)}"
    with site.client() as http:
        field = csrf_of(http.get(path).text)
        http.post(path, data={"lists": ["world", "monde"], "action": "save", "csrf": field})
    assert statuses(site.engine, sid)["monde"] is None


def test_changes_need_the_csrf_field_and_a_genuine_token(site):
    sid = member(site.engine, "ann@example.org", "world")
    good = f"/p/{site.sign('preferences', sid)}"
    with site.client() as http:
        assert http.post(good, data={"action": "leave_all"}).status_code == 403
        field = csrf_of(http.get(good).text)
        other = f"/p/{site.sign('unsubscribe', sid, 'world')}"
        assert http.get(other).status_code == 400
        assert http.post(other, data={"action": "leave_all", "csrf": field}).status_code == 400
    assert statuses(site.engine, sid)["world"] == "confirmed"


def test_only_public_and_own_lists_are_offered_and_ticking_double_opt_in_waits_for_the_link(site):
    with site.engine.begin() as conn:  # private, as lists made for an import are
        create_list(conn, MailingList(id="crm", name="CRM Import", from_address="c@example.org", from_name="C"))
    sid = member(site.engine, "ann@example.org", "world")
    path = f"/p/{site.sign('preferences', sid)}"
    with site.client() as http:
        page = http.get(path)
        assert 'value="monde"' in page.text and 'value="crm"' not in page.text
        saved = http.post(path, data={"lists": ["world", "monde", "crm"], "action": "save", "csrf": csrf_of(page.text)})
    assert saved.status_code == 200
    assert statuses(site.engine, sid) == {"world": "confirmed", "monde": "pending", "offen": None}
    with site.engine.connect() as conn:
        assert membership_status(conn, sid, "crm") is None  # posted, but not offered: not joined
    [mail] = site.sent
    assert (mail.to, mail.list_id) == ("ann@example.org", "monde") and "/confirm/" in mail.text


def zone_selected(page: str) -> str | None:
    """The value of the time zone select's chosen option."""
    select = page.split('name="timezone"')[1].split("</select>")[0]
    chosen = re.search(r'<option value="([^"]*)" selected>', select)
    return chosen.group(1) if chosen else None


def test_the_time_zone_is_offered_and_saved_for_the_lists_that_send_at_local_time(site):
    sid = member(site.engine, "ann@example.org", "world")
    path = f"/p/{site.sign('preferences', sid)}"
    with site.client() as http:
        page = http.get(path)
        assert zone_selected(page.text) == "none"  # not set: mail comes when the list sends
        assert '<option value="Asia/Tokyo">Asia/Tokyo</option>' in page.text
        assert '<option value="America/New_York">America/New York</option>' in page.text
        saved = http.post(path, data={"lists": ["world"], "timezone": "Asia/Tokyo", "action": "save",
                                      "csrf": csrf_of(page.text)})  # fmt: skip
    assert saved.status_code == 200 and zone_selected(saved.text) == "Asia/Tokyo"
    with site.engine.connect() as conn:
        assert get_subscriber(conn, sid).timezone == "Asia/Tokyo"
        [recipient] = recipients(conn, "world")  # what a local_time send reads
    assert recipient.timezone == "Asia/Tokyo"

    with site.client() as http:  # "not set" clears it; a form without the field leaves it alone
        http.post(path, data={"lists": ["world"], "timezone": "none", "action": "save", "csrf": csrf_of(http.get(path).text)})
        assert get_timezone(site.engine, sid) is None
        http.post(path, data={"lists": ["world"], "timezone": "Europe/Rome", "action": "save",
                              "csrf": csrf_of(http.get(path).text)})  # fmt: skip
        http.post(path, data={"lists": ["world"], "action": "save", "csrf": csrf_of(http.get(path).text)})
    assert get_timezone(site.engine, sid) == "Europe/Rome"


def get_timezone(engine, sid: int) -> str | None:
    with engine.connect() as conn:
        return get_subscriber(conn, sid).timezone


def test_a_time_zone_that_is_not_one_is_refused_and_nothing_is_saved(site):
    sid = member(site.engine, "ann@example.org", "world", language="fr")
    path = f"/p/{site.sign('preferences', sid)}"
    with site.client() as http:
        field = csrf_of(http.get(path).text)
        answer = http.post(path, data={"lists": ["monde"], "language": "de", "timezone": "Mars/Olympus",
                                       "action": "save", "csrf": field})  # fmt: skip
    assert answer.status_code == 422
    assert "Mars/Olympus" in html.unescape(answer.text) and "keine uns bekannte Zeitzone" in html.unescape(answer.text)
    assert statuses(site.engine, sid) == {"world": "confirmed", "monde": None, "offen": None}
    with site.engine.connect() as conn:
        assert (get_subscriber(conn, sid).language, get_subscriber(conn, sid).timezone) == ("fr", None)
    assert site.sent == []


def test_a_zone_set_by_an_import_under_another_name_stays_chosen(site):
    with site.engine.begin() as conn:
        sid, _ = upsert_subscriber(conn, Subscriber("ann@example.org", timezone="US/Eastern"))
        set_status(conn, sid, "world", "confirmed", method="admin", wording="test")
    with site.client() as http:
        page = http.get(f"/p/{site.sign('preferences', sid)}")
    assert zone_selected(page.text) == "US/Eastern"


def test_a_confirmation_that_does_not_go_out_is_said_and_the_list_waits(site):
    sid = member(site.engine, "ann@example.org", "world")
    path = f"/p/{site.sign('preferences', sid)}"
    site.fail = NoticeError("the file backend did not take the message: disk full")
    with site.client() as http:
        saved = http.post(path, data={"lists": ["world", "monde"], "action": "save", "csrf": csrf_of(http.get(path).text)})
    assert saved.status_code == 200 and "could not send the message" in saved.text
    assert statuses(site.engine, sid)["monde"] == "pending"  # its link may be asked for again
