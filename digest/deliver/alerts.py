"""Alerts: an edition whose complaint or bounce rate is over its limit (digest.deliver.rates) is
mailed to its list's publishers (the active users who may send that list's editions: publishers
and admins), once per edition and kind of alert (the edition_alerts table, migration 0020).

It is checked when a send is done (rows refused at the send are bounces already), and after provider
events are applied (SendGrid's webhook, `digest bounces`) for the editions a bounce, a drop or a
complaint among them concerns whose alerts have not all gone out yet: opens, clicks and deliveries
cost nothing, an edition already alerted one lookup.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine

from digest.config import Settings
from digest.deliver.notices import Notices
from digest.deliver.rates import BOUNCE_LIMIT, COMPLAINT_LIMIT, COMPLAINTS, KINDS, EditionRates, edition_rates
from digest.deliver.tracking import EventKind, ProviderEvent
from digest.domain import Permission
from digest.errors import Unavailable
from digest.render.catalog import Catalog
from digest.store.accounts import all_users
from digest.store.alerts import alerted, claim_alert
from digest.store.deliveries import editions_of
from digest.store.editions import load_edition
from subscribers.service import get_list

log = logging.getLogger("digest.alerts")

WATCHED = frozenset({EventKind.BOUNCED, EventKind.DROPPED, EventKind.COMPLAINED})


def check_events(engine: Engine, settings: Settings, events: list[ProviderEvent],
                 notices: Notices | None = None) -> int:  # fmt: skip
    """Mail the alerts these (applied) events make due; how many alerts went out. A mail that
    fails is logged and tried again with the next event (its claim is rolled back)."""
    ids = sorted({e.delivery_id for e in events if e.kind in WATCHED and e.delivery_id is not None})
    if not ids:
        return 0
    with engine.connect() as conn:
        editions = sorted(editions_of(conn, ids))
    return check_editions(engine, settings, editions, notices)


def check_editions(engine: Engine, settings: Settings, editions: list[int],
                   notices: Notices | None = None) -> int:  # fmt: skip
    """Mail the alerts these editions are due (after their events, or once a send is done: rows the
    receiving servers refused at the send count as bounces before any event comes)."""
    with engine.connect() as conn:
        done = alerted(conn, editions)
        due = []
        for edition_id in editions:
            if all((edition_id, kind) in done for kind in KINDS):
                continue
            rates = edition_rates(conn, edition_id)
            due += [(kind, rates) for kind in rates.over if (edition_id, kind) not in done]
    sent = 0
    for kind, rates in due:
        try:
            sent += mail_alert(engine, settings, kind, rates, notices)
        except Unavailable as exc:  # the backend did not take it, or cannot be set up now
            log.warning("alert %s for edition #%s not mailed, tried again later: %s", kind, rates.edition_id, exc)
    return sent


def mail_alert(engine: Engine, settings: Settings, kind: str, rates: EditionRates,
               notices: Notices | None = None) -> bool:  # fmt: skip
    """Mail the alert to the edition's list's publishers unless it went out before; True if it went."""
    rate = rates.over[kind]
    with engine.begin() as conn:
        edition = load_edition(conn, rates.edition_id)
        mailing = get_list(conn, edition.list_id) if edition else None
        if edition is None or mailing is None or not claim_alert(conn, rates.edition_id, kind, rate):
            return False
        publishers = [u for u in all_users(conn) if u.may(Permission.SEND, edition.list_id)]
        facts = {
            "newsroom_url": f"{str(settings.public_url).rstrip('/')}/newsroom",
            "edition": rates.edition_id, "subject": edition.subject, "kind": kind, "rate": rate,
            "what": Catalog(settings.list_settings(mailing).language)(f"alert_kind_{kind}"),
            "limit": COMPLAINT_LIMIT if kind == COMPLAINTS else BOUNCE_LIMIT,
            "sent": rates.sent, "delivered": rates.delivered, "bounced": rates.bounced, "complained": rates.complained,
        }  # fmt: skip
        mailer = notices or Notices(settings, engine)
        for user in publishers:
            mailer.send("alert", mailing, user.email, facts)
    log.warning("edition #%s: %s at %.2f%%, over %.2f%%: mailed to %d publisher(s)", rates.edition_id, kind,
                rate * 100, facts["limit"] * 100, len(publishers))  # type: ignore[operator]  # fmt: skip
    return True
