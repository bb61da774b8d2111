"""SendGrid: v3 Mail Send through the official library, and its signed Event Webhook.

One request carries up to 1,000 recipients, one personalization each, over ONE shared content:
the edition is rendered once with markers, and each personalization carries that recipient's
values as `substitutions`, so the request stays small and nothing is rendered per recipient.
`custom_args` carry the edition and delivery ids, which come back on every event.

Domains go out IDNA-encoded. An address whose part before the @ is not ASCII is never handed over:
for years the v3 API answered 202 to such a recipient and then dropped it as "Invalid" (issues
sendgrid-csharp#656 and sendgrid-ruby#91; support called it "a hard limitation"), so the row would
read `sent` for mail that never left. Such a recipient fails at once, with that reason.

Events come back signed (ECDSA P-256 over the timestamp and the raw body, checked on the raw bytes
with the library's EventWebhook helper; the key comes from SENDGRID_WEBHOOK_PUBLIC_KEY) and are
mapped through a table into digest's one ProviderEvent (digest.deliver.tracking).
"""

from __future__ import annotations

import binascii
import http.client
import json
import logging
import re
import ssl
import threading
import time
import urllib.error
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from email.message import Message
from typing import Any

from python_http_client import exceptions as http_errors
from sendgrid import SendGridAPIClient
from sendgrid.helpers.eventwebhook import EventWebhook

from digest import config
from digest.config import DeliverySettings, RetrySettings
from digest.deliver.backends import Result
from digest.deliver.message import Outgoing, one_line, substitution_keys, substitutions
from digest.deliver.retry import RateLimited, Retrying, Transient
from digest.deliver.tracking import Cause, EventKind, ProviderEvent
from digest.errors import BackendError, Invalid
from subscribers.addresses import wire_form

MAX_PERSONALIZATIONS = 1000
# Headers the same for every recipient go once in the request; the others (List-Unsubscribe, its
# -Post twin, or a notice's Auto-Submitted) in each personalization.
REQUEST_HEADERS = ("List-Id",)
NO_UTF8 = "sendgrid: {}: the part before the @ is not ASCII, and SendGrid does not deliver to such addresses"
# The HTTP client logs request headers, the API key among them, at DEBUG: never let it.
logging.getLogger("python_http_client").setLevel(logging.INFO)
log = logging.getLogger(__name__)


class Rejected(Exception):
    """A request-level 4xx: something in the request is wrong; `indexes` name the personalizations."""

    def __init__(self, reason: str, indexes: set[int]):
        super().__init__(reason)
        self.reason = reason
        self.indexes = indexes


class SendGridBackend:
    name = "sendgrid"

    def __init__(
        self,
        api_key: str,
        host: str = "https://api.sendgrid.com",
        *,
        retry: RetrySettings = RetrySettings(),
        sandbox: bool = False,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.client = SendGridAPIClient(api_key=api_key, host=host.rstrip("/"))
        self.retry = retry
        self.sandbox = sandbox
        self.timeout = timeout
        self.sleep = sleep
        self.requests = 0  # HTTP requests made, retries included
        self._counting = threading.Lock()  # batches may be in flight in several threads (delivery.in_flight)
        self.not_before = 0.0  # the last answer said no requests are left before this (epoch seconds)

    @classmethod
    def from_settings(cls, delivery: DeliverySettings) -> SendGridBackend:
        key = config.secret(config.SENDGRID_KEY_ENV)
        if not key:
            raise BackendError(f"{config.SENDGRID_KEY_ENV} is not set: the sendgrid backend needs an API key")
        sg = delivery.sendgrid
        return cls(key, str(sg.api_host), retry=delivery.retry, sandbox=sg.sandbox, timeout=sg.timeout)

    def send(self, batch: list[Outgoing]) -> list[Result]:
        results = [Result(m.key, "failed", NO_UTF8.format(m.to_email)) for m in batch if m.needs_smtputf8]
        for request in _requests([m for m in batch if not m.needs_smtputf8]):
            results += self._deliver(request)
        return results

    def _deliver(self, messages: list[Outgoing]) -> list[Result]:
        """Send one request; on a request-level 4xx, set the named or isolated recipients aside."""
        try:
            self._post(self._body(messages))
        except Rejected as exc:
            named = [m for i, m in enumerate(messages) if i in exc.indexes]
            if named:
                rest = [m for i, m in enumerate(messages) if i not in exc.indexes]
                return [Result(m.key, "failed", exc.reason) for m in named] + (
                    self._deliver(rest) if rest else []
                )
            if len(messages) == 1:
                return [Result(messages[0].key, "failed", exc.reason)]
            half = len(messages) // 2  # nothing named: halve until the bad recipient is alone
            return self._deliver(messages[:half]) + self._deliver(messages[half:])
        except Transient as exc:
            wait = exc.wait if isinstance(exc, RateLimited) else self.retry.defer_seconds
            retry_at = datetime.now(UTC) + timedelta(seconds=wait)
            return [Result(m.key, "retry", exc.reason, retry_at) for m in messages]
        return [Result(m.key, "accepted") for m in messages]

    def _post(self, body: dict[str, Any]) -> None:
        retrying = Retrying(self.retry)
        while True:
            try:
                return self._post_once(body)
            except Transient as exc:
                wait = retrying.next_wait(exc)
                if wait is None:
                    raise
                self.sleep(wait)

    def _post_once(self, body: dict[str, Any]) -> None:
        early = self.not_before - time.time()
        if early > 0:  # the previous answer used up the window: wait for its reset, not for a 429
            self.sleep(min(early, self.retry.max_rate_limit_wait))
        with self._counting:
            self.requests += 1
        try:
            response = self.client.client.mail.send.post(request_body=body, timeout=self.timeout)
        except http_errors.HTTPError as exc:
            raise _classify(exc) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, ssl.SSLError):  # a certificate we cannot trust: no retry will help
                raise BackendError(f"sendgrid: TLS failed: {exc.reason}") from None
            raise Transient(f"sendgrid: {type(exc).__name__}: {exc.reason}") from None
        except (TimeoutError, http.client.HTTPException, ConnectionError) as exc:
            raise Transient(f"sendgrid: {type(exc).__name__}: {getattr(exc, 'reason', exc)}") from None
        remaining, reset = (_header(response.headers, f"X-RateLimit-{k}") for k in ("Remaining", "Reset"))
        self.not_before = (
            float(reset) if remaining is not None and reset is not None and float(remaining) <= 0 else 0.0
        )

    def _body(self, messages: list[Outgoing]) -> dict[str, Any]:
        first = messages[0]
        html, text, keys = substitution_keys(first.content)
        body: dict[str, Any] = {
            "personalizations": [_personalization(m, keys) for m in messages],
            "from": {"email": wire_form(first.from_email), "name": first.from_name},
            "subject": first.subject,
            "content": [{"type": "text/plain", "value": text}, {"type": "text/html", "value": html}],
            "categories": ["digest", f"list-{first.list_id}"],
            "headers": {k: v for k, v in first.headers().items() if k in REQUEST_HEADERS},
        }
        if first.reply_to:
            body["reply_to"] = {"email": wire_form(first.reply_to)}
        if self.sandbox:
            body["mail_settings"] = {"sandbox_mode": {"enable": True}}
        return body


def _personalization(message: Outgoing, keys: dict[str, tuple[str, str]]) -> dict[str, Any]:
    to = {"email": wire_form(message.to_email)}
    if message.to_name:
        to["name"] = one_line(message.to_name)
    headers = message.headers()
    return {
        "to": [to],
        "substitutions": substitutions(message, keys),
        "custom_args": _custom_args(message),
        "headers": {k: v for k, v in headers.items() if k not in REQUEST_HEADERS},
    }


def _custom_args(message: Outgoing) -> dict[str, str]:
    """They come back on every event: a delivery row's ids, by which its events find the row."""
    if message.delivery_id is None:
        return {}
    return {"edition_id": str(message.edition_id), "delivery_id": str(message.delivery_id)}


def _requests(batch: list[Outgoing]) -> list[list[Outgoing]]:
    """Requests of at most 1,000 recipients sharing one content, each address once per request."""
    out: list[list[Outgoing]] = []
    open_requests: dict[int, list[tuple[set[str], list[Outgoing]]]] = {}
    for message in batch:
        address = message.to_email.casefold()
        slots = open_requests.setdefault(id(message.content), [])
        for seen, messages in slots:
            if address not in seen and len(messages) < MAX_PERSONALIZATIONS:
                break
        else:
            seen, messages = set(), []
            slots.append((seen, messages))
            out.append(messages)
        seen.add(address)
        messages.append(message)
    return out


PERSONALIZATION_FIELD = re.compile(r"personalizations\.(\d+)")


def _classify(exc: http_errors.HTTPError) -> Exception:
    status = exc.status_code
    reason = f"sendgrid {status}: {_error_text(exc.body)}"
    if status == 429:
        reset = _header(exc.headers, "X-RateLimit-Reset")
        if reset is not None:
            return RateLimited(reason, float(reset) - time.time())
        return Transient(reason)
    if status >= 500 or status == 408:
        return Transient(reason)
    if status in (400, 413):
        return Rejected(reason, _named_personalizations(exc.body))
    return BackendError(reason)  # 401, 403, 404...: the key or the host is wrong; retrying won't help


def _header(headers: Message | None, name: str) -> str | None:
    value = headers.get(name) if headers is not None else None
    return value.strip() if value and value.strip().lstrip("-").replace(".", "", 1).isdigit() else None


def _errors(body: bytes | None) -> list[dict[str, Any]]:
    try:
        errors = json.loads(body or b"{}").get("errors") or []
    except (ValueError, AttributeError):
        return []
    return [e for e in errors if isinstance(e, dict)]


def _error_text(body: bytes | None) -> str:
    errors = _errors(body)
    if not errors:
        return "no detail"
    return "; ".join(
        str(e.get("message", "")) + (f" ({e['field']})" if e.get("field") else "") for e in errors
    )[:500]


def _named_personalizations(body: bytes | None) -> set[int]:
    found: set[int] = set()
    for error in _errors(body):
        match = PERSONALIZATION_FIELD.match(str(error.get("field") or ""))
        if match:
            found.add(int(match.group(1)))
    return found


# The Event Webhook.

PUBLIC_KEY_ENV = config.SENDGRID_WEBHOOK_KEY_ENV
SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature"
TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp"
EVENT_KINDS = {
    "processed": EventKind.QUEUED,
    "delivered": EventKind.DELIVERED,
    "deferred": EventKind.DEFERRED,
    "bounce": EventKind.BOUNCED,
    "dropped": EventKind.DROPPED,
    "spamreport": EventKind.COMPLAINED,
    "unsubscribe": EventKind.UNSUBSCRIBED,
    "group_unsubscribe": EventKind.UNSUBSCRIBED,
    "open": EventKind.OPENED,
    "click": EventKind.CLICKED,
}
# A drop's reason, as SendGrid words it (lower case), by the first of these words it contains.
DROP_CAUSES = (("spam", Cause.COMPLAINT), ("unsubscribe", Cause.UNSUBSCRIBED), ("bounce", Cause.HARD_BOUNCE),
               ("invalid", Cause.INVALID))  # fmt: skip


def verified(raw: bytes, headers: Mapping[str, str]) -> bool:
    """Whether SendGrid signed these very bytes. Without SENDGRID_WEBHOOK_PUBLIC_KEY nothing is."""
    public_key = config.secret(PUBLIC_KEY_ENV)
    if not public_key:
        log.warning("%s is not set: SendGrid events are refused", PUBLIC_KEY_ENV)
        return False
    signature, timestamp = headers.get(SIGNATURE_HEADER), headers.get(TIMESTAMP_HEADER)
    if not (signature and timestamp):
        return False
    try:
        return bool(EventWebhook(public_key).verify_signature(raw.decode("utf-8"), signature, timestamp))
    except (ValueError, UnicodeDecodeError, binascii.Error, TypeError):
        return False


def parse_events(raw: bytes) -> list[ProviderEvent]:
    """The posted events as ProviderEvents; entries without an id or an event name are left out.
    Raises Invalid when the body is not a JSON array."""
    try:
        posted = json.loads(raw)
    except ValueError:
        raise Invalid("not JSON") from None
    if not isinstance(posted, list):
        raise Invalid("expected a JSON array of events")
    return [_event(e) for e in posted if isinstance(e, dict) and e.get("sg_event_id") and e.get("event")]


def _event(event: dict[str, Any]) -> ProviderEvent:
    name = str(event["event"])
    kind = EVENT_KINDS.get(name, EventKind.OTHER)
    return ProviderEvent(
        provider="sendgrid",
        event_id=str(event["sg_event_id"]),
        kind=kind,
        recipient=str(event.get("email") or ""),
        delivery_id=_number(event.get("delivery_id")),  # our custom_args come back at the top level
        cause=_cause(kind, event),
        reason=str(event.get("reason") or event.get("type") or "") or None,
        at=_moment(event.get("timestamp")),
    )


def _cause(kind: EventKind, event: dict[str, Any]) -> Cause | None:
    if kind == EventKind.BOUNCED:  # "blocked": the receiving server refused for now, not the address
        return Cause.SOFT_BOUNCE if event.get("type") == "blocked" else Cause.HARD_BOUNCE
    if kind == EventKind.DROPPED:
        reason = str(event.get("reason") or "").lower()
        return next((cause for word, cause in DROP_CAUSES if word in reason), Cause.OTHER)
    return None


def _number(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _moment(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(value), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
