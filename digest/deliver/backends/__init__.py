"""Delivery backends: one interface, a batch in and one result per message out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from digest.deliver.message import Outgoing


@dataclass(frozen=True)
class Result:
    delivery_id: int
    status: Literal["accepted", "retry", "failed"]
    reason: str | None = None
    retry_at: datetime | None = None


class Backend(Protocol):
    name: str

    def send(self, batch: list[Outgoing]) -> list[Result]: ...


def make_backend(settings) -> Backend:
    kind = settings.delivery.backend
    if kind == "file":
        from .file import FileBackend

        return FileBackend(settings.path(settings.delivery.outbox))
    if kind == "console":
        from .console import ConsoleBackend

        return ConsoleBackend()
    raise NotImplementedError(f"delivery.backend: the {kind!r} backend is not built yet; use file or console")
