"""A test of the delivery backend: one short message to an admin's own address through the configured
backend, from the first list's identity, as notices go (no delivery row); an audit entry says who
asked and what the backend answered."""

from __future__ import annotations

from sqlalchemy import Engine

from digest.accounts import audit
from digest.config import Settings
from digest.deliver.notices import NoticeError, notice_sender, plain_html
from digest.domain import Actor
from digest.errors import Invalid

SUBJECT = "digest: a test of the delivery backend"


def try_backend(settings: Settings, engine: Engine, to: str, actor: Actor) -> str:
    """Sends the test and returns the backend's name; NoticeError (with the backend's reason) when
    the backend does not take it. Either way the attempt is in the audit log."""
    if not settings.lists:
        raise Invalid("no list is configured: the test is sent from a list's address")
    backend = settings.delivery.backend
    text = (f"This message was sent by digest's {backend} backend to check that mail goes out.\n\n"
            f"It was asked for from the settings page by {actor.name or to}.")  # fmt: skip
    outcome = "accepted"
    try:
        notice_sender(settings, engine)(to, SUBJECT, text, plain_html(text), list_id=settings.lists[0].id)
    except NoticeError as exc:
        outcome = str(exc)
        raise
    finally:
        with engine.begin() as conn:
            audit.record(conn, actor, "settings.test_delivery", "backend", backend, {"to": to, "outcome": outcome})
    return backend
