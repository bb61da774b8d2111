"""Delivery backends: one interface, a batch in and one result per message out.

As django-anymail's backends do, each backend turns its provider's errors into three outcomes:
accepted, retry (later, with when) or failed (for good, with why). A misconfiguration that no
retry can fix (a wrong API key, a refused login) raises BackendError instead: the send stops and
the batch goes back to pending. A message that cannot be built for one recipient (message.Unbuildable,
or any ValueError of its building) is that recipient's failure, never the batch's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal, Protocol

from digest.deliver.message import Outgoing
from digest.errors import BackendError

if TYPE_CHECKING:
    from digest.config import Settings


@dataclass(frozen=True)
class Result:
    """What became of one message of the batch, named by its key (Outgoing.key)."""

    key: str
    status: Literal["accepted", "retry", "failed"]
    reason: str | None = None
    retry_at: datetime | None = None


class Backend(Protocol):
    """Takes edition copies and notices alike: a batch of Outgoing, one Result per message."""

    name: str

    def send(self, batch: list[Outgoing]) -> list[Result]: ...


def utf8_refusal(settings: Settings) -> Callable[[], str | None]:
    """Why the configured delivery cannot carry mail to an address whose part before the @ is not
    ASCII, or None when it can: the subscribe form, `subscribers add` and import refuse such an
    address up front, so no one waits for a confirmation that cannot come.

    The outbox and the console can; SendGrid cannot (see sendgrid.py); an SMTP relay can when it
    offers SMTPUTF8, which it is asked each time (a relay that cannot be reached counts as able: the
    send then fails only that recipient, with the reason, if it is not).
    """
    kind = settings.delivery.backend
    if kind == "sendgrid":
        return lambda: "the sendgrid backend does not deliver to such addresses"
    if kind == "smtp":
        from digest.deliver.backends.smtp import SmtpBackend

        def ask() -> str | None:
            try:
                relay = SmtpBackend.from_settings(settings.delivery)
            except BackendError:  # the password is not set: the send will say so
                return None
            if relay.offers_smtputf8():
                return None
            return f"the SMTP relay {relay.relay.host}:{relay.relay.port} does not offer SMTPUTF8, which it needs"

        return ask
    return lambda: None


def make_backend(settings: Settings) -> Backend:
    kind = settings.delivery.backend
    if kind == "file":
        from digest.deliver.backends.file import FileBackend

        bounces = settings.delivery.bounces.address
        return FileBackend(settings.path(settings.delivery.outbox), str(bounces) if bounces else None)
    if kind == "console":
        from digest.deliver.backends.console import ConsoleBackend

        return ConsoleBackend()
    if kind == "sendgrid":
        from digest.deliver.backends.sendgrid import SendGridBackend

        return SendGridBackend.from_settings(settings.delivery)
    if kind == "smtp":
        from digest.deliver.backends.smtp import SmtpBackend

        return SmtpBackend.from_settings(settings.delivery)
    raise NotImplementedError(f"delivery.backend: no {kind!r} backend")
