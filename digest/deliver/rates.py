"""An edition's bounce and complaint rates, and the limits over which its publishers are alerted:
the one rule the Today page, the alert mail (digest.deliver.alerts) and the edition report share.

    sent        delivery rows the backend settled: accepted (`sent`) or refused for good (`failed`)
    bounced     rows `failed`: refused at send, or reported after as a hard bounce (a provider's
                event, a DSN), which fails the row; soft bounces and deferrals are not counted
    complained  rows with a complaint (a provider's event, an ARF report), each person once
    bounce rate = bounced / sent       over BOUNCE_LIMIT (2 %): flagged
    complaint rate = complained / sent over COMPLAINT_LIMIT (0.1 %): flagged

Both rates are of `sent`, so they stay comparable across backends whether or not the backend
reports deliveries (SMTP does not). Gmail's and Yahoo's bulk-sender rules put the line that must
never be crossed at 0.3 % complaints; 0.1 % is the warning before it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from digest.deliver.tracking import EventKind
from digest.domain import DeliveryStatus
from digest.store.deliveries import delivery_counts
from digest.store.events import deliveries_with

COMPLAINT_LIMIT = 0.001
BOUNCE_LIMIT = 0.02
COMPLAINTS, BOUNCES = "complaints", "bounces"  # the kinds of alert
KINDS = (COMPLAINTS, BOUNCES)
LIMITS = {COMPLAINTS: COMPLAINT_LIMIT, BOUNCES: BOUNCE_LIMIT}


@dataclass(frozen=True)
class EditionRates:
    edition_id: int
    sent: int
    delivered: int  # sent and not bounced (rows `sent`)
    bounced: int
    complained: int

    @property
    def bounce_rate(self) -> float:
        return self.bounced / self.sent if self.sent else 0.0

    @property
    def complaint_rate(self) -> float:
        return self.complained / self.sent if self.sent else 0.0

    def count(self, kind: str) -> int:
        return self.complained if kind == COMPLAINTS else self.bounced

    @staticmethod
    def limit(kind: str) -> float:
        return LIMITS[kind]

    @property
    def over(self) -> dict[str, float]:
        """The kinds of alert this edition is over the limit of, each with its rate."""
        found = {}
        if self.complaint_rate > COMPLAINT_LIMIT:
            found[COMPLAINTS] = self.complaint_rate
        if self.bounce_rate > BOUNCE_LIMIT:
            found[BOUNCES] = self.bounce_rate
        return found


def edition_rates(conn: Connection, edition_id: int) -> EditionRates:
    """The edition's counts and rates, as this module's docstring defines them (two grouped counts,
    each over an index on edition_id)."""
    counts = delivery_counts(conn, edition_id)
    delivered = counts.get(DeliveryStatus.SENT, 0)
    bounced = counts.get(DeliveryStatus.FAILED, 0)
    return EditionRates(edition_id, delivered + bounced, delivered, bounced, deliveries_with(conn, edition_id, EventKind.COMPLAINED))
