"""One-off notices (a subscription's confirmation, an editor's review request) through the
configured backend, as transactional mail: no List-Unsubscribe headers, no delivery row."""

from __future__ import annotations

import logging
import secrets
from typing import Protocol

from sqlalchemy import Engine

from digest.config import Settings
from digest.deliver.backends import Backend, make_backend
from digest.deliver.message import Outgoing, message_id
from digest.errors import Unavailable
from digest.render import MessageTemplate
from digest.render.notices import Notice, notices_for
from subscribers.models import MailingList
from subscribers.service import get_list

log = logging.getLogger("digest.notices")


class NoticeError(Unavailable):
    """The notice did not go out; `refused` when the backend failed it for good (the address cannot get
    our mail: asking again will not help), as opposed to a setup or a provider that may recover."""

    def __init__(self, reason: str, refused: bool = False):
        super().__init__(reason)
        self.refused = refused


class SendNotice(Protocol):
    """Sends one notice; tests stand in with a function that captures the calls."""

    def __call__(self, recipient_email: str, subject: str, text: str, html: str, *, list_id: str) -> None: ...


def notice_sender(settings: Settings, engine: Engine, backend: Backend | None = None) -> SendNotice:
    """A SendNotice that mails from the list's own identity through `backend` (default: the
    configured one). A notice the backend does not take raises NoticeError with its reason."""
    backend = backend or make_backend(settings)

    def send(recipient_email: str, subject: str, text: str, html: str, *, list_id: str) -> None:
        with engine.connect() as conn:
            lst = get_list(conn, list_id)
        if lst is None:
            raise NoticeError(f"no list with id {list_id!r}")
        notice_id = secrets.randbits(40)  # names the outbox file; matches no delivery row
        message = Outgoing(
            delivery_id=notice_id,
            edition_id=0,
            to_email=recipient_email,
            to_name=None,
            from_email=lst.from_address,
            from_name=lst.from_name,
            reply_to=lst.reply_to,
            content=MessageTemplate(subject=subject, html=html, text=text, markers={}),
            values={},
            unsubscribe_url="",
            list_id=list_id,
            message_id=message_id(0, notice_id, lst.from_address),
        )
        [result] = backend.send([message])
        if result.status != "accepted":
            log.warning("notice to list %s not sent: %s", list_id, result.reason)
            raise NoticeError(
                f"the {backend.name} backend did not take the message: {result.reason}", result.status == "failed"
            )

    return send


class Notices:
    """Every notice a list sends (a confirmation, a welcome): rendered from the list's templates in its
    language, its fields filled, and mailed through the backend. The one way the CLI and the web app
    send them; `send` stands in for the backend in tests."""

    def __init__(self, settings: Settings, engine: Engine, *, send: SendNotice | None = None):
        self.render = notices_for(settings)
        self.deliver = send or notice_sender(settings, engine)

    def send(self, kind: Notice, lst: MailingList, email: str, values: dict[str, str]) -> None:
        mail = self.render(kind, lst, values)
        self.deliver(email, mail.subject, mail.text, mail.html, list_id=lst.id)
