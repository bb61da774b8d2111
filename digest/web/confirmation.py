"""The confirmation mail of double opt-in; digest.deliver.notices sends it through the configured backend.

Anything that sends mail can stand in, as long as it is a `SendConfirmation`; tests capture the calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from digest.config import ListSettings, Settings
from digest.render import personalize
from digest.render.notices import render_notice
from subscribers.models import MailingList

CONFIRM_DAYS = 7  # how long a confirmation link stays valid


class SendConfirmation(Protocol):
    def __call__(self, recipient_email: str, subject: str, text: str, html: str, *, list_id: str) -> None: ...


@dataclass(frozen=True)
class ConfirmationMail:
    subject: str
    text: str
    html: str


ConfirmationFor = Callable[[MailingList, str], ConfirmationMail]


def confirmation_for(settings: Settings) -> ConfirmationFor:
    """The confirmation mail of a list, from its templates (templates/confirm.*), with the link in it.
    A list made at the command line rather than in config.yaml gets the default look."""

    def mail(lst: MailingList, link: str) -> ConfirmationMail:
        configured = {x.id: x for x in settings.lists}
        look = configured.get(lst.id) or ListSettings(
            id=lst.id, name=lst.name, language=lst.language, from_address=lst.from_address, from_name=lst.from_name
        )
        template = render_notice("confirm", look, settings.template_folders(look))
        html, text = personalize(template, {"confirm_url": link})
        return ConfirmationMail(template.subject, text, html)

    return mail
