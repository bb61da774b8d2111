"""The lede is the story's first sentence-shaped paragraph: not a headline repeated, not a photo caption."""

from digest.domain import Article
from digest.trim.lede import lede_of

STORY = "The harbour board voted on Thursday to rebuild the old ferry pier, ending a dispute of three years."


def test_a_headline_repeated_in_the_body_is_not_the_lede():
    article = Article(
        title="Pier",
        paragraphs=[
            "BREAKING: Harbour Board Votes To Rebuild The Old Ferry Pier At Kestrel Bay After Dispute",
            STORY,
        ],
    )
    assert lede_of(article, 60) == STORY


def test_a_photo_caption_with_its_credit_is_not_the_lede():
    article = Article(
        title="Pier",
        paragraphs=[
            "Fishermen watch the storm damage on the old ferry pier at Kestrel Bay last winter. (AP Photo/Jo Kim)",
            STORY,
        ],
    )
    assert lede_of(article, 60) == STORY
