"""Test sends (proofs): an edition's message as a subscriber gets it, sent to a few editors'
addresses through the configured backend before the real send. Marked as a test (its subject
starts with "[TEST]" and it carries the header X-Digest-Test: yes), without a delivery row, an unsubscribe header
or a personal link of any subscriber: nothing of it is resumed, counted or tracked."""

from __future__ import annotations

from dataclasses import dataclass, replace

from digest.config import ListSettings
from digest.deliver.backends import Backend
from digest.deliver.message import notice_key, notice_message_id, of_list
from digest.render import MessageTemplate

SUBJECT_PREFIX = "[TEST] "


@dataclass(frozen=True)
class ProofResult:
    address: str
    accepted: bool
    reason: str | None = None


def send_proofs(
    backend: Backend, lst: ListSettings, content: MessageTemplate, archive_url: str, to: list[str]
) -> list[ProofResult]:
    """One message to each address, in one batch; the reader's links stand in as the archive page."""
    marked = replace(content, subject=SUBJECT_PREFIX + content.subject)
    messages = [
        of_list(
            lst,
            key=(key := notice_key("test")),
            to_email=address,
            to_name=None,
            content=marked,
            values={
                "name": address.split("@")[0],
                "unsubscribe_url": archive_url,
                "preferences_url": archive_url,
                "archive_url": archive_url,
            },
            message_id=notice_message_id(key, lst.from_address),
            test=True,
        )
        for address in to
    ]
    results = {r.key: r for r in backend.send(messages)} if messages else {}
    return [
        ProofResult(m.to_email, results[m.key].status == "accepted", results[m.key].reason) for m in messages
    ]
