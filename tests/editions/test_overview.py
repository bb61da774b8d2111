"""What Today warns of in an open edition."""

from __future__ import annotations

from digest.domain import Brief, Edition
from digest.editions.overview import SUBJECT_MAX, DraftWarning, warnings_of


def test_an_edition_without_items_or_with_an_empty_lede_or_a_long_subject_is_flagged():
    assert warnings_of(Edition("world", "A subject", [])) == [DraftWarning("empty")]
    items = [Brief("One", "A lede."), Brief("Two", "  "), Brief("Three", "Another.")]
    assert warnings_of(Edition("world", "A subject", items)) == [DraftWarning("no_lede", 2)]
    assert warnings_of(Edition("world", "S" * SUBJECT_MAX, items[:1])) == []
    assert warnings_of(Edition("world", "S" * (SUBJECT_MAX + 1), items[:1])) == [DraftWarning("long_subject")]
