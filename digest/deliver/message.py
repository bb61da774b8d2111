"""One recipient's message: the edition's shared content plus this recipient's values.

The body is personalized lazily: SMTP and the outbox need each full message, while SendGrid takes
the shared content once per request and only the per-recipient values (as substitutions).
"""

from __future__ import annotations

import binascii
import html as html_escape
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.utils import format_datetime, formataddr
from functools import cached_property
from typing import Any

from digest.render import MessageTemplate, personalize
from subscribers.addresses import needs_smtputf8, wire_form
from subscribers.models import MailingList

# Long header values such as List-Unsubscribe URLs must stay plain ASCII on one line, not be
# folded into RFC 2047 encoded words (which no mail client would read as a URL).
POLICY = policy.default.clone(max_line_length=998)
TEST_HEADER = "X-Digest-Test"  # on a test send's messages (digest.deliver.proofs)


class Unbuildable(ValueError):
    """This recipient's message cannot be built as it would have to go out; the reason says why.
    Backends record it as that recipient's failure: the rest of the batch goes on."""


def one_line(value: str) -> str:
    """Header values never carry CR or LF."""
    return " ".join(value.replace("\r", " ").replace("\n", " ").split())


@dataclass(frozen=True)
class Outgoing:
    """One message for a backend: a recipient's copy of an edition (a delivery row's) or a notice.

    `key` names the message: its result in the batch and its outbox file. A delivery row's message
    has the row's id as its key (zero-padded), `delivery_id` and `edition_id`, and its list's
    unsubscribe link; a notice has a key of its own and neither id: it is transactional mail.
    """

    key: str
    to_email: str
    to_name: str | None
    from_email: str
    from_name: str
    reply_to: str | None
    content: MessageTemplate  # shared by every recipient of the edition
    values: dict[str, str]  # this recipient's fields, unescaped
    list_id: str
    message_id: str
    unsubscribe_url: str | None = None  # list mail only
    delivery_id: int | None = None
    edition_id: int | None = None
    test: bool = False  # a test send (digest.deliver.proofs): marked by a header of its own

    @property
    def needs_smtputf8(self) -> bool:
        """An address in it has a part before the @ that is not ASCII: only SMTPUTF8 can carry it."""
        return any(needs_smtputf8(a) for a in (self.to_email, self.from_email, self.reply_to or ""))

    @property
    def subject(self) -> str:
        return one_line(self.content.subject)

    @cached_property
    def _body(self) -> tuple[str, str]:
        return personalize(self.content, self.values)

    @property
    def html(self) -> str:
        return self._body[0]

    @property
    def text(self) -> str:
        return self._body[1]

    def headers(self) -> dict[str, str]:
        """Headers beyond From/To/Subject, as a provider API takes them. A message without an
        unsubscribe URL is a notice (a confirmation, a review request): transactional, not list mail."""
        if self.test:
            return {"Auto-Submitted": "auto-generated", TEST_HEADER: "yes"}
        if not self.unsubscribe_url:
            return {"Auto-Submitted": "auto-generated"}
        return {
            "List-Unsubscribe": f"<{one_line(self.unsubscribe_url)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"<{self.list_id}.{_domain(self.from_email)}>",
        }

    def to_bytes(self, utf8: bool = False) -> bytes:
        """The whole RFC 5322 message: multipart/alternative, text then HTML, quoted-printable.

        Domains are IDNA-encoded. An address whose part before the @ is not ASCII can only be
        written with `utf8` (the relay took SMTPUTF8, or the outbox): it then stands in its header
        in UTF-8 (RFC 6532); names and the subject are RFC 2047 encoded words either way.
        Raises Unbuildable for such an address without `utf8`.

        This is the hot path of an SMTP send, so it avoids the email package's header objects and
        its pure-Python body encoder (milliseconds a message): plain ASCII headers are written as
        they are, anything else goes through the email package; bodies are encoded by binascii.
        """
        if self.needs_smtputf8 and not utf8:
            raise Unbuildable(
                f"{self.to_email}: the part before the @ is not ASCII: the message needs SMTPUTF8"
            )
        # "=" never appears unencoded in a quoted-printable body, so the boundary cannot either
        boundary = f"=_digest_{secrets.token_hex(12)}"
        mailboxes = [
            ("From", _mailbox(self.from_name, self.from_email)),
            ("To", _mailbox(self.to_name, self.to_email)),
            *([("Reply-To", _mailbox(None, self.reply_to))] if self.reply_to else []),
        ]
        fields = [
            ("Subject", self.subject),
            ("Date", format_datetime(datetime.now(UTC))),
            ("Message-ID", self.message_id),
            *self.headers().items(),
            ("MIME-Version", "1.0"),
            ("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
        ]
        head = "".join(_mailbox_header(n, v) for n, v in mailboxes) + "".join(
            _header(n, v) for n, v in fields
        )
        parts = b"".join(
            f"--{boundary}\n".encode() + _part(subtype, body)
            for subtype, body in (("plain", self.text), ("html", self.html))
        )
        return head.encode("utf-8" if utf8 else "ascii") + b"\n" + parts + f"--{boundary}--\n".encode()


def of_list(lst: MailingList, **fields: Any) -> Outgoing:
    """An Outgoing from the list's sender, with its reply address and id, and the other `fields`."""
    return Outgoing(
        from_email=lst.from_address, from_name=lst.from_name, reply_to=lst.reply_to, list_id=lst.id, **fields
    )


def _domain(address: str) -> str:
    return wire_form(address).rpartition("@")[2]


def _mailbox(name: str | None, address: str) -> str:
    """`name <address>`: the name quoted or RFC 2047-encoded as formataddr does it, the address in its
    wire form (IDNA domain; a non-ASCII part before the @ as it is, which formataddr would refuse)."""
    name, address = one_line(name or ""), wire_form(address)
    if address.isascii():
        return formataddr((name, address))
    return f"{formataddr((name, 'x@x')).removesuffix(' <x@x>')} <{address}>" if name else address


def _mailbox_header(name: str, value: str) -> str:
    if value.isascii():
        return _header(name, value)
    line = f"{name}: {value}\n"  # RFC 6532: a UTF-8 address stands as it is
    return line if len(line.encode()) <= 998 else line.replace(" <", "\n <", 1)  # fold before the address


def _header(name: str, value: str) -> str:
    if value.isascii() and len(name) + len(value) < 990:
        return f"{name}: {value}\n"
    folded: str = POLICY.header_factory(name, value).fold(policy=POLICY)  # RFC 2047 encoded words, folded
    return folded


def _part(subtype: str, body: str) -> bytes:
    encoded = binascii.b2a_qp(body.encode("utf-8"), istext=True)
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\nContent-Transfer-Encoding: quoted-printable\n\n'.encode()
        + encoded
        + b"\n"  # this line break belongs to the boundary line that follows (RFC 2046)
    )


def substitution_keys(content: MessageTemplate) -> tuple[str, str, dict[str, tuple[str, str]]]:
    """(html, text, field -> (html key, text key)) for providers that substitute per recipient.

    HTML takes escaped values and text raw ones, so the text part gets its own keys; each text key
    ends differently from every html key, so neither is found inside the other.
    """
    keys = {}
    text = content.text
    for field, marker in content.markers.items():
        text_key = marker.removesuffix("@@") + ".text@@"
        text = text.replace(marker, text_key)
        keys[field] = (marker, text_key)
    return content.html, text, keys


def substitutions(message: Outgoing, keys: dict[str, tuple[str, str]]) -> dict[str, str]:
    out = {}
    for field, (html_key, text_key) in keys.items():
        value = message.values.get(field, "")
        out[html_key] = html_escape.escape(value, quote=True)
        out[text_key] = value
    return out


def message_id_parts(edition_id: int, from_email: str) -> tuple[str, str]:
    """What goes before and after the delivery id (the store builds many at once from these)."""
    return f"<digest.{edition_id}.", f"@{_domain(from_email)}>"


def message_id(edition_id: int, delivery_id: int, from_email: str) -> str:
    """Stable per delivery, so a resent message is recognisably the same one."""
    prefix, suffix = message_id_parts(edition_id, from_email)
    return f"{prefix}{delivery_id}{suffix}"


def ids_of_message_id(value: str) -> tuple[int, int] | None:
    """(edition id, delivery id) of a Message-ID that `message_id` made, as a bounce or a complaint
    report quotes it; None for any other (a notice's, someone else's)."""
    found = _MESSAGE_ID.fullmatch(value.strip())
    return (int(found.group(1)), int(found.group(2))) if found else None


_MESSAGE_ID = re.compile(r"<digest\.(\d{1,18})\.(\d{1,18})@[^<>@\s]+>")


def delivery_key(delivery_id: int) -> str:
    """A delivery row's message key: its outbox file is `00000042.eml`, rewritten by a resend."""
    return f"{delivery_id:08d}"


def notice_key(kind: str) -> str:
    """A notice's own key, unlike any delivery row's: `confirm-3f2a...` (its outbox file, its Message-ID)."""
    return f"{kind}-{secrets.token_hex(8)}"


def notice_message_id(key: str, from_email: str) -> str:
    return f"<digest.{key}@{_domain(from_email)}>"
