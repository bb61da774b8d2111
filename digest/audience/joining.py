"""Joining a list: the public form, an admin's addition, the confirmation link and its renewal.
Double opt-in records the request and mails the confirmation link (subscribers.optin has the rules);
confirming takes the link's button and mails the welcome."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from digest.audience.service import Audience, list_of
from subscribers import optin
from subscribers.models import MailingList, MembershipStatus, Subscriber, person
from subscribers.optin import Outcome, Subscription
from subscribers.service import membership_status, require_list, token_holder
from subscribers.tokens import Claim, InvalidToken


def subscribe(
    aud: Audience, lst: MailingList, email: str, *, name: str, language: str, origin: str | None, wording: str
) -> Outcome:
    """The public form, in `language` with the consent `wording` it showed.

    Raises InvalidAddress (NotDeliverable for an address the delivery cannot carry) or InvalidValue
    for the name, before anything is stored; NoticeError when the confirmation did not go out (the
    membership stays pending: the person may ask again). A page should tell every outcome alike but
    RATE_LIMITED, so the form reveals nobody's membership.
    """
    sub = person(email, name=name, language=language)
    with aud.engine.begin() as conn:
        result = optin.request_subscription(
            conn,
            lst,
            sub,
            method="form",
            origin=origin,
            wording=wording,
            limits=aud.limits,
            utf8_refusal=aud.utf8_refusal,
        )
    _mail_confirmation(aud, lst, result, email.strip())
    return result.outcome


def add(
    aud: Audience,
    list_id: str,
    email: str,
    *,
    name: str | None = None,
    language: str | None = None,
    timezone: str | None = None,
    consent: str | None = None,
    origin: str,
) -> Subscription:
    """An admin adds someone (from `origin`, e.g. the CLI): with `consent`, where it comes from, a
    confirmed member at once; without, a double opt-in list mails them its confirmation link
    (subscribers.optin.add has the rules, and refuses a suppressed address)."""
    if consent is None:
        aud.mail.require_key()  # the link is signed: without the key, refuse before anything is stored
    sub = person(email, name=name, language=language, timezone=timezone)
    with aud.engine.begin() as conn:
        lst = require_list(conn, list_id)
        result = optin.add(conn, lst, sub, consent=consent, origin=origin, utf8_refusal=aud.utf8_refusal)
    _mail_confirmation(aud, lst, result, email.strip())
    return result


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


def confirm_link(aud: Audience, token: str) -> ConfirmLink:
    """What a confirmation link names; InvalidToken when it names nobody. An expired one still
    says whom (its signature was good), so the page can offer a new link."""
    try:
        claim, expired = aud.mail.tokens.verify("confirm", token, max_age=aud.confirm_days * 86400), False
    except InvalidToken as exc:
        if not exc.expired or exc.claim is None:
            raise
        claim, expired = exc.claim, True
    with aud.engine.connect() as conn:
        return ConfirmLink(list_of(conn, claim), claim, token_holder(conn, claim), expired)


def confirmation(aud: Audience, link: ConfirmLink) -> Confirmed:
    """Where the link stands, for the page it opens (which confirms nothing: mail scanners fetch it)."""
    holder = link.holder
    with aud.engine.connect() as conn:
        status = membership_status(conn, holder.id, link.lst.id) if holder and holder.id else None
    if status == MembershipStatus.CONFIRMED:
        return Confirmed(Confirmation.ALREADY_CONFIRMED)
    if status != MembershipStatus.PENDING or holder is None:
        return Confirmed(Confirmation.NOT_PENDING)
    return Confirmed(Confirmation.EXPIRED if link.expired else Confirmation.ASK, holder.email)


def confirm(aud: Audience, link: ConfirmLink, *, origin: str | None) -> Confirmed:
    """The button press: confirms a pending membership and mails the welcome (one that does not go
    out is logged; the subscription holds). An expired link confirms nothing."""
    holder = link.holder
    if link.expired:
        return Confirmed(Confirmation.EXPIRED)
    if holder is None:
        return Confirmed(Confirmation.NOT_PENDING)
    with aud.engine.begin() as conn:
        outcome = optin.confirm(conn, holder, link.lst.id, origin=origin)
    if outcome is Outcome.NOT_PENDING:
        return Confirmed(Confirmation.NOT_PENDING)
    if outcome is Outcome.ALREADY_CONFIRMED:
        return Confirmed(Confirmation.ALREADY_CONFIRMED)
    aud.mail.welcome(link.lst, holder)
    return Confirmed(Confirmation.CONFIRMED, holder.email, aud.mail.preferences_url(holder))


def renew(aud: Audience, link: ConfirmLink, *, origin: str | None) -> Outcome:
    """A new link for one that expired, mailed while the membership is pending (CONFIRMATION_NEEDED)
    and rate-limited as the form is. Raises NoticeError when it did not go out."""
    if link.holder is None:
        return Outcome.NOT_PENDING
    with aud.engine.begin() as conn:
        result = optin.renew(conn, link.holder, link.lst.id, origin=origin, limits=aud.limits)
    _mail_confirmation(aud, link.lst, result, link.holder.email)
    return result.outcome


def _mail_confirmation(aud: Audience, lst: MailingList, result: Subscription, to: str) -> None:
    if result.outcome is Outcome.CONFIRMATION_NEEDED and result.subscriber is not None:
        aud.mail.confirmation(lst, result.subscriber, to)
