"""The list's language drives every fixed string, date, duration and the writing direction."""

from __future__ import annotations

from datetime import UTC, date, datetime

import lxml.html
import pytest

from digest.render import personalize, render_edition
from digest.render.catalog import STRINGS
from digest.render.notices import NOTICE_FIELDS, render_notice
from digest.render.specimen import specimen_edition
from tests import ROOT
from tests.render.test_message import VALUES, Tags, a_list

TEMPLATES = ROOT / "templates"
DAY = date(2026, 11, 23)
EXPECTED = {  # language: (date, read more, unsubscribe, reading time of 1,150 words)
    "en": ("November 23, 2026", "Read more", "Unsubscribe", "5 min read"),
    "fr": ("23 novembre 2026", "Lire la suite", "Se désabonner", "5\u00a0min de lecture"),  # Babel: no-break space
    "de": ("23. November 2026", "Weiterlesen", "Abbestellen", "5 Min. Lesezeit"),
    "es": ("23 de noviembre de 2026", "Seguir leyendo", "Darse de baja", "5 min de lectura"),
    "it": ("23 novembre 2026", "Continua a leggere", "Annulla l’iscrizione", "5 min di lettura"),
}


def test_every_language_has_every_string_of_english():
    for language, strings in STRINGS.items():
        assert strings.keys() == STRINGS["en"].keys(), language
        for key, value in strings.items():
            placeholders = {p.split("}")[0] for p in value.split("{")[1:]}
            english = {p.split("}")[0] for p in STRINGS["en"][key].split("{")[1:]}
            assert placeholders == english, (language, key)


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_the_digest_speaks_the_lists_language(language):
    day, read_more, unsubscribe, reading = EXPECTED[language]
    edition = specimen_edition(2)
    edition.items[0].words = 1150
    template = render_edition(edition, a_list(language=language), TEMPLATES, today=DAY)
    html, text = personalize(template, VALUES)
    assert f'<html lang="{language}" dir="ltr"' in html
    for part in (html, text):
        assert day in part and read_more in part and unsubscribe in part and reading in part
    others = {EXPECTED[other][1] for other in EXPECTED if other != language}
    assert not [words for words in others if words in html or words in text]


def test_right_to_left_languages_render_right_to_left():
    template = render_edition(specimen_edition(1), a_list(language="ar"), TEMPLATES, today=DAY)
    html, _ = personalize(template, VALUES)
    assert '<html lang="ar" dir="rtl"' in html
    assert 'role="article" lang="ar" dir="rtl"' in html
    assert "text-align:right" in html and "text-align:left;color" not in html
    assert "border-right: 3px solid" in html  # quotes hang on the reading side
    assert "٢٠٢٦" in html or "2026" in html  # Babel's Arabic date


# What a notice says beyond its links: a review request names its draft and its deadline.
FACTS = {
    "review": {"edition": 12, "subject": "The week: a ferry line reopens", "count": 4, "at_deadline": "skip",
               "deadline": datetime(2026, 11, 23, 10, 0, tzinfo=UTC), "timezone": "Europe/Paris"},
    # an alert names the edition, the rate over its limit and the figures behind it
    "alert": {"edition": 12, "subject": "The week: a ferry line reopens", "kind": "complaints", "what": "complaints",
              "rate": 0.0125, "limit": 0.001, "sent": 400, "delivered": 391, "complained": 5, "bounced": 0},
}  # fmt: skip


@pytest.mark.parametrize("language", sorted(EXPECTED))
@pytest.mark.parametrize("kind", ["complaints", "bounces"])
def test_an_alert_gives_the_rate_and_its_limit_in_the_lists_language(language, kind):
    from babel.numbers import format_percent

    lst = a_list(language=language)
    facts = {**FACTS["alert"], "kind": kind, "bounced": 9, "rate": 0.0225 if kind == "bounces" else 0.0125,
             "limit": 0.02 if kind == "bounces" else 0.001}  # fmt: skip
    html, text = personalize(render_notice("alert", lst, TEMPLATES, facts), {"newsroom_url": "https://x.org/newsroom"})
    rate = format_percent(facts["rate"], "#,##0.##%", locale=language)
    limit = format_percent(facts["limit"], "#,##0.##%", locale=language)
    said = STRINGS[language][f"alert_{kind}"].format(rate=rate, limit=limit, sent=400, delivered=391,
                                                     count=5 if kind == "complaints" else 9)  # fmt: skip
    assert said in text and "https://x.org/newsroom" in text and "https://x.org/newsroom" in html


@pytest.mark.parametrize("language", sorted(EXPECTED))
@pytest.mark.parametrize("kind", sorted(NOTICE_FIELDS))
def test_every_notice_in_each_language(kind, language):
    lst = a_list(language=language, description="")
    facts = FACTS.get(kind, {})
    template = render_notice(kind, lst, TEMPLATES, facts)
    values = {field: f"https://digest.example.org/{field}/t0k3n" for field in NOTICE_FIELDS[kind]}
    html, text = personalize(template, values)
    assert template.subject == STRINGS[language][f"{kind}_subject"].format(list="The World", **facts)
    hrefs = [a["href"] for a in Tags(html).named("a")]
    for url in values.values():
        assert url in hrefs and url in text
    body = STRINGS[language][f"{kind}_body"].format(list="The World", **facts)
    assert body in text and str(body) in html
    assert f'<html lang="{language}"' in html and "1 Example Street, Paris" in text


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_a_review_request_names_its_draft_the_command_and_the_deadline_in_the_lists_language(language):
    lst = a_list(language=language, description="", timezone="Europe/Paris")
    html, text = personalize(render_notice("review", lst, TEMPLATES, FACTS["review"]), {"review_url": "https://x.org/r"})
    strings = STRINGS[language]
    deadline = {"en": "November 23, 2026", "fr": "23 novembre 2026", "de": "23. November 2026",
                "es": "23 de noviembre de 2026", "it": "23 novembre 2026"}[language]  # fmt: skip
    plain = " ".join(text.split())
    assert strings["review_items.other"].format(count=4) in plain
    assert "The week: a ferry line reopens" in plain and "digest editions approve 12" in plain
    assert deadline in plain and "11:00" in plain and "CET" in plain  # 10:00 UTC, read in Paris
    assert strings["review_deadline_skip"].split("{deadline}")[1].strip() in plain
    visible = " ".join(lxml.html.document_fromstring(html).text_content().split())
    assert "digest editions approve 12" in visible and deadline in visible
    assert "List-Unsubscribe" not in text and strings["why"].split("{list}")[0] not in text  # not list mail


def test_an_item_in_another_language_is_marked_for_screen_readers():
    edition = specimen_edition(2)
    edition.items[0].language = "de"
    edition.items[1].language = "en"
    html, _ = personalize(render_edition(edition, a_list(language="en"), TEMPLATES), VALUES)
    tags = Tags(html)
    assert [h2.get("lang") for h2 in tags.named("h2")] == ["de", None]
    assert [div["lang"] for div in tags.named("div") if "lang" in div and "role" not in div] == ["de"]
