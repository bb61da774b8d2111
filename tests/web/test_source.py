"""The article beside its brief on the board, over HTTP on the real app: the panel with the lede and
the quotes marked (for htmx and as a page), who may read it and who may use a passage of it, and a
passage made the lede or the quote through the board's change route."""

from __future__ import annotations

import lxml.html

from digest.editions.quotecheck import normalise

HARBOUR = "Harbour town votes to host the country's largest offshore wind base"
SEALS = "Nobody has shown us a single study on what the pile driving does to the seal colony"


def _item(newsroom):
    return next(i for i in newsroom.edition().items if i.brief.title == HARBOUR)


def _marks(html: str) -> list[tuple[str, str, str]]:
    doc = lxml.html.fromstring(html)
    return [(m.get("class"), m.get("data-label"), " ".join(m.text_content().split())) for m in doc.cssselect("mark")]


def test_a_viewer_reads_the_article_beside_the_brief_with_its_lede_and_quote_marked(newsroom):
    item = _item(newsroom)
    brief = item.brief
    assert brief.quotes  # the sample article's item shows a quote, to be marked
    source = f"{newsroom.board}/items/{item.article_id}/source"
    with newsroom.browser("viewer", htmx=True) as viewer:
        panel = viewer.get(source)
    assert panel.status_code == 200 and "<html" not in panel.text  # the fragment htmx swaps in
    root = lxml.html.fragment_fromstring(panel.text)
    assert root.get("id") == f"source-panel-{item.article_id}" and root.get("hx-trigger") == "edition-changed from:body"
    marks = _marks(panel.text)
    assert ("lede", "Lede", brief.lede) in marks
    assert [(m[0], m[1]) for m in marks if m[0] == "quote"] == [("quote", f"Quote by {q.speaker}") for q in brief.quotes]
    assert [normalise(m[2]) for m in marks if m[0] == "quote"] == [normalise(q.text) for q in brief.quotes]
    shown = " ".join(root.cssselect(".source-text")[0].text_content().split())
    assert "Opponents were not convinced." in shown and "Anika Lindqvist" in shown  # the whole text, not the brief
    assert not root.cssselect("form") and "/changes" not in panel.text  # a viewer reads, and only reads
    with newsroom.browser("viewer") as viewer:  # without JavaScript: the board, the panel open in its item
        page = viewer.get(source)
    doc = lxml.html.fromstring(page.text)
    assert page.status_code == 200 and doc.cssselect(f"#board #item-{item.article_id} #source-panel-{item.article_id}")
    assert doc.cssselect("#preview") and _marks(page.text) == marks


def test_a_viewer_may_not_use_a_passage_and_an_article_not_in_the_edition_is_not_found(newsroom):
    item = _item(newsroom)
    items = f"{newsroom.board}/items"
    with newsroom.browser("viewer", htmx=True) as viewer:
        assert viewer.get(f"{items}/{item.article_id}/passage", params={"text": SEALS}).status_code == 403
        changed = viewer.post(f"{newsroom.board}/changes", data={"op": "lede", "article_id": item.article_id, "text": SEALS})
        assert changed.status_code == 403
    with newsroom.browser("editor of another list", htmx=True) as stranger:
        assert stranger.get(f"{items}/{item.article_id}/source").status_code == 403
    with newsroom.browser("editor") as editor:
        missing = editor.get(f"{items}/999999/source")
        assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
        assert editor.get(f"{items}/999999/passage", params={"text": SEALS}).status_code == 404
    assert _item(newsroom).brief == item.brief


def test_an_editor_makes_a_passage_the_quote_with_the_speaker_proposed_and_it_is_not_flagged(newsroom):
    item = _item(newsroom)
    aid = item.article_id
    with newsroom.browser("editor", htmx=True) as editor:
        panel = editor.get(f"{newsroom.board}/items/{aid}/source").text
        assert lxml.html.fragment_fromstring(panel).cssselect(f"#use-lede-{aid}, #use-quote-{aid}")
        form = editor.get(f"{newsroom.board}/items/{aid}/passage", params={"text": f"“{SEALS},” said", "as": "quote"})
        assert form.status_code == 200
        doc = lxml.html.fragment_fromstring(form.text)
        assert doc.cssselect("input[name=op]")[0].get("value") == "quote_text"
        assert doc.cssselect("textarea[name=text]")[0].text == f"{SEALS},” said"  # the passage, cut at its marks only
        assert doc.cssselect("input[name=speaker]")[0].get("value") == "Tom Reyes"  # from the article's attribution
        saved = editor.post(f"{newsroom.board}/changes", data={"op": "quote_text", "article_id": aid, "text": SEALS,
                                                               "speaker": "Tom Reyes (fishermen)"})  # fmt: skip
        assert saved.status_code == 200 and saved.headers["hx-trigger"] == "edition-changed"
    after = _item(newsroom)
    assert [(q.text, q.speaker) for q in after.brief.quotes] == [(SEALS, "Tom Reyes (fishermen)")]
    assert not after.unverified  # word for word in the article: the quote check lets it through


def test_without_javascript_a_pasted_passage_becomes_the_lede_through_the_change_route(newsroom):
    item = _item(newsroom)
    aid = item.article_id
    passage = "The vote, 11 to 4, followed a six-hour public meeting"
    with newsroom.browser("editor") as editor:
        page = editor.get(f"{newsroom.board}/items/{aid}/passage", params={"text": f"  {passage}\n", "as": "lede"})
        doc = lxml.html.fromstring(page.text)
        assert page.status_code == 200 and doc.cssselect(f"#item-{aid} #source-panel-{aid}")  # the board, the panel open
        form = doc.cssselect(f"#passage-{aid} form")[0]
        fields = {i.get("name"): i.get("value") for i in form.cssselect("input")} | {"text": form.cssselect("textarea")[0].text}
        assert form.get("method") == "post" and fields["op"] == "lede" and fields["text"] == passage
        saved = editor.post(form.get("action"), data=fields)
        assert saved.status_code == 303 and saved.headers["location"] == newsroom.board
        empty = editor.get(f"{newsroom.board}/items/{aid}/passage", params={"text": " ", "as": "lede"})
        assert empty.status_code == 422 and "no passage: select one in the article" in empty.text
    assert _item(newsroom).brief.lede == passage
