"""The lede is the story's first sentence-shaped paragraph: not a headline repeated, not a photo caption."""

import pytest

from digest.domain import Article
from digest.trim.lede import lede_of

STORY = "The harbour board voted on Thursday to rebuild the old ferry pier, ending a dispute of three years."


@pytest.mark.parametrize(
    "before",
    [
        "BREAKING: Harbour Board Votes To Rebuild The Old Ferry Pier At Kestrel Bay After Dispute",  # a headline
        "Fishermen watch the storm damage on the old ferry pier at Kestrel Bay last winter. (AP Photo/Jo Kim)",
    ],
)
def test_a_headline_repeated_or_a_photo_caption_is_not_the_lede(before):
    assert lede_of(Article(title="Pier", paragraphs=[before, STORY]), 60) == STORY
