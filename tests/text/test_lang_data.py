"""The language data modules: found by name, and their page-furniture expressions well formed."""

import re

from digest.text.lang import get, languages


def test_every_language_module_is_found_by_its_code():
    assert {"en", "de", "fr", "es", "it"} <= set(languages())
    assert get("de-AT") is languages()["de"] and get("xx") is None


def test_the_page_furniture_expressions_compile_and_match_whole_blocks():
    for lang in languages().values():
        for expression in (*lang.boilerplate, *lang.article_end, *lang.relative_time):
            re.compile(expression, re.I)
        assert lang.article_end, f"{lang.code} has no headings of what follows an article"
