"""A scraped whole page: the headline past the navigation, the article's end before what follows it."""

from digest.ingest.headline import RunningText, article_end, find_headline, is_dateish, is_end_heading
from digest.ingest.structure import _opens_byline, parse_plain_text

BODY_1 = (
    "The harbour board voted on Thursday to rebuild the old ferry pier at Kestrel Bay, ending a dispute "
    "that has divided the town council for almost three years."
)
BODY_2 = (
    "Work on the pier will begin in the spring, and the ferry is expected to run again before the "
    "summer season, the board said in a statement after the vote."
)
BODY_3 = (
    "Fishermen who use the bay had asked for the rebuild since storms damaged the pier, and many of "
    "them came to the meeting to hear the vote."
)
PAGE = "\n\n".join(
    [
        "Skip to content",
        "Menu",
        "Home",
        "Local News",
        "Sport",
        "Weather",
        "We use cookies to give you the best experience on our website.",
        "3 hours ago",
        "Harbour board votes to rebuild the Kestrel Bay ferry pier",
        "By Nora Feld",
        BODY_1,
        BODY_2,
        BODY_3,
        "Related stories",
        "Council to review parking charges in the old town",
        "New bus timetable starts on Monday",
        "Leave a comment",
    ]
)


def test_the_headline_is_found_past_the_navigation():
    article = parse_plain_text(PAGE)
    assert article.title == "Harbour board votes to rebuild the Kestrel Bay ferry pier"
    assert article.byline == "By Nora Feld"


def test_the_article_ends_before_what_follows_it_and_keeps_its_whole_body():
    article = parse_plain_text(PAGE)
    assert article.paragraphs == [BODY_1, BODY_2, BODY_3]


def test_an_inline_related_box_is_not_the_end():
    blocks = ["A headline about the pier", BODY_1, "Related stories", "Another story", BODY_2, BODY_3, BODY_1]
    assert article_end(blocks, 1, RunningText(blocks)) == len(blocks)


def test_short_sentences_after_an_inline_related_box_are_the_article_going_on():
    short = [
        "The pier was built in 1911 and rebuilt once after the war.",
        "Its timber came from the forests above the bay.",
        "Most of it was replaced with steel in the sixties.",
    ]
    teasers = [
        "Related stories",
        "Council to review parking charges...",
        "New bus timetable starts on Monday",
    ]
    page = "\n\n".join(
        ["Harbour board votes to rebuild the Kestrel Bay pier", BODY_1, BODY_2, *teasers, *short]
    )
    kept = parse_plain_text(page).paragraphs
    assert kept[:2] == [BODY_1, BODY_2] and kept[-3:] == short
    # teasers cut short with "…" are not the article's sentences: there the article ends
    page = "\n\n".join(
        ["Harbour board votes to rebuild the pier", BODY_1, BODY_2, *teasers, *teasers[1:] * 2]
    )
    assert parse_plain_text(page).paragraphs == [BODY_1, BODY_2]


def test_a_teaser_list_after_the_article_is_not_its_text():
    teaser = [
        "Council to review parking charges in the old town",
        "By Jo Marsh",
        "11/20/2019 01:14 PM",
        "The council will look again at what drivers pay to park near the market square this year.",
    ]
    blocks = ["A headline about the pier", BODY_1, BODY_2, BODY_3, "Share this", *teaser * 4, "About us"]
    assert article_end(blocks, 1, RunningText(blocks), lambda b: b == "Share this") == 4
    # the same furniture with the article's text going on after it is not its end
    blocks = ["A headline about the pier", BODY_1, BODY_2, BODY_3, "Share this", BODY_1, BODY_2]
    assert article_end(blocks, 1, RunningText(blocks), lambda b: b == "Share this") == len(blocks)


def test_dates_and_relative_times_are_never_headlines():
    assert is_dateish("3 hours ago") and is_dateish("vor 2 Stunden") and is_dateish("Posted Nov 18, 8:19 PM")
    assert not is_dateish("Harbour board votes to rebuild the Kestrel Bay ferry pier")
    blocks = ["Updated 12 March 2024 at 10:15", "Harbour board votes to rebuild the pier", BODY_1, BODY_2]
    assert find_headline(blocks, lambda _: False, RunningText(blocks)) == 1


def test_end_headings_in_each_language():
    for heading in (
        "Related articles",
        "Kommentare",
        "Sur le même sujet",
        "Noticias relacionadas",
        "Articoli correlati",
    ):
        assert is_end_heading(heading), heading
    assert not is_end_heading("The harbour board votes on the pier")
    assert not is_end_heading("Lesen Sie auch")  # an inline teaser: the article goes on after it


def test_the_menus_and_dates_after_the_last_lines_are_dropped_and_a_closing_list_is_kept():
    tour = ["June 9 -- Riverside Hall, Kestrel Bay", "June 14 -- Harbour Arena, Port Alden"]
    page = "\n\n".join(
        ["Harbour board votes to rebuild the Kestrel Bay ferry pier", BODY_1, BODY_2, BODY_3, *tour]
        + ["Newsletters", "Site Map", "12 March 2024 at 10:15", "Policies"]
    )
    assert parse_plain_text(page).paragraphs == [BODY_1, BODY_2, BODY_3, *tour]


def test_photo_credits_inside_the_article_are_dropped():
    credits = [
        "Jo Kim/Getty Images",
        "Fishermen watch the storm from the old pier. (AP Photo/Jo Kim)",
        "Photo: dpa",
    ]
    page = "\n\n".join(
        [
            "Harbour board votes to rebuild the Kestrel Bay ferry pier",
            BODY_1,
            credits[0],
            BODY_2,
            *credits[1:],
            BODY_3,
        ]
    )
    assert parse_plain_text(page).paragraphs == [BODY_1, BODY_2, BODY_3]


def test_a_subheading_below_the_opening_sentences_is_not_the_headline():
    opening = [
        "There is a strange quiet on the pier this winter.",
        "The ferry has not run since the storms of October.",
    ]
    page = "\n\n".join(
        [
            "Menu",
            "Lonely days at the harbour",
            *opening,
            "What the board decided about the pier",
            BODY_1,
            BODY_2,
        ]
    )
    article = parse_plain_text(page)
    assert article.title == "Lonely days at the harbour"
    assert article.paragraphs[:2] == opening


def test_a_headline_with_a_year_is_not_a_date_and_a_credit_or_a_byline_row_is_not_a_headline():
    assert not is_dateish("Europe's best athletes ready for Munich 2022")
    assert is_dateish("Posted 2022") and is_dateish("12.03.2024")
    assert not is_dateish("Tested by: Jo Kim RRP: £23.99")  # a price is not a time
    headline = "Kestrel Bay pier rebuilt by 2025"
    for furniture in ("| BY: Nora Feld", "Kestrel Bay pier at dusk © Jo Kim"):
        page = "\n\n".join(["Menu", furniture, headline, BODY_1, BODY_2])
        assert parse_plain_text(page).title == headline


def test_a_name_or_a_label_standing_alone_is_not_the_headline():
    headline = "A new start for the harbour"
    for label in ("Nora Feld", "Harbour News"):
        page = "\n\n".join([headline, "12.03.2024", label, BODY_1, BODY_2])
        assert parse_plain_text(page).title == headline


def test_reading_times_comment_counts_and_share_rows_are_not_the_article():
    headline = "A new start for the harbour"
    furniture = [
        "Facebook",
        "Twitter WhatsApp",
        "4 min read",
        "8 minutos de lectura",
        "Lesezeit: 3 Minuten",
        "2 Kommentare",
    ]
    article = parse_plain_text("\n\n".join([headline, *furniture, BODY_1, BODY_2]))
    assert article.title == headline and article.paragraphs == [BODY_1, BODY_2]


def test_a_breadcrumb_trail_ending_with_the_headline_is_not_the_headline():
    page = "\n\n".join(
        ["Home", "Sport", "Home / Sport / Harbour board votes to rebuild the Kestrel Bay ferry pier",
         "Harbour board votes to rebuild the Kestrel Bay ferry pier", BODY_1, BODY_2, BODY_3]
    )  # fmt: skip
    article = parse_plain_text(page)
    assert article.title == "Harbour board votes to rebuild the Kestrel Bay ferry pier"
    assert article.paragraphs[0] == BODY_1


def test_a_headline_with_a_month_and_a_figure_apart_is_no_date_line():
    assert not is_dateish("New car sales plunge 10 percent in October")
    assert is_dateish("Nov. 20, 2019")


def test_a_long_cookie_banner_is_neither_the_lede_nor_the_text():
    banner = (
        "We use cookies on our website to give you the most relevant experience by remembering your "
        "preferences and repeat visits, to measure how the site is used and to show you offers that fit. "
        "By clicking Accept you consent to the use of all the cookies, or you may visit the settings."
    )
    page = "\n\n".join(["Harbour board votes to rebuild the Kestrel Bay ferry pier", banner, BODY_1, BODY_2])
    article = parse_plain_text(page)
    assert banner not in article.paragraphs and article.paragraphs[0] == BODY_1


def test_a_row_of_share_buttons_after_the_text_ends_the_article():
    teaser = "Readers also liked this story about the new lighthouse keeper and the storm of last winter."
    page = "\n\n".join(
        ["Harbour board votes to rebuild the Kestrel Bay ferry pier", BODY_1, BODY_2, BODY_3, BODY_1 + " Again.",
         "Share", "Tweet", "Email", teaser, teaser + " More.", teaser + " Even more."]
    )  # fmt: skip
    assert teaser not in " ".join(parse_plain_text(page).paragraphs)


def test_a_caption_and_its_credit_under_the_headline_before_the_byline_are_not_the_lede():
    caption = "Fishermen watch the storm from the old pier at Kestrel Bay on Tuesday as the harbour board met in the town hall."
    page = "\n\n".join(
        ["Harbour board votes to rebuild the Kestrel Bay ferry pier", caption, "(Jo Kim / Associated Press)",
         "By Nora Feld", "Nov. 19, 2019", BODY_1, BODY_2, BODY_3]
    )  # fmt: skip
    article = parse_plain_text(page)
    assert article.paragraphs[0] == BODY_1 and caption not in article.paragraphs


def test_a_photo_caption_and_its_credit_below_the_standfirst_are_not_the_lede():
    standfirst = "The pier has been closed since the storms, and the ferry with it."
    caption = "An artist's drawing of the new pier at Kestrel Bay."
    page = "\n\n".join(
        ["Harbour board votes to rebuild the Kestrel Bay ferry pier", "By Nora Feld", "Local News", standfirst,
         "Shares", caption, "(Image: © Kestrel Bay Harbour Board)", BODY_1, BODY_2, BODY_3]
    )  # fmt: skip
    assert caption not in parse_plain_text(page).paragraphs


def test_without_a_headline_the_page_still_ends_after_the_article():
    # the headline stands too far above the text (a row of share buttons between) to be found
    share = ["Facebook", "Twitter", "LinkedIn", "Email", "Copy link", "Print", "Save", "Comment"]
    teasers = ["Council to review parking charges", "By Jo Marsh", "11/20/2019 01:14 PM"] * 4
    page = "\n\n".join(
        ["Harbour board votes to rebuild the pier", *share * 2, BODY_1, BODY_2, BODY_3, BODY_1]
        + ["Share this article", *teasers, "About us"]
    )
    assert parse_plain_text(page).paragraphs[-4:] == [BODY_1, BODY_2, BODY_3, BODY_1]


def test_a_teaser_list_with_bylines_ends_a_short_article():
    teasers = ["Council to review parking charges", "By REUTERS", "11/20/2019 01:14 PM"] * 5
    page = "\n\n".join(["Harbour board votes to rebuild the pier", "By Nora Feld", BODY_1, BODY_2, *teasers])
    article = parse_plain_text(page)
    assert article.byline == "By Nora Feld" and article.paragraphs == [BODY_1, BODY_2]
    # a sentence opening with the word of a byline ("Von … bis …") is the article's text
    von = "Von Atemschutzmaske über Exit-Strategie bis Zoonose"
    page = "\n\n".join(["Das Glossar der Pandemie", BODY_1, BODY_2, von, BODY_3])
    assert parse_plain_text(page).paragraphs == [BODY_1, BODY_2, von, BODY_3]


def test_a_teaser_list_is_told_by_the_rhythm_of_its_dates():
    blurb = (
        "The council will look again at what drivers pay to park near the market square, and traders "
        "say the charges have kept shoppers away from the old town since the spring."
    )
    teasers = ["Council to review parking charges", "Jo Marsh", "Wednesday November 20, 2019", blurb] * 4
    page = "\n\n".join(["Harbour board votes to rebuild the pier", BODY_1, BODY_2, BODY_3, *teasers])
    assert parse_plain_text(page).paragraphs == [BODY_1, BODY_2, BODY_3]
    # the article's own timeline: dates with its paragraphs between, no teaser titles
    timeline = [
        "12 March 2024",
        BODY_1,
        "14 March 2024",
        BODY_2,
        "20 March 2024",
        BODY_3,
        "2 April 2024",
        BODY_1,
    ]
    page = "\n\n".join(["Harbour board votes to rebuild the pier", BODY_1, BODY_2, BODY_3, *timeline])
    assert parse_plain_text(page).paragraphs[-len(timeline) :] == timeline


def test_a_live_blog_with_its_times_and_separators_is_not_a_teaser_list():
    entry = ["___.", "12:50 p.m.:", BODY_1, BODY_2, BODY_3]
    page = "\n\n".join(
        ["The Latest: the harbour board votes on the pier", BODY_1, BODY_2, BODY_3, *entry * 4]
    )
    assert parse_plain_text(page).paragraphs.count(BODY_3) == 5  # every entry kept


def test_a_headline_opening_with_its_date_is_not_a_date_line():
    assert not is_dateish("14.03.2024 - Kestrel Bay wins the harbour cup once more")
    assert is_dateish("14.03.2024 14:30")


def test_a_short_article_of_one_paragraph_before_related_articles_is_its_text():
    teaser = "The council will look again at what drivers pay to park near the market square this year."
    blocks = ["Menu", "Harbour board votes to rebuild the pier", "12.03.2024", BODY_1, "Share this"]
    blocks += ["Related articles", "Council to review parking charges", teaser, teaser, teaser]
    assert RunningText(blocks).first_dense() == 3
    assert find_headline(blocks, lambda _: False, RunningText(blocks)) == 1


def test_the_line_under_a_byline_is_the_text_not_the_headline():
    blocks = ["Harbour board votes to rebuild the pier.", "By Nora Feld", "What will the ferry cost?", BODY_1]
    blocks += [BODY_2]
    found = find_headline(blocks, lambda _: False, RunningText(blocks), lambda b: b.startswith("By "))
    assert found == 0


def test_running_text_may_end_with_a_link():
    blocks = [
        "Harbour board votes to rebuild the pier",
        BODY_1 + " More at https://example.org/pier",
        "Share",
    ]
    assert RunningText(blocks)[1]


def test_the_text_above_a_subheading_taken_for_the_headline_is_kept():
    page = "\n\n".join(["Hope!", BODY_1, BODY_2, "What the ferry will cost", BODY_3, BODY_1])
    article = parse_plain_text(page)
    assert article.paragraphs[:2] == [BODY_1, BODY_2]
    assert article.title == "What the ferry will cost"


def test_a_byline_with_its_outlet_after_a_mark_is_a_byline():
    blocks = [
        "Harbour board votes on the pier.",
        "By Nora Feld | Kestrel Bay Herald staff",
        "Why now?",
        BODY_1,
    ]
    blocks += [BODY_2]
    assert _opens_byline(blocks[1]) and not _opens_byline("By the pier | the boats wait")
    assert find_headline(blocks, lambda _: False, RunningText(blocks), _opens_byline) == 0


def test_a_share_row_between_the_headline_and_its_text_keeps_the_text_in_reach():
    share = ["Facebook", "Twitter", "Email", "Share this", "Print"] * 3
    blocks = ["Home", "Harbour board votes to rebuild the Kestrel Bay pier", *share, BODY_1, BODY_2, BODY_3]
    running = RunningText(blocks, lambda b: b in share)
    assert find_headline(blocks, lambda _: False, running) == 1


def test_a_ticker_is_never_a_headline():
    blocks = ["DAX18302.1-0.4%MDAX25011.7+0.2%", "Harbour board votes to rebuild the pier", BODY_1, BODY_2]
    assert find_headline(blocks, lambda _: False, RunningText(blocks)) == 1


def test_a_teaser_written_twice_inside_the_article_is_dropped():
    teaser = "Council to review parking charges in the old town"
    page = "\n\n".join(
        ["Harbour board votes to rebuild the pier", BODY_1, "Local", teaser, "Local", teaser, BODY_2]
    )
    article = parse_plain_text(page + "\n\n" + BODY_3)
    assert article.paragraphs == [BODY_1, BODY_2, BODY_3]


def test_the_signature_of_a_post_quoted_at_the_end_of_the_article_is_kept():
    signature = "— Kestrel Bay Council (@kestrelbay) May 4, 2024"
    page = "\n\n".join(
        ["Harbour board votes to rebuild the pier", BODY_1, BODY_2, BODY_3, signature, signature]
    )
    assert parse_plain_text(page).paragraphs[-2:] == [signature, signature]


def test_a_breadcrumb_ending_with_the_headline_some_blocks_above_it_is_not_the_headline():
    title = "Harbour board votes to rebuild the Kestrel Bay pier"
    blocks = ["Start News Harbour " + title, "Share", "Print", "Mail", "12.03.2024", "Local", title, BODY_1]
    blocks += [BODY_2]
    assert find_headline(blocks, lambda _: False, RunningText(blocks)) == 6


def test_a_list_of_tags_above_the_text_is_not_the_headline():
    blocks = [
        "Harbour board votes to rebuild the pier",
        "12.03.2024",
        "Kestrel Bay, Harbour, Ferry",
        BODY_1,
        BODY_2,
    ]
    assert find_headline(blocks, lambda _: False, RunningText(blocks)) == 0


def test_a_headline_with_a_date_in_it_is_not_a_date_line():
    assert not is_dateish("Results: Harbour Cup juniors, Kestrel Bay, 19.5.2024")
    assert is_dateish("September 17, 2024 Jo Kim 0") and is_dateish("Nov. 13, 2024")


def test_a_menu_written_as_one_line_is_not_the_headline():
    """A breadcrumb or a menu on one line, its items between separators, and an icon's name in the
    page's text, are the page's, not the article's headline."""
    headline = "Town votes for a new pier"
    for menu in [
        "Harbour | Board | Ferry",
        "Harbour - Board - Ferry",
        "Harbour keyboard_arrow_down",
    ]:
        page = "\n\n".join(["Skip to content", menu, "Harbour news", headline, BODY_1, BODY_2])
        assert parse_plain_text(page).title == headline, menu


def test_placeholder_text_and_browser_warnings_are_boilerplate():
    from digest.ingest.structure import is_boilerplate

    assert is_boilerplate("Lorem ipsum dolor sit amet:")
    assert is_boilerplate("We've detected you are on Internet Explorer. For the best experience, use another browser.")
    assert is_boilerplate("You are using an outdated browser. Please upgrade it.")
    assert is_boilerplate("Something went wrong with the connection!")
    assert not is_boilerplate("The harbour board detected a leak in the ferry's hull on Monday.")


def test_a_headline_opening_a_container_may_stand_far_from_the_running_text():
    """An article container opens with its headline; a shop's or a recipe's list may stand between it
    and the first paragraph of running text (farther than on a whole page), then a subheading."""
    items = "Flour Sugar Butter Eggs Milk Salt Plums Cinnamon Lemon Vanilla Yeast Cream Almonds Honey".split()
    body = (
        "The harbour plum cake is baked on the first Sunday of the harvest, as the bakers of the bay "
        "have done for a century."
    )
    text = "\n\n".join(["Harbour plum cake", *items, *items, "What you should know", body, BODY_2])
    assert parse_plain_text(text).title == "Harbour plum cake"


def test_a_page_title_repeated_by_the_headline_below_is_not_the_headline():
    items = "Home News Sport Weather Business Culture Travel Opinion Video Audio Events Jobs Shop".split()
    page_title, headline = "Harbour board votes to rebuild the pier | Harbour Herald", "Harbour board votes to rebuild the pier"
    text = "\n\n".join([page_title, *items, *items, headline, BODY_1, BODY_2])
    assert parse_plain_text(text).title == headline
