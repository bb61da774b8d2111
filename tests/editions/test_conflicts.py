"""Two editors on one draft: changes to different items merge, a change to a field someone else
changed after the editor's board was loaded is refused naming them, and goes through once seen."""

from __future__ import annotations

import pytest

from digest.domain import Actor
from digest.editions import service
from digest.errors import Conflict
from digest.store.editions import changes
from tests.editions.test_service import newsroom  # noqa: F401 (a pytest fixture)

ANA, BEN = Actor.named("Ana"), Actor.named("Ben")


@pytest.fixture
def draft(newsroom):  # noqa: F811 (the fixture imported above)
    settings, engine, _ = newsroom
    edition = service.build(engine, settings, "world", actor=Actor.named("scheduler")).edition
    return settings, engine, edition.id


def _board(draft):
    settings, engine, edition_id = draft
    return service.board(engine, settings, edition_id)


def _lede(draft, article_id: int) -> str:
    return next(i.brief.lede for i in _board(draft).items if i.article_id == article_id)


def _logged(draft) -> int:
    _, engine, edition_id = draft
    with engine.connect() as conn:
        return len(changes(conn, edition_id))


def test_changes_to_different_items_from_one_board_both_stay(draft):
    settings, engine, edition_id = draft
    board = _board(draft)
    first, second = (i.article_id for i in board.items[:2])
    service.change(engine, settings, edition_id, ANA, "lede", board.seen, article_id=first, text="Ana's lede.")
    service.change(engine, settings, edition_id, BEN, "lede", board.seen, article_id=second, text="Ben's lede.")
    service.change(engine, settings, edition_id, BEN, "quote", board.seen, article_id=first, index=None)
    assert (_lede(draft, first), _lede(draft, second)) == ("Ana's lede.", "Ben's lede.")
    assert next(i for i in _board(draft).items if i.article_id == first).brief.quotes == []


def test_a_change_to_a_field_changed_since_is_refused_naming_who_and_what_then_goes_through_once_seen(draft):
    settings, engine, edition_id = draft
    board = _board(draft)
    first = board.items[0].article_id
    service.change(engine, settings, edition_id, ANA, "lede", board.seen, article_id=first, text="Ana's lede.")
    before = _logged(draft)
    with pytest.raises(Conflict) as refused:
        service.change(engine, settings, edition_id, BEN, "lede", board.seen, article_id=first, text="Ben's lede.")
    message = str(refused.value)
    assert message.startswith(f"Ana changed the lede of “{board.items[0].brief.title}” at ")
    assert "“Ana's lede.”" in message and "Your change was not saved" in message
    assert _logged(draft) == before and _lede(draft, first) == "Ana's lede."

    seen = _board(draft).seen  # Ben's board again, showing Ana's lede
    service.change(engine, settings, edition_id, BEN, "lede", seen, article_id=first, text="Ben's lede.")
    assert _lede(draft, first) == "Ben's lede."


def test_subject_intro_quote_and_place_collide_moves_and_equal_values_do_not(draft):
    settings, engine, edition_id = draft
    board = _board(draft)
    first, second, third = (i.article_id for i in board.items[:3])
    stale = board.seen
    service.change(engine, settings, edition_id, ANA, "subject", stale, text="Ana's subject")
    service.change(engine, settings, edition_id, ANA, "intro", stale, text="Ana's intro")
    service.change(engine, settings, edition_id, ANA, "quote", stale, article_id=second, index=None)
    service.change(engine, settings, edition_id, ANA, "exclude", stale, article_id=third)
    service.change(engine, settings, edition_id, ANA, "move", stale, article_id=first, position=2)
    service.change(engine, settings, edition_id, ANA, "lede", stale, article_id=first, text="Same words.")
    refused = {
        "subject": {"text": "Ben's subject"},
        "intro": {"text": "Ben's intro"},
        "quote_text": {"article_id": second, "text": "Ben's quote.", "speaker": None},  # the quote, another way
        "pin": {"article_id": third},  # would put back what Ana left out
    }
    for op, args in refused.items():
        with pytest.raises(Conflict, match="^Ana changed"):
            service.change(engine, settings, edition_id, BEN, op, stale, **args)
    service.change(engine, settings, edition_id, BEN, "move", stale, article_id=second, position=1)
    service.change(engine, settings, edition_id, BEN, "lede", stale, article_id=first, text="Same words.")
    service.change(engine, settings, edition_id, ANA, "subject", stale, text="Ana again")  # her own change
    after = _board(draft)
    assert after.edition.subject == "Ana again" and after.edition.intro == "Ana's intro"
    assert after.items[0].article_id == second and third not in [i.article_id for i in after.items]


def test_a_change_that_says_nothing_of_what_was_seen_goes_through_as_the_cli_makes_it(draft):
    settings, engine, edition_id = draft
    board = _board(draft)
    first = board.items[0].article_id
    service.change(engine, settings, edition_id, ANA, "lede", board.seen, article_id=first, text="Ana's lede.")
    service.change(engine, settings, edition_id, BEN, "lede", article_id=first, text="Ben's lede.")
    service.apply(engine, settings, edition_id, BEN, [("subject", {"text": "Ben's subject"})])
    assert _lede(draft, first) == "Ben's lede." and _board(draft).edition.subject == "Ben's subject"


def test_two_editors_saving_the_same_field_at_once_lose_nothing(draft):
    """Ben saves while Ana's change to the same lede is still being written: his waits for hers,
    then sees it and is refused, rather than both passing the check and his overwriting hers."""
    import threading

    from digest.store.editions import lock_edition, record_change

    settings, engine, edition_id = draft
    board = _board(draft)
    first = board.items[0].article_id
    outcome: list[BaseException | None] = []

    def ben_saves() -> None:
        try:
            service.change(engine, settings, edition_id, BEN, "lede", board.seen, article_id=first, text="Ben's.")
            outcome.append(None)
        except Conflict as exc:
            outcome.append(exc)

    with engine.connect() as ana:
        with ana.begin():  # Ana's change, as apply writes it, not yet committed
            lock_edition(ana, edition_id)
            record_change(ana, edition_id, "Ana", "lede", {"article_id": first, "text": "Ana's."})
            ben = threading.Thread(target=ben_saves)
            ben.start()
            ben.join(timeout=1.0)
            assert ben.is_alive() and not outcome  # Ben waits for Ana's transaction
        ben.join(timeout=20)
    assert len(outcome) == 1 and isinstance(outcome[0], Conflict) and "Ana changed the lede" in str(outcome[0])
    with engine.connect() as conn:
        ledes = [(c.actor, c.args["text"]) for c in changes(conn, edition_id) if c.op == "lede"]
    assert ledes == [("Ana", "Ana's.")]  # Ben's was not recorded over hers
