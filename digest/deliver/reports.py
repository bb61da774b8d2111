"""Bounce and complaint reports that come back by mail, as ProviderEvents (digest.deliver.tracking):
what the smtp and file backends learn after the fact, as SendGrid's webhook tells its own.

    multipart/report; report-type=delivery-status   RFC 3464, a delivery status notification (DSN)
        each recipient block: Action failed, Status 5.x.x      bounced, for good (hard bounce)
                              Action failed, Status 4.x.x      bounced, for now (soft bounce)
                              Status x.2.2 (mailbox full) or x.7.x (refused by policy: a block,
                              not the address's fault)         bounced, for now (soft bounce)
                              Action delayed                   deferred
                              Action delivered                 delivered
        the recipient: Original-Recipient, else Final-Recipient; the reason: Diagnostic-Code
    multipart/report; report-type=feedback-report   RFC 5965, an abuse report (ARF)
        Feedback-Type abuse, fraud, virus or other            complained
        anything else (not-spam, auth-failure)                 other (recorded, does nothing)
        the recipient: Original-Rcpt-To, else the returned message's To

The delivery row is the one the returned message's Message-ID names (message.ids_of_message_id):
the report's message/rfc822 or text/rfc822-headers part, else its own In-Reply-To and References.
Each event's id is a hash of the report's own Message-ID (or, without one, of its status part)
and the recipient: the same report read twice is the same event, applied once.

`parse_report` never raises for a message that is simply not a report (it says so, with no event);
it raises MalformedReport, naming what is wrong, for one that claims to be a report and is not.
"""

from __future__ import annotations

import email
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from typing import Literal

from digest.deliver.message import ids_of_message_id
from digest.deliver.tracking import Cause, EventKind, ProviderEvent
from digest.errors import Invalid

COMPLAINT_TYPES = frozenset({"abuse", "fraud", "virus", "other"})
_STATUS = re.compile(r"([245])\.(\d{1,3})\.(\d{1,3})")


class MalformedReport(Invalid):
    """The message says it is a report (multipart/report) but cannot be read as one."""


@dataclass(frozen=True)
class Report:
    kind: Literal["dsn", "arf", "none"]  # none: not a report at all
    events: list[ProviderEvent] = field(default_factory=list)
    note: str = ""  # what it was, for the log: "not a report (subject ...)", a recipient block skipped
    message_id: str | None = None  # the report's own Message-ID


def parse_report(raw: bytes) -> Report:
    """The events a received message reports. Raises MalformedReport for a broken report."""
    message = email.message_from_bytes(raw, policy=policy.compat32)  # compat32: never raises on a bad header
    own_id = _clean(message.get("Message-ID")) or None
    if message.get_content_type() != "multipart/report":
        return Report("none", note=f"not a report ({message.get_content_type()}, subject {_subject(message)!r})",
                      message_id=own_id)  # fmt: skip
    param = message.get_param("report-type")
    report_type = param.lower() if isinstance(param, str) else ""
    if not message.is_multipart():
        raise MalformedReport("a multipart/report without parts")
    if report_type == "delivery-status":
        return _dsn(message, own_id)
    if report_type == "feedback-report":
        return _arf(message, own_id)
    return Report("none", note=f"a report of type {report_type or 'none given'!r}, neither a DSN nor ARF",
                  message_id=own_id)  # fmt: skip


# -- RFC 3464 delivery status notifications ---------------------------------------------------


def _dsn(message: Message, own_id: str | None) -> Report:
    status_part = _part(message, "message/delivery-status")
    if status_part is None:
        raise MalformedReport("a delivery-status report without a message/delivery-status part")
    blocks = _blocks(status_part)
    if len(blocks) < 2:
        raise MalformedReport("its message/delivery-status part has no per-recipient block (RFC 3464 2.3)")
    per_message, recipients = blocks[0], blocks[1:]
    delivery_id = _delivery_id(message)
    key = own_id or _digest(status_part.as_string())
    reported_at = _date(per_message.get("Arrival-Date")) or _date(message.get("Date"))
    events, skipped = [], []
    for n, block in enumerate(recipients, 1):
        recipient = _address_field(block.get("Original-Recipient")) or _address_field(block.get("Final-Recipient"))
        action = _clean(block.get("Action")).lower()
        status = _clean(block.get("Status"))
        if not recipient:
            skipped.append(f"recipient block {n} names no Final-Recipient")
            continue
        if not action:
            skipped.append(f"recipient block {n} ({recipient}) has no Action")
            continue
        kind, cause = _dsn_outcome(action, status)
        if kind is None:
            skipped.append(f"recipient block {n} ({recipient}): Action {action!r} with Status {status!r}")
            continue
        diagnostic = _clean(block.get("Diagnostic-Code"))
        reason = diagnostic.split(";", 1)[1].strip() if ";" in diagnostic else diagnostic
        events.append(ProviderEvent(
            provider="dsn", event_id=f"dsn:{_digest(key, recipient.lower(), action)}", kind=kind,
            recipient=recipient, delivery_id=delivery_id, cause=cause,
            reason=(f"{status} {reason}".strip() if status not in reason else reason) or None,
            at=_date(block.get("Last-Attempt-Date")) or reported_at,
        ))  # fmt: skip
    if not events and skipped:
        raise MalformedReport("a delivery status notification with no readable recipient: " + "; ".join(skipped))
    return Report("dsn", events, "; ".join(skipped), own_id)


def _dsn_outcome(action: str, status: str) -> tuple[EventKind | None, Cause | None]:
    code = _STATUS.search(status)
    if action == "failed":
        if code is None:
            return None, None
        klass, subject, detail = code.groups()
        if klass == "5" and subject != "7" and (subject, detail) != ("2", "2"):
            return EventKind.BOUNCED, Cause.HARD_BOUNCE
        return EventKind.BOUNCED, Cause.SOFT_BOUNCE  # 4.x.x, a full mailbox, a policy refusal
    if action == "delayed":
        return EventKind.DEFERRED, None
    if action in ("delivered", "relayed", "expanded"):
        return EventKind.DELIVERED, None
    return None, None


def _blocks(part: Message) -> list[Message]:
    """The groups of fields of a message/delivery-status part (the email package splits them)."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return [p for p in payload if isinstance(p, Message)]
    text = payload if isinstance(payload, str) else ""
    return [email.message_from_string(chunk.strip() + "\n") for chunk in re.split(r"\r?\n\s*\r?\n", text)
            if chunk.strip()]  # fmt: skip


# -- RFC 5965 abuse reports (ARF) -------------------------------------------------------------


def _arf(message: Message, own_id: str | None) -> Report:
    feedback = _part(message, "message/feedback-report")
    if feedback is None:
        raise MalformedReport("a feedback-report without a message/feedback-report part")
    blocks = _blocks(feedback)
    fields = blocks[0] if blocks else Message()
    feedback_type = _clean(fields.get("Feedback-Type")).lower()
    if not feedback_type:
        raise MalformedReport("its message/feedback-report part has no Feedback-Type (RFC 5965 3.1)")
    original = _original(message)
    recipient = _address_field(fields.get("Original-Rcpt-To")) or (
        _first_address(original.get("To")) if original is not None else ""
    )
    if not recipient:
        return Report("arf", note=f"a {feedback_type} report that names no recipient (redacted?)",
                      message_id=own_id)  # fmt: skip
    key = own_id or _digest(feedback.as_string())
    kind = EventKind.COMPLAINED if feedback_type in COMPLAINT_TYPES else EventKind.OTHER
    event = ProviderEvent(
        provider="arf", event_id=f"arf:{_digest(key, recipient.lower())}", kind=kind, recipient=recipient,
        delivery_id=_delivery_id(message), reason=f"feedback type {feedback_type}"
        + (f" from {_clean(fields.get('User-Agent'))}" if fields.get("User-Agent") else ""),
        at=_date(fields.get("Arrival-Date") or fields.get("Received-Date")) or _date(message.get("Date")),
    )  # fmt: skip
    return Report("arf", [event], "", own_id)


# -- what both share ----------------------------------------------------------------------------


def _part(message: Message, content_type: str) -> Message | None:
    return next((p for p in message.walk() if p.get_content_type() == content_type), None)


def _original(message: Message) -> Message | None:
    """The returned message (or its headers): a message/rfc822 or text/rfc822-headers part."""
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/rfc822":
            payload = part.get_payload()
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                return payload[0]
        if kind == "text/rfc822-headers":
            body = part.get_payload(decode=True)
            text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(part.get_payload())
            return email.message_from_string(text.lstrip())
    return None


def _delivery_id(message: Message) -> int | None:
    """Our delivery row, as the returned message's Message-ID (or the report's references) names it."""
    original = _original(message)
    quoted = [original.get("Message-ID", "")] if original is not None else []
    quoted += re.findall(r"<[^<>\s]+>", f"{message.get('In-Reply-To', '')} {message.get('References', '')}")
    for value in quoted:
        ids = ids_of_message_id(_clean(value))
        if ids is not None:
            return ids[1]
    return None


def _address_field(value: object) -> str:
    """`rfc822; someone@example.org` (RFC 3464's address-type; value) -> someone@example.org."""
    text = _clean(value)
    if ";" in text:
        address_type, text = text.split(";", 1)
        if address_type.strip().lower() not in ("rfc822", "utf-8"):
            return ""
    return _first_address(text)


def _first_address(value: object) -> str:
    found = [address for _, address in getaddresses([_clean(value)]) if "@" in address]
    return found[0].strip() if found else ""


def _clean(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _subject(message: Message) -> str:
    return _clean(message.get("Subject"))[:80]


def _date(value: object) -> datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(_clean(value))
    except (TypeError, ValueError, IndexError):
        return None
    return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8", "replace")).hexdigest()[:40]
