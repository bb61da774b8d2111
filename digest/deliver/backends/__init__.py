"""Delivery backends: one interface, a batch in and one result per message out.

As django-anymail's backends do, each backend turns its provider's errors into three outcomes:
accepted, retry (later, with when) or failed (for good, with why). A misconfiguration that no
retry can fix (a wrong API key, a refused login) raises BackendError instead: the send stops and
the batch goes back to pending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal, Protocol

from digest.deliver.message import Outgoing
from digest.errors import DigestError

if TYPE_CHECKING:
    from digest.config import Settings


@dataclass(frozen=True)
class Result:
    delivery_id: int
    status: Literal["accepted", "retry", "failed"]
    reason: str | None = None
    retry_at: datetime | None = None


class BackendError(DigestError):
    """Nothing in the batch was handed over, and retrying will not help until the setup is fixed."""


class Backend(Protocol):
    name: str

    def send(self, batch: list[Outgoing]) -> list[Result]: ...


def make_backend(settings: Settings) -> Backend:
    kind = settings.delivery.backend
    if kind == "file":
        from .file import FileBackend

        return FileBackend(settings.path(settings.delivery.outbox))
    if kind == "console":
        from .console import ConsoleBackend

        return ConsoleBackend()
    if kind == "sendgrid":
        from .sendgrid import SendGridBackend

        return SendGridBackend.from_settings(settings.delivery)
    if kind == "smtp":
        from .smtp import SmtpBackend

        return SmtpBackend.from_settings(settings.delivery)
    raise NotImplementedError(f"delivery.backend: no {kind!r} backend")
