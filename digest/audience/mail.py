"""The mail subscriber operations send, with the signed links in it: a subscription's confirmation
and, once confirmed, the welcome. The one way either goes out, whoever asks (the subscribe form, a
renewed link, the preferences page, `digest subscribers add`)."""

from __future__ import annotations

import logging
from functools import cached_property

from sqlalchemy import Engine

from digest import config
from digest.deliver.notices import NoticeError, Notices, SendNotice
from digest.links import Links, signer
from digest.render.notices import Notice
from subscribers.models import MailingList, Subscriber
from subscribers.tokens import Tokens

log = logging.getLogger("digest.audience")


class Mailer:
    """Signs with `secret_key`: without one, whatever needs a link raises ConfigError. The backend
    is made when the first mail goes out, so operations that mail nothing never need it."""

    def __init__(
        self, settings: config.Settings, engine: Engine, secret_key: str | None, send: SendNotice | None
    ):
        self._settings, self._engine, self._key, self._send = settings, engine, secret_key, send

    @cached_property
    def tokens(self) -> Tokens:
        return signer(self._key)

    @cached_property
    def links(self) -> Links:
        return Links(self._settings.base_url, self.tokens)

    @cached_property
    def notices(self) -> Notices:
        return Notices(self._settings, self._engine, send=self._send)

    def require_key(self) -> None:
        """ConfigError now, before anything is stored, when links cannot be signed."""
        _ = self.tokens

    def prepare(self) -> None:
        """Make the signer and the backend now, so a process that will mail (the web app) stops at its
        start when either cannot be set up, rather than at its first reader."""
        _ = self.tokens, self.notices

    def preferences_url(self, holder: Subscriber) -> str:
        assert holder.id is not None
        return self.links.preferences(holder.id, holder.nonce)

    def confirmation(self, lst: MailingList, holder: Subscriber, to: str) -> None:
        """Mail `to` the link that confirms `holder`'s pending membership of `lst`. Raises NoticeError
        when it did not go out (`refused` when the address refuses our mail: asking again will not help)."""
        assert holder.id is not None
        self._send_notice(
            "confirm", lst, to, {"confirm_url": self.links.confirm(holder.id, lst.id, holder.nonce)}
        )

    def welcome(self, lst: MailingList, holder: Subscriber) -> None:
        """Welcome a member just confirmed, with the way out from the start. One that does not go out is
        logged: the subscription holds all the same."""
        assert holder.id is not None
        values = {
            "unsubscribe_url": self.links.unsubscribe(holder.id, lst.id, holder.nonce),
            "preferences_url": self.preferences_url(holder),
        }
        try:
            self._send_notice("welcome", lst, holder.email, values)
        except NoticeError:
            pass  # logged on the way

    def _send_notice(self, kind: Notice, lst: MailingList, to: str, values: dict[str, str]) -> None:
        """Whatever stops a notice (the backend's answer, its setup, a template) is a NoticeError."""
        try:
            self.notices.send(kind, lst, to, values)
        except NoticeError:
            raise  # the backend's answer, logged by digest.deliver.notices
        except Exception as exc:
            log.warning("%s mail for list %s not sent", kind, lst.id, exc_info=True)
            raise NoticeError(f"the {kind} mail for list {lst.id} did not go out: {exc}") from exc
