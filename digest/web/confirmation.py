"""The confirmation mail of double opt-in; digest.deliver.notices sends it through the configured backend.

Anything that sends mail can stand in, as long as it is a `SendConfirmation`; tests capture the calls.
"""

from __future__ import annotations

from dataclasses import dataclass
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
