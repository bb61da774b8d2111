"""The confirmation mail of double opt-in, and the default way to send it: an .eml file in the outbox.

Anything that sends mail can stand in, as long as it is a `SendConfirmation`; tests capture the calls.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path
from typing import Protocol

from jinja2 import Environment

from subscribers.models import MailingList

from .i18n import language_of, translator

CONFIRM_DAYS = 7  # how long a confirmation link stays valid


class SendConfirmation(Protocol):
    def __call__(self, recipient_email: str, subject: str, text: str, html: str, *, list_id: str) -> None: ...


@dataclass(frozen=True)
class ConfirmationMail:
    subject: str
    text: str
    html: str


def confirmation_mail(
    env: Environment, lst: MailingList, email: str, link: str, days: int
) -> ConfirmationMail:
    lang = language_of(lst.language)
    t = translator(lang)
    html = env.get_template("confirmation_email.html").render(
        t=t, lang=lang, list=lst, email=email, link=link, days=days
    )
    return ConfirmationMail(
        subject=t("mail_subject", list=lst.name),
        text=t("mail_text", list=lst.name, link=link, days=days),
        html=html,
    )


class OutboxSender:
    """Writes each confirmation as an .eml file into the outbox folder (atomically: tmp file, then rename)."""

    def __init__(self, folder: Path, list_of: Callable[[str], MailingList]):
        self.folder = folder
        self.list_of = list_of  # the list's sender identity, looked up at send time

    def __call__(self, recipient_email: str, subject: str, text: str, html: str, *, list_id: str) -> None:
        lst = self.list_of(list_id)
        msg = EmailMessage()
        msg["From"] = formataddr((lst.from_name, lst.from_address))
        msg["To"] = recipient_email
        if lst.reply_to:
            msg["Reply-To"] = lst.reply_to
        msg["Subject"] = subject
        msg["Date"] = format_datetime(datetime.now(UTC))
        msg["Message-ID"] = make_msgid(domain=lst.from_address.rpartition("@")[2] or None)
        msg["Auto-Submitted"] = "auto-generated"
        msg.set_content(text)
        msg.add_alternative(html, subtype="html")
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-confirm-{uuid.uuid4().hex[:12]}.eml"
        tmp = self.folder / f".{name}.tmp"
        tmp.write_bytes(msg.as_bytes())
        os.replace(tmp, self.folder / name)


def outbox_sender(settings, engine) -> OutboxSender:
    """Confirmations as .eml files in the configured outbox, sent from the list's own identity."""
    from subscribers.service import get_list

    def list_of(list_id: str) -> MailingList:
        with engine.connect() as conn:
            lst = get_list(conn, list_id)
        if lst is None:
            raise LookupError(f"no list with id {list_id!r}")
        return lst

    return OutboxSender(settings.path(settings.delivery.outbox), list_of)
