"""The quote check: a quote that no longer stands word for word in its article blocks approval and
sending until it is fixed or marked as a deliberate paraphrase."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from digest.domain import Actor, Article, EditionStatus
from digest.editions import service
from digest.editions.quotecheck import appears_in, normalise
from digest.errors import Invalid
from digest.links import Links, signer
from digest.store.deliveries import delivery_counts
from digest.store.editions import changes
from digest.store.tables import articles
from tests.editions.test_service import newsroom  # noqa: F401 (a pytest fixture)

ARTICLE = Article(
    "Rain at last",
    [
        "The mayor spoke on Monday. “We have waited   for this rain\nfor three years,” she said.",
        "«\u00a0C’est une bonne nouvelle\u00a0», a-t-il ajouté. 'It is not enough,' said the farmer.",
        "“The reservoirs are low.",
        "“They will not fill this winter,” the engineer warned.",
    ],
)
ANA = Actor.named("Ana")


@pytest.mark.parametrize(
    "quote",
    [
        "We have waited for this rain for three years,",  # the line break and the spaces are one space
        "We have waited for this rain for three years",
        "C'est une bonne nouvelle",  # a straight apostrophe for a curly one
        "“It is not enough,”",  # other quotation marks than the article's
        "The reservoirs are low. They will not fill this winter,",  # carried over two paragraphs
    ],
)
def test_a_quote_as_the_article_has_it_passes(quote):
    assert appears_in(quote, ARTICLE)


@pytest.mark.parametrize(
    "quote",
    [
        "We have waited for this rain for two years,",  # a word changed
        "We waited for this rain for three years,",  # a word dropped
        "we have waited for this rain for three years,",  # a capital letter is not a quotation mark
        "We have waited for this rain, for three years",  # nor is a comma
        "ave waited for this rain",  # part of a word is not the word
        "   ",
    ],
)
def test_a_quote_changed_in_any_other_way_fails(quote):
    assert not appears_in(quote, ARTICLE)


def test_normalise_touches_only_whitespace_and_quotation_marks():
    assert normalise("„Gefahr  für\nLeib“, sagte er.") == "Gefahr für Leib , sagte er."


def _quoted_item(settings, engine):
    edition = service.build(engine, settings, "world", actor=ANA).edition
    item = next(i for i in edition.items if i.quotes)
    return edition, item


def test_a_hand_edited_quote_blocks_approval_and_sending_until_marked_as_a_paraphrase(newsroom):  # noqa: F811
    settings, engine, _ = newsroom
    edition, item = _quoted_item(settings, engine)
    position = [i.article_id for i in edition.items].index(item.article_id) + 1
    original = item.quotes[0].text
    edited = original.replace(original.split()[0], "Reportedly", 1)
    service.change(engine, settings, edition.id, ANA, "quote_text", article_id=item.article_id, text=edited, speaker="Ann")

    with pytest.raises(Invalid) as refused:
        service.transition(engine, edition.id, EditionStatus.APPROVED, ANA)
    assert f"item {position} (“{item.title}”)" in str(refused.value)
    assert f"the quote “{edited}” does not appear word for word" in str(refused.value)
    assert service.show(engine, settings, edition.id, None).edition.status == EditionStatus.DRAFT

    marked = service.change(engine, settings, edition.id, ANA, "paraphrase", article_id=item.article_id, on=True)
    shown = next(i for i in marked.items if i.article_id == item.article_id).quotes[0]
    assert (shown.text, shown.speaker, shown.paraphrase) == (edited, "Ann", True)
    approved = service.transition(engine, edition.id, EditionStatus.APPROVED, ANA)
    assert approved.status == EditionStatus.APPROVED

    with engine.connect() as conn:
        log = [(c.actor, c.op, c.args) for c in changes(conn, edition.id)]
    assert ("Ana", "paraphrase", {"article_id": item.article_id, "on": True}) in log
    assert ("Ana", "quote_text", {"article_id": item.article_id, "text": edited, "speaker": "Ann"}) in log


def test_a_fixed_quote_passes_and_a_new_edit_is_checked_again(newsroom):  # noqa: F811
    settings, engine, _ = newsroom
    edition, item = _quoted_item(settings, engine)
    original = item.quotes[0].text
    aid = item.article_id
    service.change(engine, settings, edition.id, ANA, "quote_text", article_id=aid, text=original + " indeed")
    service.change(engine, settings, edition.id, ANA, "paraphrase", article_id=aid, on=True)
    # writing the quote again takes the paraphrase mark away: the new text is checked
    service.change(engine, settings, edition.id, ANA, "quote_text", article_id=aid, text="Something else entirely said")
    with pytest.raises(Invalid, match="Something else entirely said"):
        service.transition(engine, edition.id, EditionStatus.APPROVED, ANA)
    # fixed: the text as the article has it, with other quotation marks and spacing
    service.change(engine, settings, edition.id, ANA, "quote_text", article_id=aid, text=f"  “{original}”  ")
    assert service.transition(engine, edition.id, EditionStatus.APPROVED, ANA).status == EditionStatus.APPROVED


def test_an_approved_edition_whose_article_changed_under_its_quote_is_not_sent(newsroom):  # noqa: F811
    settings, engine, _ = newsroom
    edition, item = _quoted_item(settings, engine)
    service.transition(engine, edition.id, EditionStatus.APPROVED, ANA)
    # the source rewrote the article (a later ingest): the quote the edition kept is no longer in it
    with engine.begin() as conn:
        conn.execute(update(articles).where(articles.c.id == item.article_id).values(body="A rewritten article."))
    with pytest.raises(Invalid, match="does not appear word for word"):
        service.send_now(engine, edition.id, ANA)
    with pytest.raises(Invalid, match="does not appear word for word"):
        service.send(engine, settings, edition.id, Links(settings.base_url, signer("a key")))
    with engine.connect() as conn:
        assert delivery_counts(conn, edition.id) == {}  # nothing was sent, no row was made


def test_a_paraphrase_mark_needs_a_quote_and_an_item(newsroom):  # noqa: F811
    settings, engine, _ = newsroom
    edition, item = _quoted_item(settings, engine)
    service.change(engine, settings, edition.id, ANA, "quote", article_id=item.article_id, index=None)
    with pytest.raises(Invalid, match="shows no quote"):
        service.change(engine, settings, edition.id, ANA, "paraphrase", article_id=item.article_id, on=True)
    with pytest.raises(Invalid, match="a quote cannot be empty"):
        service.change(engine, settings, edition.id, ANA, "quote_text", article_id=item.article_id, text=" ")
