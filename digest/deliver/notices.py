"""Notices: the mail a list sends one person at a time (a subscription's confirmation, a welcome,
an editor's review request), rendered from the list's templates in its language and handed to the
configured backend as transactional mail: a message of its own key, without List-Unsubscribe
headers, and without a delivery row (nothing is resumed or counted for it)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from html import escape
from typing import Protocol

from sqlalchemy import Engine

from digest.config import Settings
from digest.deliver.backends import Backend, make_backend
from digest.deliver.message import Outgoing, notice_key, notice_message_id
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


def plain_html(text: str) -> str:
    """The HTML part of a notice written as plain text: each paragraph (blank-line separated) escaped."""
    return "<p>" + "</p><p>".join(escape(part) for part in text.split("\n\n")) + "</p>"


class SendNotice(Protocol):
    """Sends one rendered notice; tests stand in with a function that captures the calls."""

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
        key = notice_key("notice")
        message = Outgoing(
            key=key,
            to_email=recipient_email,
            to_name=None,
            from_email=lst.from_address,
            from_name=lst.from_name,
            reply_to=lst.reply_to,
            content=MessageTemplate(subject=subject, html=html, text=text, markers={}),
            values={},
            list_id=list_id,
            message_id=notice_message_id(key, lst.from_address),
        )
        [result] = backend.send([message])
        if result.status != "accepted":
            log.warning("notice to list %s not sent: %s", list_id, result.reason)
            raise NoticeError(
                f"the {backend.name} backend did not take the message: {result.reason}",
                result.status == "failed",
            )

    return send


class Notices:
    """Every notice a list sends, rendered and mailed: the one way the CLI, the scheduler and the web
    app send them. `send` stands in for the backend in tests."""

    def __init__(self, settings: Settings, engine: Engine, *, send: SendNotice | None = None):
        self.render = notices_for(settings)
        self.deliver = send or notice_sender(settings, engine)

    def send(self, kind: Notice, lst: MailingList, email: str, values: Mapping[str, object]) -> None:
        """`values` holds the notice's fields (render.notices.NOTICE_FIELDS) and what else it says."""
        mail = self.render(kind, lst, values)
        self.deliver(email, mail.subject, mail.text, mail.html, list_id=lst.id)
