"""An edition's bounce and complaint rates, and the limits over which its publishers are alerted
(digest.deliver.alerts) and Today flags it. The counts are the edition report's (one source:
digest.store.reports.counts; digest.editions.report says what each figure is):

    bounce rate = bounced / sent            over BOUNCE_LIMIT (2 %): flagged
    complaint rate = complaints / delivered over COMPLAINT_LIMIT (0.1 %): flagged

sent is every row the backend settled (delivered + bounced); a bounce is a refusal for good (at the
send, or a hard bounce reported after), a complaint a delivered message marked as spam, each
person once. Gmail's and Yahoo's bulk-sender rules measure complaints against the mail delivered,
and put the line that must never be crossed at 0.3 %; 0.1 % is the warning before it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from digest.store import reports
from digest.store.editions import list_of

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
        return self.complained / self.delivered if self.delivered else 0.0

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
    """The edition's counts, as its report counts them, and their rates."""
    window = reports.Window(list_of(conn, edition_id) or "", None, None)  # unsubscribes are not asked for
    c = reports.counts(conn, {edition_id: window}, readers=False)[edition_id]
    return EditionRates(edition_id, c.sent, c.delivered, c.bounced, c.complaints)
