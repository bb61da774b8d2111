"""Bounce and complaint reports as real MTAs and feedback loops write them (tests/deliver/reports/),
read into ProviderEvents: the kind, the cause, the recipient, our delivery row, the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.deliver.message import ids_of_message_id, message_id
from digest.deliver.reports import MalformedReport, parse_report
from digest.deliver.tracking import Cause, EventKind

REPORTS = Path(__file__).parent / "reports"


def report(name: str) -> bytes:
    return (REPORTS / name).read_bytes().replace(b"\n", b"\r\n")  # as they come off the wire


@pytest.mark.parametrize(
    ("name", "recipient", "delivery_id", "kind", "cause", "reason"),
    [
        ("postfix_hard.eml", "nobody@example.com", 42, EventKind.BOUNCED, Cause.HARD_BOUNCE, "User unknown"),
        ("exim_hard.eml", "gone@example.net", 43, EventKind.BOUNCED, Cause.HARD_BOUNCE, "550 5.1.1 User unknown"),
        # a full mailbox is the recipient's for now, whatever the class: a soft bounce
        ("gmail_full.eml", "full@gmail.example", 44, EventKind.BOUNCED, Cause.SOFT_BOUNCE, "out of storage"),
        ("microsoft_hard.eml", "Someone.Gone@Contoso.example", 45, EventKind.BOUNCED, Cause.HARD_BOUNCE,
         "RecipientNotFound"),
        ("postfix_delayed.eml", "slow@example.com", 46, EventKind.DEFERRED, None, "Connection timed out"),
    ],
)  # fmt: skip
def test_delivery_status_notifications(name, recipient, delivery_id, kind, cause, reason):
    parsed = parse_report(report(name))
    assert parsed.kind == "dsn"
    [event] = parsed.events
    assert (event.provider, event.kind, event.recipient, event.delivery_id) == ("dsn", kind, recipient, delivery_id)
    assert event.cause == cause
    assert reason in (event.reason or "")
    assert event.at is not None and event.at.tzinfo is not None
    assert event.event_id.startswith("dsn:") and len(event.event_id) <= 100


def test_an_abuse_report_is_a_complaint_of_its_original_recipient():
    [event] = parse_report(report("arf_abuse.eml")).events
    assert (event.provider, event.kind, event.recipient, event.delivery_id) == (
        "arf", EventKind.COMPLAINED, "annoyed@example.net", 47)  # fmt: skip
    assert "abuse" in (event.reason or "")


def test_without_original_rcpt_to_the_returned_messages_to_is_the_recipient():
    raw = report("arf_abuse.eml").replace(b"Original-Rcpt-To: <annoyed@example.net>\r\n", b"")
    [event] = parse_report(raw).events
    assert event.recipient == "annoyed@example.net"


def test_not_spam_is_recorded_but_is_no_complaint():
    raw = report("arf_abuse.eml").replace(b"Feedback-Type: abuse", b"Feedback-Type: not-spam")
    [event] = parse_report(raw).events
    assert event.kind == EventKind.OTHER


def test_the_same_report_twice_is_the_same_event_and_another_recipient_another():
    first, again = parse_report(report("postfix_hard.eml")), parse_report(report("postfix_hard.eml"))
    assert first.events[0].event_id == again.events[0].event_id
    other = parse_report(report("postfix_hard.eml").replace(b"nobody@example.com", b"else@example.com"))
    assert other.events[0].event_id != first.events[0].event_id


def test_without_its_own_message_id_a_report_is_known_by_its_status_part():
    raw = report("exim_hard.eml").replace(b"Message-Id: <E1tIxyz-000Abc-2B@relay.example.net>\r\n", b"")
    assert parse_report(raw).events[0].event_id == parse_report(raw).events[0].event_id


def test_a_policy_refusal_is_a_block_not_a_bad_address():
    raw = report("postfix_hard.eml").replace(b"Status: 5.1.1", b"Status: 5.7.1")
    assert parse_report(raw).events[0].cause == Cause.SOFT_BOUNCE
    raw = report("postfix_hard.eml").replace(b"Status: 5.1.1", b"Status: 4.2.0")
    assert parse_report(raw).events[0].cause == Cause.SOFT_BOUNCE


def test_a_report_on_someone_elses_mail_names_no_delivery():
    raw = report("postfix_hard.eml").replace(b"<digest.7.42@example.org>", b"<abc.123@elsewhere.example>")
    assert parse_report(raw).events[0].delivery_id is None


def test_a_message_that_is_no_report_is_said_to_be_none():
    plain = b"From: someone@example.net\r\nTo: bounces@example.org\r\nSubject: hello\r\n\r\nout of office\r\n"
    parsed = parse_report(plain)
    assert (parsed.kind, parsed.events) == ("none", [])
    assert "hello" in parsed.note


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ((b"Content-Type: message/delivery-status", b"Content-Type: text/plain"), "without a message/delivery-status part"),
        ((b"Final-Recipient: rfc822; nobody@example.com\r\nOriginal-Recipient: rfc822;nobody@example.com\r\n", b""),
         "names no Final-Recipient"),
        ((b"Action: failed\r\n", b""), "has no Action"),
        ((b"Status: 5.1.1", b"Status: bad"), "Action 'failed' with Status 'bad'"),
    ],
)  # fmt: skip
def test_a_broken_report_says_what_is_wrong(change, said):
    with pytest.raises(MalformedReport, match=said):
        parse_report(report("postfix_hard.eml").replace(*change))


def test_a_feedback_report_without_its_type_is_broken():
    with pytest.raises(MalformedReport, match="no Feedback-Type"):
        parse_report(report("arf_abuse.eml").replace(b"Feedback-Type: abuse\r\n", b""))


def test_garbage_never_raises_anything_else():
    for raw in (b"", b"\xff\xfe\x00garbage", b"Content-Type: multipart/report; report-type=delivery-status\r\n\r\nx"):
        try:
            parse_report(raw)
        except MalformedReport:
            pass


def test_message_ids_are_read_back_to_their_ids():
    assert ids_of_message_id(message_id(7, 42, "digest@bücher.example")) == (7, 42)
    assert ids_of_message_id("<digest.notice-3f2a9b@example.org>") is None
    assert ids_of_message_id("<digest.7.42@example.org> trailing") is None
