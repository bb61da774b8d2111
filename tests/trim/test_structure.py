"""Plain-text and HTML structure: title, caption, credit, byline, dateline, boilerplate in every language."""

import pytest

from digest.ingest.pages import parse_html
from digest.ingest.structure import is_boilerplate, parse_plain_text

BODY = (
    "The council voted on Tuesday to fund a late-night bus network for shift workers across the city, "
    "ending a dispute that had lasted two years."
)


@pytest.mark.parametrize(
    "line",
    [
        "Leave a comment",
        "Share this article",
        "Read more: How the crisis unfolded",
        "Sign up for our newsletter",
        "Laisser un commentaire",
        "sept + vingt =",
        "Lire aussi : Les usagers face aux grèves",
        "Partager sur Facebook",
        "Artikel teilen",
        "Lesen Sie auch: Die Geschichte",
        "Ihre E-Mail-Adresse wird nicht veröffentlicht.",
        "Deja un comentario",
        "Lee también: Qué cambia",
        "Compartir en Twitter",
        "Lascia un commento",
        "Leggi anche: La storia infinita",
        "Condividi su Facebook",
        "© 2024 Harbour Times. All rights reserved.",
        "Advert",
        "Share on: Facebook Twitter",
        "Don't miss",
        "Our latest stories",
        "Tell us what you think!",
        "- Next Harbour News",
        "Related",
        "Write to Jo Kim at jo.kim@example.org",
        "View comments",
        "Trending now",
        "Want the harbour news first? Sign up for our newsletter.",
        "· Updated:",
        "Möchten Sie den Artikel teilen?",
        "Beitrag teilen:",
        "Rezept drucken Bei Pinterest speichern",
        "Schlagwörter: Hafen, Fähre, Gemeinderat",
        "Hier geht es zur neuen Satzung",
        "Unterstütze Hafenblatt schon mit 3 Euro!",
        "Vos réactions (4)",
        "Audios et vidéos sur le sujet",
        "No responses so far »",
        "← The ferry timetable for the winter",
        "The ferry timetable for the winter →",
        "Zusatzinformationen:",
        "Eingestellt von Jo um 21:11",
        "Thanks for signing up!",
        "There was an error processing your subscription.",
        "Have a tip? Jo Kim may be reached at jo.kim@example.org.",
        "(Reporting by Jo Kim; Editing by Dale Ferris)",
        "Print this article",
        "[ 12 comments ]",
        "Jo Kim Submitted photo",
        "1 of 6",
        "Terms of Service Privacy Notice",
        "Published 10:02 AM EST Nov 19, 2024",
        "In This Article: ferries, Kestrel Bay",
        "Pin It",
        "More in Harbour News",
        "Email Jo Kim at jo@example.org or follow her on the harbour forum.",
        "Want more stories like this?",
        "Need more news? Subscribe to our weekly harbour letter for the latest.",
        "No comments yet",
        "Related Links",
        "Additional reporting by Jo Kim",
        "Harbour Times’ Dale Ferris contributed to this report.",
        "Share All sharing options for: The ferry that never came",
        "Harbour Weekly Newsletter",
        "Schlagworte",
        "Alle Nachrichten zum Hafen in Kiel",
        "Weitere Infos unter www.hafen-beispiel.de.",
        "Weitere Informationen zum Fährplan:",
        "Publiziert: 03.04.2024, 12:35",
        "Leseprobe: Das Hafenbuch",
        "Abbildung 3: Der Hafen bei Ebbe. Die Fähre liegt links.",
        "Ihr Beitrag hilft, unseren Hafenblog weiter kostenlos anzubieten.",
        "Lust auf mehr? Lass dir die besten Geschichten vom Hafen jede Woche in deinen Posteingang liefern. "
        "Melde dich hier für unseren Newsletter an!",
        "Forum | Kostenloses Hilfe-Forum | Kontakt | Einen Missbrauch melden",
        "BLOG > Harbour > Ferry Plans",
        "In this March 28, 2024, file photo, the harbour ferry waits at its mooring.",
        "This illustration shows a concept ferry by Harbour Yards.",
        "An artist’s concept of the new ferry terminal.",
        "Join our Harbour Forums to keep talking ferries!",
        "Note: we are temporarily moderating all comments submitted to deal with spam.",
        "Sometimes we include links to online stores. If you buy something we may receive a commission.",
        "Updated Nov. 19, 2024 8:21 am ET / Original Nov. 19, 2024 8:02 am ET",
        "Erstellt am Dienstag 6. Mai 2024 um 23:30 und abgelegt unter Hafen, Fähren, Kiel.",
        ">> Wegen Sturm: Die Fähre nach Kiel fällt aus <<",
        "(Leggi anche su: Il traghetto del porto – FOTO)",
        "Artikel",
        "Permalien https://example.org/p/ferry",
        "On HarbourTimes.com: Ferry fares rise again",
        "(Harbour Ferry Co.)",
    ],
)
def test_boilerplate_in_every_language(line):
    assert is_boilerplate(line)


def test_boilerplate_cut_by_first_character_matches_as_the_whole_pattern():
    """Trying only the alternatives that can open with a paragraph's first character (speed) finds
    what the whole pattern finds: on lines opening with letters, digits, marks, spaces and letters
    beyond ASCII, boilerplate or not."""
    from digest.ingest.structure import _boilerplate, _boilerplate_match
    from digest.text.lang import boilerplate_phrases

    lines = [
        *test_boilerplate_in_every_language.pytestmark[0].args[1],
        BODY,
        "  Leave a comment",
        "12 Kommentare",
        "٣ comments",
        "3 min read",
        "Être informé : inscrivez-vous à notre newsletter",
        "Ähnliche Artikel",
        "Über uns",
        "İstanbul, 3 Kasım",
        "ſhare this article",
        "«Suivant»",
        "→ Next post: ferries",
        "",
        "   ",
        "© Harbour Times",
    ]
    assert len(boilerplate_phrases()) > 100
    for line in lines:
        assert _boilerplate_match(line) == (_boilerplate().match(line) is not None), line


def test_byline_and_credit_openings_are_found_as_by_their_whole_pattern():
    """A line is tried against the byline and credit openings only when its first character opens
    one of them (speed): what is found is what the whole pattern finds."""
    from digest.ingest.structure import _byline_pattern, _credit_pattern

    lines = ["By Jo Kim", "BY: Jo Kim", "by the harbour", "Foto: dpa", "FOTO: dpa", "Photo : AFP"]
    lines += ["Crédit : AFP", "Von Anna Berg", "Par Jean Dupont", "Über den Hafen", "İstanbul", "ſoto"]
    lines += ["", " By Jo Kim", BODY]
    for pattern in (_byline_pattern(), _credit_pattern()):
        for line in lines:
            got, want = pattern.match(line), pattern.pattern.match(line)
            assert (got and got.group()) == (want and want.group()), line


def test_article_text_is_not_boilerplate():
    assert not is_boilerplate(BODY)
    assert not is_boilerplate("Commentators said the vote was close.")
    assert not is_boilerplate("Next year the ferry will run twice a day, the board said.")
    assert not is_boilerplate("Related talks with the council will begin in spring.")
    assert not is_boilerplate("Hier geht es um die Zukunft des Hafens, sagte die Bürgermeisterin am Montag.")
    assert not is_boilerplate("Published in 1990, the harbour guide is still the best map of the bay.")
    assert not is_boilerplate("By Tuesday the ferry was running again.")
    assert not is_boilerplate("The newsletter, which the harbour launched in 2019, has 2,000 readers.")
    assert not is_boilerplate("Weitere Informationen zum Fährplan liegen noch nicht vor.")
    assert not is_boilerplate("Veröffentlicht am 16.08.2024")  # a post's date: the article's, on some pages
    assert not is_boilerplate("Fares rose | the council said | again.")
    assert not is_boilerplate("The ferry was late, she said [sic].")
    assert not is_boilerplate("This photo, taken by a tourist, went round the harbour.")
    assert not is_boilerplate("Artikel 3 des Gesetzes regelt den Fährverkehr.")
    assert not is_boilerplate("(The ferry was late again.)")
    assert not is_boilerplate("On Tuesday: the ferry was late again.")


def test_caption_and_credit_before_the_title():
    article = parse_plain_text(
        "The mayor speaks at City Hall on Tuesday, Nov. 12, 2024.\n\nJane Roe\n\n"
        f"Council approves late-night buses\n\n{BODY}\n\nLeave a comment"
    )
    assert article.title == "Council approves late-night buses"
    assert article.caption == "The mayor speaks at City Hall on Tuesday, Nov. 12, 2024."
    assert article.byline == "Jane Roe"
    assert article.paragraphs == [BODY]


def test_caption_in_another_language_than_the_article():
    article = parse_plain_text(
        "Protesters gather outside the ministry in Paris on Monday.\n\n"
        "Les syndicats manifestent contre la réforme\n\n"
        "Les syndicats ont manifesté lundi devant le ministère pour dénoncer la réforme des retraites, "
        "qui doit être examinée par les députés la semaine prochaine."
    )
    assert article.title == "Les syndicats manifestent contre la réforme"
    assert article.language == "fr"
    assert article.caption.startswith("Protesters gather")


def test_byline_dateline_and_credit_after_the_title():
    article = parse_plain_text(
        "Council approves late-night buses\n\nBy Martin Hale\n\n"
        "A bus waits at the depot.\n\nPhoto: Jane Roe/Reuters\n\n"
        f"LEEDS (Reuters) — {BODY}"
    )
    assert article.byline == "By Martin Hale"
    assert article.caption == "A bus waits at the depot."
    assert article.dateline == "LEEDS (Reuters)"
    assert article.paragraphs == [BODY]


@pytest.mark.parametrize(
    "dateline",
    [
        "Publié le 12 août 2024 à 08h15",
        "Santiago, 14 de marzo de 2024",
        "Palermo, 20 luglio 2024",
        "Nov. 13, 2024",
    ],
)
def test_date_paragraphs_are_datelines(dateline):
    article = parse_plain_text(f"Council approves late-night buses\n\n{dateline}\n\n{BODY}")
    assert article.dateline == dateline
    assert article.paragraphs == [BODY]


def test_empty_and_blank_text():
    assert parse_plain_text("").paragraphs == []
    assert parse_plain_text("\n\n  \n").title == ""


def test_html_title_without_site_name_and_description_as_standfirst():
    html = (
        "<html><head><title>Council approves late-night buses | Leeds Post</title>"
        '<meta name="description" content="Shift workers will get buses home after midnight from March.">'
        f"</head><body><article><h1>Council approves late-night buses</h1><p>{BODY}</p>"
        "<p>“This is about the nurse who finishes at midnight,” said councillor Amira Shah.</p>"
        "</article></body></html>"
    )
    article = parse_html(html)
    assert article.title == "Council approves late-night buses"
    assert article.standfirst == "Shift workers will get buses home after midnight from March."
    assert article.paragraphs[0] == BODY
    assert article.language == "en"


@pytest.mark.parametrize(
    "credit",
    [
        "Photo: Tom Ellery",
        "Photo by Tom Ellery",
        "Image: Tom Ellery/Reuters",
        "Credit: Tom Ellery",
        "Foto: Lena Hofer",
        "Bild: Lena Hofer",
        "Photo : Thomas Samson / AFP",
        "Crédit photo Thomas Samson",
        "Fotografía: Ana Ruiz",
        "Immagine: Paolo Neri",
    ],
)
@pytest.mark.parametrize("where", ["before the title", "after the title", "after a caption"])
def test_a_photo_or_image_credit_is_never_the_byline(credit, where):
    title = "Council approves late-night buses"
    text = {
        "before the title": f"A bus waits at the depot.\n\n{credit}\n\n{title}\n\n{BODY}",
        "after the title": f"{title}\n\n{credit}\n\n{BODY}",
        "after a caption": f"{title}\n\nA bus waits at the depot.\n\n{credit}\n\n{BODY}",
    }[where]
    article = parse_plain_text(text)
    assert article.title == title
    assert article.byline is None
    assert article.paragraphs == [BODY]  # nor is it the story's text


def test_the_byline_is_found_beside_a_credit():
    article = parse_plain_text(
        f"Council approves late-night buses\n\nPhoto: Tom Ellery\n\nBy Martin Hale\n\n{BODY}"
    )
    assert article.byline == "By Martin Hale" and article.paragraphs == [BODY]


MORE = "Buses will run every twenty minutes from midnight until five in the morning, the council said on Tuesday."


@pytest.mark.parametrize(
    "caption",
    [
        "Der Busbahnhof am Abend. Foto: Stadtwerke/Anna Roth",
        "Shift workers wait for the last tram (Photo: Tom Ellery)",
        "Le dépôt de bus de la ville © Jean Morel/pixelio.de",
    ],
)
def test_a_caption_ending_with_its_credit_is_not_the_story(caption):
    text = f"Council approves late-night buses\n\n{BODY}\n\n{caption}\n\n{MORE}"
    assert parse_plain_text(text).paragraphs == [BODY, MORE]


def test_a_sentence_naming_a_photo_is_the_story():
    line = "The council also showed a photo of the new buses, which will run from May."
    assert parse_plain_text(f"Council approves late-night buses\n\n{BODY}\n\n{line}").paragraphs == [
        BODY,
        line,
    ]


def test_a_cookie_notice_naming_the_site_by_its_domain_is_boilerplate():
    assert is_boilerplate(
        "Diese Cookies sind notwendig, damit die Basisfunktionen von example.de genutzt werden."
    )
    assert not is_boilerplate(
        "Die Cookies werden bei 180 Grad zwölf Minuten gebacken, bis sie goldbraun sind."
    )


def test_page_furniture_between_the_head_and_the_text_is_dropped():
    text = "\n\n".join(
        [
            "Council approves late-night buses",
            "by Martin Hale",
            "@martinhale",
            "• 2 min read",
            "0",
            "Shares",
            BODY,
        ]
    )
    article = parse_plain_text(text)
    assert article.paragraphs == [BODY] and article.byline == "by Martin Hale"


def test_a_teaser_title_tagged_in_capitals_and_a_gallery_s_furniture_inside_the_article_are_dropped():
    text = (
        f"Council approves late-night buses\n\n{BODY}\n\nBus drivers strike again [VIDEO]\n\n"
        f"Harbour ferry sinks at its mooring [INSIGHT]\n\nCaption\n\n1 / 4\n\n{MORE}"
    )
    assert parse_plain_text(text).paragraphs == [BODY, MORE]


def test_a_caption_whose_credit_closes_with_a_full_stop_is_not_the_story():
    caption = "Ferries at the pier on Monday (Foto: Jo Kim/Pool via REUTERS)."
    text = f"Council approves late-night buses\n\n{BODY}\n\n{caption}\n\n{MORE}"
    assert parse_plain_text(text).paragraphs == [BODY, MORE]


def test_a_box_of_teasers_titles_above_a_heading_of_what_follows_is_dropped_and_the_text_goes_on():
    teasers = "\n\n".join(
        [
            "Watch live: the harbour board meets on ferries",
            "Key moments from the council's bus debate",
            "Five things to know about the night buses",
        ]
    )
    head = f"Council approves late-night buses\n\n{BODY}\n\n{teasers}\n\nMore in Harbour News"
    assert parse_plain_text(f"{head}\n\n{MORE}\n\n{BODY}\n\n{MORE}").paragraphs == [BODY, MORE, BODY, MORE]
    assert parse_plain_text(f"{head}\n\nFerry Times\n\nContact us").paragraphs == [BODY]  # where it ends


def test_subheadings_of_the_article_stay():
    text = (
        f"Council approves late-night buses\n\n{BODY}\n\nWhat the buses cost\n\n{MORE}\n\n"
        f"Where the buses will go\n\n{BODY}"
    )
    want = [BODY, "What the buses cost", MORE, "Where the buses will go", BODY]
    assert parse_plain_text(text).paragraphs == want


def test_a_list_the_article_introduced_stays_above_a_heading_of_what_follows():
    items = "\n\n".join(
        ["Night buses every twenty minutes", "Free rides for shift workers", "New stops near the hospital"]
    )
    head = f"Council approves late-night buses\n\n{BODY}\n\nThe plan brings:"
    text = f"{head}\n\n{items}\n\nRelated articles\n\nFerry Times"
    assert parse_plain_text(text).paragraphs[-3:] == items.split("\n\n")


def test_the_article_ends_at_the_heading_of_its_comments_though_their_thread_is_prose():
    comments = "\n\n".join(
        f"Jo Kim\n\n2 days ago at 07:5{n} am\n\n"
        "I think the buses will be full every night, and the council knows it well."
        for n in range(4)
    )
    text = f"Council approves late-night buses\n\n{BODY}\n\n{MORE}\n\nTop Rated Comments\n\n{comments}"
    assert parse_plain_text(text).paragraphs == [BODY, MORE]


def test_a_list_of_dated_teasers_between_the_headline_and_the_text_is_dropped():
    teasers = "\n\n".join(
        [
            "First look: the new harbour ferry",
            "June 18, 2023",
            "HARBOUR NEWS",
            "The strangest bus you will see today",
            "September 12, 2024",
            "BUS REVIEWS",
            "2024 night bus timetable",
            "October 19, 2024",
        ]
    )
    text = f"Council approves late-night buses\n\n{teasers}\n\n{BODY}\n\n{MORE}"
    assert parse_plain_text(text).paragraphs == [BODY, MORE]


def test_the_article_s_own_date_above_its_text_does_not_make_a_teaser_list():
    text = f"Council approves late-night buses\n\nNovember 12, 2024\n\nThe night buses\n\n{BODY}\n\n{MORE}"
    assert parse_plain_text(text).paragraphs[-2:] == [BODY, MORE]


def test_a_link_to_another_story_in_capitals_inside_the_article_is_dropped():
    link = "HARBOUR FERRY CLEARED TO SAIL AGAIN AMID STRIKE"
    text = f"Council approves late-night buses\n\n{BODY}\n\n{link}\n\n{MORE}\n\nTHE COST\n\n{BODY}"
    assert parse_plain_text(text).paragraphs == [BODY, MORE, "THE COST", BODY]


def test_a_credit_via_an_agency_inside_the_article_is_not_the_story():
    text = f"Council approves late-night buses\n\n{BODY}\n\nHarbour Ferry Registry via AP\n\n{MORE}"
    assert parse_plain_text(text).paragraphs == [BODY, MORE]


def test_a_byline_in_a_row_of_furniture_opens_with_its_mark():
    text = f"Council approves late-night buses\n\n| BY: Jo Kim, MS\n\n{BODY}\n\n{MORE}"
    article = parse_plain_text(text)
    assert article.paragraphs == [BODY, MORE] and article.byline == "| BY: Jo Kim, MS"


def test_a_box_of_teasers_titles_below_a_heading_inside_the_article_is_dropped():
    titles = "\n\n".join(
        [
            'Video shows the ferry rescue: "We got them!"',
            "Man arrested after bus depot fire: Police",
            "Harbour guards charged with falsifying records",
            "Officials urge the council to redesign the night routes",
        ]
    )
    head = f"Council approves late-night buses\n\n{BODY}\n\nTrending News"
    text = f"{head}\n\n{titles}\n\n{MORE}\n\n{BODY}\n\n{MORE}"
    assert parse_plain_text(text).paragraphs == [BODY, MORE, BODY, MORE]  # (the article goes on below)
