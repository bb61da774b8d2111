"""Every subscriber operation, as the web app's routes and the CLI's commands call it: one method
each, which opens the transaction, applies the subscriber domain's rules (subscribers.*) and adds what
digest brings to them: signed links, the mail an operation sends (digest.audience.mail), the delivery
rows erasure must forget (digest.audience.privacy).

An edge parses its input, calls one method and renders the result; it never touches the store. A
link in mail is read here too: `*_link(token)` says whom and which list a token names (InvalidToken
when it names nobody we can act on), and the operation then takes what it returned.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Connection, Engine

from digest.audience import privacy
from digest.audience.mail import Mailer
from digest.config import Settings
from digest.deliver.backends import utf8_refusal
from digest.deliver.notices import NoticeError, SendNotice
from subscribers import optin
from subscribers import preferences as choices
from subscribers.addresses import normalize
from subscribers.errors import NotFound
from subscribers.exporter import export_csv
from subscribers.importer import CsvFormat, ImportReport, RowError, import_csv
from subscribers.models import MailingList, MembershipStatus, Subscriber, new_list, person, status_named
from subscribers.optin import Outcome, SubscribeLimits, Subscription
from subscribers.preferences import Preferences
from subscribers.service import (
    all_lists,
    create_list,
    find_subscriber,
    get_list,
    member_counts,
    membership_status,
    require_list,
    token_holder,
    unsubscribe,
)
from subscribers.suppression import suppress
from subscribers.tokens import Claim, InvalidToken

CONFIRM_DAYS = 7  # how long a confirmation link stays valid


@dataclass(frozen=True)
class ListSummary:
    lst: MailingList
    counts: dict[MembershipStatus, int]  # members by status
    subscribe_url: str


class Confirmation(Enum):
    """Where a confirmation link stands."""

    ASK = "ask"  # pending: the page asks for the button press that confirms
    EXPIRED = "expired"  # pending, but the link is too old: a new one is offered
    CONFIRMED = "confirmed"  # confirmed by this press; the welcome mail went out
    ALREADY_CONFIRMED = "already_confirmed"
    NOT_PENDING = "not_pending"  # left, erased or suppressed since the link was sent: subscribe again


@dataclass(frozen=True)
class ConfirmLink:
    lst: MailingList
    claim: Claim
    holder: Subscriber | None  # None: nobody holds the link any more (erased since)
    expired: bool


@dataclass(frozen=True)
class Confirmed:
    state: Confirmation
    email: str = ""
    preferences_url: str | None = None


@dataclass(frozen=True)
class UnsubscribeLink:
    lst: MailingList
    claim: Claim
    holder: Subscriber | None  # None: erased since, there is nothing left to stop
    preferences_url: str | None


@dataclass(frozen=True)
class Saved:
    preferences: Preferences
    unsent: list[MailingList]  # double opt-in lists joined whose confirmation mail did not go out


class Audience:
    """The subscriber operations of one instance. `secret_key` signs the links in mail: an operation
    that mails one refuses (ConfigError) before it stores anything when there is none. `send` stands
    in for the delivery backend in tests."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        *,
        secret_key: str | None,
        send: SendNotice | None = None,
        limits: SubscribeLimits = SubscribeLimits(),
        confirm_days: int = CONFIRM_DAYS,
    ):
        self.settings, self.engine = settings, engine
        self.mail = Mailer(settings, engine, secret_key, send)
        self.limits, self.confirm_days = limits, confirm_days
        # Why the delivery cannot carry an address whose part before the @ is not ASCII; asked only
        # when such an address comes.
        self.utf8_refusal = utf8_refusal(settings)

    # --- lists ---------------------------------------------------------------------------------

    def mailing_list(self, list_id: str) -> MailingList:
        with self.engine.connect() as conn:
            return require_list(conn, list_id)

    def create_list(self, list_id: str, name: str, **fields: Any) -> MailingList:
        """A list made outside config.yaml (subscribers.models.new_list says which fields it takes)."""
        lst = new_list(list_id, name, **fields)
        with self.engine.begin() as conn:
            create_list(conn, lst)
        return lst

    def lists(self) -> list[ListSummary]:
        with self.engine.connect() as conn:
            return [self._summary(conn, lst) for lst in all_lists(conn)]

    def list_summary(self, list_id: str) -> ListSummary:
        with self.engine.connect() as conn:
            return self._summary(conn, require_list(conn, list_id))

    def _summary(self, conn: Connection, lst: MailingList) -> ListSummary:
        return ListSummary(lst, member_counts(conn, lst.id), f"{self.settings.base_url}/subscribe/{lst.id}")

    # --- joining -------------------------------------------------------------------------------

    def subscribe(
        self, lst: MailingList, email: str, *, name: str, language: str, origin: str | None, wording: str
    ) -> Outcome:
        """The public form: double opt-in records the request and mails the confirmation link.

        Raises InvalidAddress (NotDeliverable for an address the delivery cannot carry) or
        InvalidValue for the name, before anything is stored; NoticeError when the confirmation did
        not go out (the membership stays pending: the person may ask again). The outcome should be
        told alike for all but RATE_LIMITED, so the form reveals nobody's membership.
        """
        sub = person(email, name=name, language=language)
        with self.engine.begin() as conn:
            result = optin.request_subscription(
                conn,
                lst,
                sub,
                method="form",
                origin=origin,
                wording=wording,
                limits=self.limits,
                utf8_refusal=self.utf8_refusal,
            )
        self._mail_confirmation(lst, result, email.strip())
        return result.outcome

    def add(
        self,
        list_id: str,
        email: str,
        *,
        name: str | None = None,
        language: str | None = None,
        timezone: str | None = None,
        consent: str | None = None,
        origin: str,
    ) -> Subscription:
        """An admin adds someone: with `consent` (where it comes from) a confirmed member at once;
        without, a double opt-in list mails them its confirmation link (subscribers.optin.add).
        `origin` says where the admin acts from (the CLI)."""
        if consent is None:
            self.mail.require_key()  # the link is signed: without the key, refuse before anything is stored
        sub = person(email, name=name, language=language, timezone=timezone)
        with self.engine.begin() as conn:
            lst = require_list(conn, list_id)
            result = optin.add(conn, lst, sub, consent=consent, origin=origin, utf8_refusal=self.utf8_refusal)
        self._mail_confirmation(lst, result, email.strip())
        return result

    def confirm_link(self, token: str) -> ConfirmLink:
        """What a confirmation link names; an expired one still says whom (the page offers a new link)."""
        try:
            claim, expired = self.mail.tokens.verify("confirm", token, max_age=self.confirm_days * 86400), False
        except InvalidToken as exc:
            if not exc.expired or exc.claim is None:
                raise
            claim, expired = exc.claim, True
        with self.engine.connect() as conn:
            lst = self._list_of(conn, claim)
            return ConfirmLink(lst, claim, token_holder(conn, claim), expired)

    def confirmation(self, link: ConfirmLink) -> Confirmed:
        """Where the link stands, for the page it opens (which confirms nothing: scanners fetch it)."""
        holder = link.holder
        with self.engine.connect() as conn:
            status = membership_status(conn, holder.id, link.lst.id) if holder and holder.id else None
        if status == MembershipStatus.CONFIRMED:
            return Confirmed(Confirmation.ALREADY_CONFIRMED)
        if status != MembershipStatus.PENDING or holder is None:
            return Confirmed(Confirmation.NOT_PENDING)
        return Confirmed(Confirmation.EXPIRED if link.expired else Confirmation.ASK, holder.email)

    def confirm(self, link: ConfirmLink, *, origin: str | None) -> Confirmed:
        """The button press: confirms a pending membership and sends the welcome mail (a welcome that
        does not go out is logged; the subscription holds)."""
        holder = link.holder
        if link.expired:
            return Confirmed(Confirmation.EXPIRED)
        if holder is None or holder.id is None:
            return Confirmed(Confirmation.NOT_PENDING)
        with self.engine.begin() as conn:
            outcome = optin.confirm(conn, holder, link.lst.id, origin=origin)
        if outcome is Outcome.NOT_PENDING:
            return Confirmed(Confirmation.NOT_PENDING)
        if outcome is Outcome.ALREADY_CONFIRMED:
            return Confirmed(Confirmation.ALREADY_CONFIRMED)
        self.mail.welcome(link.lst, holder)
        return Confirmed(Confirmation.CONFIRMED, holder.email, self.mail.preferences_url(holder))

    def renew(self, link: ConfirmLink, *, origin: str | None) -> Outcome:
        """A new confirmation link, for one that expired: mailed while the membership is pending
        (CONFIRMATION_NEEDED), rate-limited as the form is. Raises NoticeError when it did not go out."""
        holder = link.holder
        if holder is None or holder.id is None:
            return Outcome.NOT_PENDING
        with self.engine.begin() as conn:
            result = optin.renew(conn, holder, link.lst.id, origin=origin, limits=self.limits)
        self._mail_confirmation(link.lst, result, holder.email)
        return result.outcome

    def _mail_confirmation(self, lst: MailingList, result: Subscription, to: str) -> None:
        if result.outcome is Outcome.CONFIRMATION_NEEDED and result.subscriber is not None:
            self.mail.confirmation(lst, result.subscriber, to)

    # --- leaving -------------------------------------------------------------------------------

    def unsubscribe_link(self, token: str) -> UnsubscribeLink:
        claim = self.mail.tokens.verify("unsubscribe", token)
        with self.engine.connect() as conn:
            lst = self._list_of(conn, claim)
            holder = token_holder(conn, claim)
        return UnsubscribeLink(lst, claim, holder, self.mail.preferences_url(holder) if holder else None)

    def unsubscribe(self, link: UnsubscribeLink, *, everything: bool, one_click: bool, origin: str | None) -> list[str]:
        """Leave the link's list (RFC 8058's one-click POST, or the page's button), or everything.
        Returns the lists left; a link of someone erased since leaves nothing, and says so to nobody."""
        if link.holder is None or link.holder.id is None:
            return []
        method = "one-click" if one_click else "link"
        with self.engine.begin() as conn:
            return unsubscribe(conn, link.holder.id, None if everything else link.lst.id, method=method, origin=origin)

    def unsubscribe_address(self, email: str, list_id: str | None, *, origin: str) -> tuple[Subscriber, list[str]]:
        """An admin unsubscribes an address from one list, or from all (`list_id` None)."""
        with self.engine.begin() as conn:
            sub = find_subscriber(conn, email)
            if sub is None or sub.id is None:
                raise NotFound(f"{normalize(email)}: no subscriber with this address")
            if list_id is not None:
                require_list(conn, list_id)
            return sub, unsubscribe(conn, sub.id, list_id, method="admin", origin=origin)

    # --- preferences ---------------------------------------------------------------------------

    def preferences(self, token: str) -> Preferences:
        """The page behind a preferences link: InvalidToken when it names nobody (erased since)."""
        claim = self.mail.tokens.verify("preferences", token)
        with self.engine.connect() as conn:
            return choices.preferences(conn, self._holder(conn, claim))

    def save_preferences(
        self,
        token: str,
        *,
        lists: Iterable[str],
        language: str | None,
        timezone: str | None,
        leave_all: bool,
        origin: str | None,
        wording: str,
    ) -> Saved:
        """Save the page: leave everything, or join the ticked lists and leave the others, and set the
        language and the time zone (InvalidValue for one that is not, and nothing changes). Each
        double opt-in list joined waits, pending, for the confirmation link mailed here."""
        claim = self.mail.tokens.verify("preferences", token)
        with self.engine.begin() as conn:
            holder = self._holder(conn, claim)
            assert holder.id is not None
            if leave_all:
                unsubscribe(conn, holder.id, None, method="preferences", origin=origin)
                to_confirm = []
            else:
                to_confirm = choices.save(
                    conn, holder, set(lists), language=language, timezone=timezone, origin=origin, wording=wording
                )
        unsent = []
        for lst in to_confirm:  # pending until the link is used: ticking a box confirms nothing
            try:
                self.mail.confirmation(lst, holder, holder.email)
            except NoticeError:
                unsent.append(lst)
        with self.engine.connect() as conn:
            return Saved(choices.preferences(conn, self._holder(conn, claim)), unsent)

    def _holder(self, conn: Connection, claim: Claim) -> Subscriber:
        holder = token_holder(conn, claim)
        if holder is None or holder.id is None:
            raise InvalidToken("this link is not valid")
        return holder

    def _list_of(self, conn: Connection, claim: Claim) -> MailingList:
        lst = get_list(conn, claim.list_id) if claim.list_id else None
        if lst is None:  # a genuine token of a list deleted since, or one that names none
            raise InvalidToken("this link is not valid")
        return lst

    # --- import, export, privacy ---------------------------------------------------------------

    def import_csv(
        self,
        path: Path,
        list_id: str,
        *,
        consent: str | None,
        fmt: CsvFormat,
        mapping: dict[str, str],
        errors: Callable[[RowError], None],
        progress: Callable[[int], None],
    ) -> ImportReport:
        """Import a CSV file into a list (subscribers.importer): committed chunk by chunk."""
        with self.engine.connect() as conn:
            return import_csv(
                conn,
                path,
                list_id,
                consent=consent,
                mapping=mapping,
                errors=errors,
                progress=progress,
                utf8_refusal=functools.cache(self.utf8_refusal),  # one answer for the whole file
                fmt=fmt,
            )

    def export_csv(self, list_id: str, to: Path | TextIO, statuses: list[str] | None) -> int:
        """Export a list's members, of the statuses named only when some are, to a file (written only
        once the list and the statuses are found good) or a stream. Returns how many were written."""
        wanted = [status_named(s) for s in statuses or []]
        with self.engine.connect() as conn:
            require_list(conn, list_id)
            if isinstance(to, Path):
                with to.open("w", newline="", encoding="utf-8") as fh:
                    return export_csv(conn, list_id, fh, statuses=wanted)
            return export_csv(conn, list_id, to, statuses=wanted)

    def privacy_data(self, email: str) -> dict[str, Any]:
        with self.engine.connect() as conn:
            return privacy.export(conn, email)

    def suppress(self, email: str) -> bool:
        """Never mail, import or subscribe the address again. False when it already was."""
        with self.engine.begin() as conn:
            return suppress(conn, email, "manual")

    def erase(self, email: str) -> privacy.Erasure:
        with self.engine.begin() as conn:
            return privacy.erase(conn, email)
