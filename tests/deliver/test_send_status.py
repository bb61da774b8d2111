"""A send's figures as the board shows them: the time left is what remains at the pace so far."""

from __future__ import annotations

from datetime import timedelta

from digest.deliver.control import SendStatus
from digest.domain import EditionStatus, SendState


def test_the_time_left_is_the_rest_at_the_rate_so_far_and_none_without_a_rate_or_a_rest():
    counts = {"sent": 10, "failed": 1, "pending": 14, "sending": 2, "deferred": 4}
    assert SendStatus(EditionStatus.SENDING, SendState.RUNNING, counts, rate=2.0).time_left == timedelta(seconds=10)
    assert SendStatus(EditionStatus.SENDING, SendState.RUNNING, counts).time_left is None  # nothing sent yet
    assert SendStatus(EditionStatus.SENT, SendState.DONE, {"sent": 10}, rate=2.0).time_left is None
