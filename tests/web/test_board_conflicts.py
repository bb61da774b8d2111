"""Two editors on one draft over HTTP: each change form says what its board showed (`seen`);
changes to different items both stay, a change to a field the other editor changed since is
refused (409) naming them and showing their text, the refused editor's own text kept in its field."""

from __future__ import annotations

import lxml.html

from digest.store.editions import changes


def _seen(html: str) -> str:
    values = {i.get("value") for i in lxml.html.fromstring(html).cssselect("form input[name=seen]")}
    assert len(values) == 1  # every change form of one board says the same
    return values.pop()


def _logged(newsroom) -> int:
    with newsroom.engine.connect() as conn:
        return len(changes(conn, newsroom.edition_id))


def _lede(newsroom, article_id: int) -> str:
    return next(i.brief.lede for i in newsroom.edition().items if i.article_id == article_id)


def test_two_editors_changes_merge_and_a_stale_change_to_the_same_field_is_refused_visibly(newsroom):
    first, second = (i.article_id for i in newsroom.edition().items[:2])
    url = f"{newsroom.board}/changes"
    with newsroom.browser("editor", htmx=True) as ana, newsroom.browser("another editor", htmx=True) as ben:
        ana_seen, ben_seen = _seen(ana.get(newsroom.board).text), _seen(ben.get(newsroom.board).text)
        doc = lxml.html.fromstring(ben.get(newsroom.board).text)
        assert doc.cssselect("#items")[0].get("hx-vals") == f'{{"seen": "{ben_seen}"}}'  # a drag says it too
        ana_said = ana.post(url, data={"op": "lede", "article_id": first, "text": "Ana's lede.", "seen": ana_seen})
        assert ana_said.status_code == 200 and _seen(ana_said.text) != ana_seen  # her board has seen her change
        ben_said = ben.post(url, data={"op": "lede", "article_id": second, "text": "Ben's lede.", "seen": ben_seen})
        assert ben_said.status_code == 200
        assert (_lede(newsroom, first), _lede(newsroom, second)) == ("Ana's lede.", "Ben's lede.")

        ana.post(url, data={"op": "lede", "article_id": first, "text": "Ana's second lede.", "seen": _seen(ana_said.text)})
        before = _logged(newsroom)
        stale = {"op": "lede", "article_id": first, "text": "Ben's take on it.", "seen": _seen(ben_said.text)}
        refused = ben.post(url, data=stale)
        assert refused.status_code == 409 and "hx-trigger" not in refused.headers
        doc = lxml.html.fromstring(refused.text)
        alert = " ".join(doc.cssselect("#board [role=alert]")[0].text_content().split())
        assert alert.startswith("Editor <editor@example.org> changed the lede of ") and "“Ana's second lede.”" in alert
        assert doc.cssselect(f"#item-{first} .lede")[0].text_content() == "Ana's second lede."  # hers, shown
        field = doc.cssselect(f"#lede-{first}")[0]
        assert field.text_content() == "Ben's take on it." and field.getparent().getparent().get("open") is not None
        assert field.get("aria-describedby") == f"lede-{first}-kept" and doc.cssselect(f"#lede-{first}-kept")
        assert _logged(newsroom) == before and _lede(newsroom, first) == "Ana's second lede."

        again = ben.post(url, data=stale | {"seen": _seen(refused.text)})  # he has seen hers now
        assert again.status_code == 200 and _lede(newsroom, first) == "Ben's take on it."


def test_a_plain_form_refused_for_a_conflict_gets_the_page_back_with_the_text_kept(newsroom):
    with newsroom.browser("editor") as ana, newsroom.browser("another editor") as ben:
        seen = _seen(ben.get(newsroom.board).text)
        ana.post(f"{newsroom.board}/changes", data={"csrf": newsroom.csrf("editor"), "op": "intro",
                                                    "text": "Ana's intro.", "seen": seen})  # fmt: skip
        refused = ben.post(f"{newsroom.board}/changes", data={"csrf": newsroom.csrf("another editor"), "op": "intro",
                                                              "text": "Ben's intro.", "seen": seen})  # fmt: skip
    assert refused.status_code == 409
    doc = lxml.html.fromstring(refused.text)
    assert "Editor <editor@example.org> changed the intro at " in doc.cssselect("[role=alert]")[0].text_content()
    assert doc.cssselect("#intro")[0].text_content() == "Ben's intro." and doc.cssselect("#intro-kept")
    assert newsroom.edition().edition.intro == "Ana's intro."
