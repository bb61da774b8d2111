"""One recipient's RFC 5322 message: multipart/alternative with the list headers of RFC 2369 and RFC 8058."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

# Long header values such as List-Unsubscribe URLs must stay plain ASCII on one line, not be
# folded into RFC 2047 encoded words (which no mail client would read as a URL).
POLICY = policy.default.clone(max_line_length=998)


def _one_line(value: str) -> str:
    """Header values never carry CR or LF."""
    return " ".join(value.replace("\r", " ").replace("\n", " ").split())


@dataclass(frozen=True)
class Outgoing:
    delivery_id: int
    to_email: str
    to_name: str | None
    from_email: str
    from_name: str
    reply_to: str | None
    subject: str
    html: str
    text: str
    unsubscribe_url: str
    list_id: str
    message_id: str

    def headers(self) -> dict[str, str]:
        """Headers beyond From/To/Subject, as a provider API takes them."""
        return {
            "List-Unsubscribe": f"<{self.unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"<{self.list_id}.{self.from_email.rsplit('@', 1)[-1]}>",
        }

    def to_email_message(self) -> EmailMessage:
        msg = EmailMessage(policy=POLICY)
        msg["From"] = formataddr((_one_line(self.from_name), self.from_email))
        msg["To"] = formataddr((_one_line(self.to_name or ""), self.to_email))
        if self.reply_to:
            msg["Reply-To"] = self.reply_to
        msg["Subject"] = _one_line(self.subject)
        msg["Date"] = format_datetime(datetime.now(UTC))
        msg["Message-ID"] = self.message_id
        for name, value in self.headers().items():
            msg[name] = value
        msg.set_content(self.text)
        msg.add_alternative(self.html, subtype="html")
        return msg


def message_id(edition_id: int, delivery_id: int, from_email: str) -> str:
    """Stable per delivery, so a resent message is recognisably the same one."""
    return f"<digest.{edition_id}.{delivery_id}@{from_email.rsplit('@', 1)[-1]}>"
