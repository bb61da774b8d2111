"""The edition board in Chromium: reorder by keyboard and by drag, edit a lede and watch the preview
follow, an editor refused approval and a publisher granted it; axe-core on the board."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, axe_violations, screenshot


@pytest.fixture
def board_page(browser, newsroom):
    """A page of the board signed in as `who`; console errors (a CSP refusal among them) collected."""
    contexts = []

    def open_(who: str, width: int = 1400, height: int = 1000, dark: bool = False):
        context = browser.new_context(bypass_csp=False, viewport={"width": width, "height": height},
                                      color_scheme="dark" if dark else "light")  # fmt: skip
        context.add_cookies([{"name": "digest_session", "value": newsroom.tokens[who][0], "url": newsroom.url}])
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.goto(newsroom.url + newsroom.board)
        page.wait_for_function("() => window.htmx && window.Sortable")
        return page

    yield open_
    for context in contexts:
        context.close()


def _order(page) -> list[int]:
    return [int(x) for x in page.eval_on_selector_all("#items > li", "els => els.map(e => e.dataset.article)")]


def test_reorder_by_keyboard(newsroom, board_page):
    page = board_page("editor")
    first, second, third = _order(page)[:3]
    page.focus(f"#down-{first}")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelector('#items > li').dataset.article === '{second}'")
    assert _order(page)[:3] == [second, first, third]
    assert page.evaluate("document.activeElement.id") == f"down-{first}"  # the focus stays on the button
    assert "Moved to position 2." in page.inner_text("#said")
    page.keyboard.press("Enter")  # again: one more place down
    page.wait_for_function(f"() => document.querySelectorAll('#items > li')[2].dataset.article === '{first}'")
    page.keyboard.press("Shift+Tab")  # to its Move up button, and back up once
    assert page.evaluate("document.activeElement.id") == f"up-{first}"
    page.keyboard.press("Space")
    page.wait_for_function(f"() => document.querySelectorAll('#items > li')[1].dataset.article === '{first}'")
    assert [i.article_id for i in newsroom.edition().items][:3] == [second, first, third]
    assert page.evaluate("document.activeElement.id") == f"up-{first}"
    page.keyboard.press("Enter")  # to the top: its Move up is disabled there, so its Move down has the focus
    page.wait_for_function(f"() => document.querySelector('#items > li').dataset.article === '{first}'")
    page.wait_for_function(f"() => document.activeElement.id === 'down-{first}'")
    screenshot(page, "board-keyboard-reorder")
    assert page.errors == []


def test_reorder_by_drag_and_drop(newsroom, board_page):
    page = board_page("editor", height=2400)  # the first three items in view: a drag stays on screen
    order = _order(page)
    shown = f"() => document.querySelector('#items > li').dataset.article === '{order[2]}'"
    for _attempt in range(3):
        if _drag(page, f"#item-{order[2]} .handle", f"#item-{order[0]} .item-head", shown):
            break
    assert page.evaluate(shown), "the dragged item never showed in its new place"
    with page.expect_response(lambda r: r.url.endswith("/changes") and r.status == 200):
        page.mouse.up()
    page.wait_for_selector("#said:text('Moved to position 1.')")  # the board as the server answered it
    assert [i.article_id for i in newsroom.edition().items][:3] == [order[2], order[0], order[1]]
    assert _order(page)[:3] == [order[2], order[0], order[1]]  # the board as the server has it
    screenshot(page, "board-drag-reorder")
    assert page.errors == []


def _drag(page, handle: str, onto: str, shown: str) -> bool:
    """A person's drag of `handle` onto `onto`, held there until the item shows in its new place
    (`shown`): True, the button still down. A drag lost on the way (the board swapped by its own
    loads of the preview and the checks, which a loaded machine makes late) is let go: False.
    Sortable moves the item on its own clock (a timer of 50 ms in its pointer fallback), so the
    pointer keeps moving a little until it does, as a hand does."""
    page.wait_for_load_state("networkidle")  # the board's own loads done: nothing swaps it mid-drag
    page.locator(handle).hover()  # once it is stable where it is
    page.mouse.down()
    target = page.locator(onto).bounding_box()
    page.mouse.move(target["x"] + 40, target["y"] + 2, steps=20)  # many small moves
    for nudge in range(40):
        if page.evaluate(shown):
            return True
        page.mouse.move(target["x"] + 40 + nudge % 2, target["y"] + 2, steps=2)
        page.wait_for_timeout(250)
    page.mouse.up()
    return False


def test_edit_a_lede_and_the_preview_follows(newsroom, board_page):
    page = board_page("editor")
    first = _order(page)[0]
    frame = page.frame_locator("#mail-frame")
    assert "A lede the desk wrote." not in frame.locator("body").inner_text()
    page.locator(f"#item-{first} summary", has_text="Edit the lede").click()
    page.fill(f"#lede-{first}", "A lede the desk wrote.")
    started = time.perf_counter()
    page.locator(f"#item-{first} button", has_text="Save the lede").click()
    frame.get_by_text("A lede the desk wrote.").last.wait_for()  # the sandboxed frame, reloaded
    followed = time.perf_counter() - started
    print(f"preview followed the change in {followed * 1000:.0f} ms")
    assert followed < 3  # the 300 ms target is measured by bench/web.py, not asserted on a shared machine
    assert page.inner_text(f"#item-{first} .lede") == "A lede the desk wrote."
    assert "A lede the desk wrote." in page.locator(".text-part pre").text_content()
    screenshot(page, "board-lede-edited")
    page.click("#preview a:text('375 px')")
    page.wait_for_selector(".frame-375")
    page.click("#preview a:text('Dark')")
    page.wait_for_selector(".frame-375.scheme-dark")
    frame.get_by_text("A lede the desk wrote.").last.wait_for()
    background = page.frame_locator("#mail-frame").locator("body").evaluate("b => getComputedStyle(b).backgroundColor")
    assert background == "rgb(18, 18, 18)"  # the mail's own dark styles, as a dark-mode client shows them
    screenshot(page, "board-preview-375-dark")
    assert page.errors == []


def test_an_editor_is_refused_approval_and_a_publisher_is_granted_it(newsroom, board_page):
    editor = board_page("editor")
    assert editor.locator("button", has_text="Approve").count() == 0
    assert editor.locator("button", has_text="Send now").count() == 0
    refused = editor.evaluate(
        """async (url) => (await fetch(url, {method: 'POST',
             headers: {'X-CSRF-Token': JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token']}})).status""",
        newsroom.board + "/approve",
    )
    assert refused == 403
    assert editor.errors == ["Failed to load resource: the server responded with a status of 403 (Forbidden)"]
    editor.errors.clear()
    editor.click("button:text('Submit for approval')")
    editor.wait_for_selector("text=Submitted for approval by Editor")
    screenshot(editor, "board-editor-submitted")

    publisher = board_page("publisher")
    expect(publisher.locator("text=Submitted for approval by Editor")).to_be_visible()
    publisher.click("button:text('Approve')")
    publisher.wait_for_selector(".status-approved")
    expect(publisher.locator("button", has_text="Send now")).to_be_visible()
    assert newsroom.edition().edition.status == "approved"
    screenshot(publisher, "board-publisher-approved")
    assert editor.errors == [] and publisher.errors == []


def test_the_board_has_no_serious_accessibility_violation(browser, newsroom):
    for who, dark in (("editor", False), ("publisher", True)):
        context = browser.new_context(bypass_csp=True, viewport={"width": 1400, "height": 1000},
                                      color_scheme="dark" if dark else "light")  # fmt: skip
        context.add_cookies([{"name": "digest_session", "value": newsroom.tokens[who][0], "url": newsroom.url}])
        page = context.new_page()
        page.goto(newsroom.url + newsroom.board)
        page.locator("#items > li:first-child summary", has_text="Choose the quote").click()  # its form open too
        assert axe_violations(page) == [], who
        screenshot(page, f"board-{who}{'-dark' if dark else ''}")
        context.close()


HARBOUR = "Harbour town votes to host the country's largest offshore wind base"


def _open_source(newsroom, page) -> int:
    """Open the sample article's text beside its item, as an editor clicks its link; its article id."""
    aid = next(i.article_id for i in newsroom.edition().items if i.brief.title == HARBOUR)
    page.click(f"#open-source-{aid}")
    page.wait_for_selector(f"#source-panel-{aid} mark.lede")
    return aid


def _select(page, aid: int, words: str) -> None:
    """Select `words` in the article's text as a person drags over them (a DOM Range, then the Selection)."""
    page.evaluate(
        """([id, words]) => {
             const text = document.getElementById(id);
             const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
             for (let node = walker.nextNode(); node; node = walker.nextNode()) {
               const at = node.data.indexOf(words);
               if (at < 0) continue;
               const range = document.createRange();
               range.setStart(node, at);
               range.setEnd(node, at + words.length);
               getSelection().removeAllRanges();
               getSelection().addRange(range);
               return;
             }
             throw new Error("not in the text: " + words);
           }""",
        [f"source-text-{aid}", words],
    )


def _shot_item(page, aid: int, name: str) -> None:
    """The item and its open article, at full size (the caret left alone: hiding it puts a style
    attribute on every field, which the next swap would copy, against the CSP)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(f"#item-{aid}").screenshot(path=str(ARTIFACTS / f"{name}.png"), caret="initial")


def test_select_a_passage_as_the_lede_and_the_preview_follows(newsroom, board_page):
    page = board_page("editor")
    aid = _open_source(newsroom, page)
    lede, quote = page.locator(f"#use-lede-{aid}"), page.locator(f"#use-quote-{aid}")
    assert lede.is_disabled() and quote.is_disabled()  # nothing selected yet
    passage = "The vote, 11 to 4, followed a six-hour public meeting"
    _select(page, aid, passage)
    page.wait_for_function(f"() => !document.getElementById('use-lede-{aid}').disabled")
    assert page.input_value(f"#passage-text-{aid}") == passage and not quote.is_disabled()
    lede.click()
    page.wait_for_selector("#said:text('The lede is changed.')")
    assert page.inner_text(f"#item-{aid} .lede") == passage  # the board as the server answered it
    assert next(i for i in newsroom.edition().items if i.article_id == aid).brief.lede == passage
    page.frame_locator("#mail-frame").get_by_text(passage).last.wait_for()  # the preview followed
    assert passage in page.locator(".text-part pre").text_content()
    # the panel stayed open through the board's swap, and marks the new lede where it stands
    page.wait_for_function(f"() => document.querySelector('#source-panel-{aid} mark.lede').textContent === {passage!r}")
    _shot_item(page, aid, "board-source-lede-item")
    screenshot(page, "board-source-lede")
    assert page.errors == []


def test_select_a_passage_as_the_quote_with_the_proposed_speaker(newsroom, board_page):
    page = board_page("editor")
    aid = _open_source(newsroom, page)
    passage = "If the seals move, everyone will know it the same week"
    _select(page, aid, passage)
    page.click(f"#use-quote-{aid}")
    speaker = page.locator(f"#use-speaker-{aid}")
    speaker.wait_for()
    assert speaker.input_value() == "Anika Lindqvist"  # proposed by the article's attribution ("she said")
    page.wait_for_function(f"() => document.activeElement.id === 'use-speaker-{aid}'")  # the field to check is focused (htmx focuses it as it settles)
    assert page.input_value(f"#use-text-{aid}") == passage
    # (caret left alone: hiding it puts a style attribute on every field, which the next swap would copy)
    _shot_item(page, aid, "board-source-quote-form")
    speaker.fill("Anika Lindqvist, project director")  # editable
    page.locator(f"#passage-{aid} button", has_text="Save the quote").click()
    page.wait_for_selector("#said:text('The quote is changed.')")
    item = next(i for i in newsroom.edition().items if i.article_id == aid)
    assert [(q.text, q.speaker) for q in item.brief.quotes] == [(passage, "Anika Lindqvist, project director")]
    assert not item.unverified and page.locator(f"#flag-{aid}").count() == 0  # word for word: not flagged
    assert page.inner_text(f"#item-{aid} .quote blockquote") == passage
    label = "Quote by Anika Lindqvist, project director"
    page.wait_for_selector(f"#source-panel-{aid} mark.quote[data-label='{label}']")
    before = page.evaluate(f"getComputedStyle(document.querySelector('#source-panel-{aid} mark.quote'), '::before').content")
    assert before == f'"{label}: "'  # the label a screen reader reads before the marked words
    page.locator(f"#source-panel-{aid} mark.quote").scroll_into_view_if_needed()
    _shot_item(page, aid, "board-source-quote-saved")
    assert page.errors == []


def test_the_open_source_panel_has_no_serious_accessibility_violation(browser, newsroom):
    for who, dark in (("editor", False), ("viewer", True)):
        context = browser.new_context(bypass_csp=True, viewport={"width": 1400, "height": 1000},
                                      color_scheme="dark" if dark else "light")  # fmt: skip
        context.add_cookies([{"name": "digest_session", "value": newsroom.tokens[who][0], "url": newsroom.url}])
        page = context.new_page()
        page.goto(newsroom.url + newsroom.board)
        aid = _open_source(newsroom, page)
        if who == "editor":  # the quote's form open too, its speaker proposed
            _select(page, aid, "a reason to stay")
            page.click(f"#use-quote-{aid}")
            page.locator(f"#use-speaker-{aid}").wait_for()
        page.locator(f"#source-panel-{aid}").scroll_into_view_if_needed()
        assert axe_violations(page) == [], who
        _shot_item(page, aid, f"board-source-{who}{'-dark' if dark else ''}")
        context.close()
