"""Plain-text article structure: title, caption, credit, byline, dateline and body; boilerplate dropped.

Scraped text often opens with a photo caption and its credit before the title (the caption is
sometimes in another language than the article), and ends with share prompts, comment forms and
captchas. The rules here are positional and lexical, with each language's boilerplate phrases, byline
and credit words, and date and time words taken from its data module in digest.text.lang.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from digest.domain import Article
from digest.ingest.headline import (
    RunningText,
    article_end,
    find_headline,
    is_dateish,
    is_end_heading,
    is_prose,
    is_running_text,
    one_line_row,
)
from digest.text.lang import boilerplate_phrases, languages
from digest.text.language import SAMPLE_CHARS, detect

_BLANK_LINE = re.compile(r"\n\s*\n")
HEAD = 6  # the title is looked for among the first paragraphs
TITLE_WORDS = (3, 30)
CREDIT_WORDS = 5
CREDIT_MAX_WORDS = 10  # a credit is at most this long
HEAD_FURNITURE = 8  # blocks after the head looked at for its furniture, up to the text
NAME_WORDS = 6  # the names of a byline after its word ("By")
BOILERPLATE_CHARS = 200
MANY_FIRSTS = 12  # a boilerplate alternative that may open with more characters is tried on every paragraph
MENU_WORDS = 3
_SIGNATURE_DASHES = "—―–"
_YEAR_OR_TIME = re.compile(r"\b(?:19|20)\d{2}\b|\b\d{1,2}[:.h]\d{2}\b")
ECHO_GAP = 2  # a block written again this close is a teaser's (its title twice), not the article's
OPENING_RUN = 2  # blocks of running text above the headline: the article's opening, not a caption
BEFORE_HEADLINE = 3  # blocks before the headline looked at for a caption or a byline; the rest is the page's

_END = re.compile(r"[.!?:;…»”\"')]$")
_NETWORKS = (
    r"(?:facebook|twitter|pinterest|whatsapp|linkedin|telegram|reddit|xing|flipboard|messenger|instagram"
    r"|threads|bluesky|mastodon|tumblr|vk|vkontakte|odnoklassniki|e-?mail)"
)
_GENERIC_BOILERPLATE = (
    r"[\w’']+ [+\-x×*] [\w’']+ =\s*\S*$",  # captcha: "sept + vingt ="
    r"©|\(c\)\s",
    r"https?://\S+$",
    r"[\W_]+$",
    rf"{_NETWORKS}(?:\s*[,|/•·]?\s*{_NETWORKS})*\s*$",  # a share row: "Facebook", "Twitter WhatsApp"
    rf"(?:[\w.’'-]+ ){{1,4}}(?:on|bei|auf|sur|en|su) {_NETWORKS}\s*$",  # "MZ Dessau bei Facebook"
    r"(?:foto|photo|bild|image)?:?\s*(?:istock(?:\.com)?|getty images|shutterstock|imago|keystone"
    r"|picture alliance)(?:\s*/\s*[\w .-]+)?\s*$",  # a lone credit: "iStock.com", "Foto: imago"
    r"\((?:quelle|foto|bild|source|photo|image|crédit|fuente|fonte)s?\s*:[^()]*\)\s*$",  # (Quelle: X/Unsplash)
    r"(?:the )?(?:associated press|reuters|agence france-presse|deutsche presse-agentur)\s*$",  # an agency alone
    r"(?:.{0,40}\s)?cc[ -]by(?:[ -](?:sa|nd|nc))*(?:\s+\d\.\d)?\b.{0,40}$",  # "In Flickr CC by X": a licence
    r"[←→]\s*.{3,120}$",  # a link to the previous or the next post
    r"(?=[^←→\n]*+[←→]).{3,120}\s[←→]\s*$",  # (an arrow looked for first: the rest costs more)
    r"lorem ipsum\b",  # a template's placeholder text
    r">>\s*.{3,160}<<\s*$",  # a link to another post: ">> Wegen Corona: … <<"
    r"\((?-i:[A-Z][\w.&'’-]*)(?: (?-i:[A-Z&][\w.&'’-]*)){0,5}\)\s*$",  # a credit alone: "(Walt Disney Co.)"
)
_DATELINE_PREFIX = re.compile(
    r"^([A-ZÀ-Þ][A-ZÀ-Þ .’'-]{2,40}(?:,[^—–(]{0,30})?(?:\s*\([^)]{2,30}\))?)\s*[—–-]\s+"
)
_AGENCIES = (
    r"getty images|afp|reuters|\bap\b|dpa|epa|ansa|efe|istock|shutterstock|imago|keystone|unsplash|pixabay"
    r"|picture alliance|/"
)


@cache
def _dateline_paragraph() -> re.Pattern[str]:
    """A paragraph that is only a date and maybe a time: "12 août 2024 à 14h30", "14 de marzo de 2024",
    "Nov. 13, 2024 at 9:00 am", "13.11.2024 um 14:30"; each language's date and time words."""
    joiners = _words(p for lang in languages().values() for p in lang.date_joiners)
    times = _words(p for lang in languages().values() for p in lang.time_prepositions)
    date = (
        rf"(?:\d{{1,2}}(?:er|\.|º)?\s+(?:{joiners}\s+)?[^\W\d_]{{3,10}}\.?,?\s+(?:{joiners}\s+)?\d{{4}}"
        r"|[^\W\d_]{3,10}\.?\s+\d{1,2},?\s+\d{4}"  # Nov. 13, 2024
        r"|\d{1,4}[./-]\d{1,2}[./-]\d{2,4})"  # 13.11.2024
    )
    return re.compile(
        rf"^(?:[^\W\d_]+,?\s+){{0,4}}{date}(?:\s*(?:[,-]|{times})?\s*\d{{1,2}}[:.h]\d{{2}}\s*\w*)?\.?$", re.I
    )


def _words(phrases: Iterable[str]) -> str:
    """An alternation of phrases, the longest first; one that matches nothing when there are none."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(map(re.escape, ordered)) or "(?!)"


@cache
def _credit_marker() -> re.Pattern[str]:
    """What ends a photo caption's credit: an agency, a slash, or a language's word for a photo."""
    words = _words(w for lang in languages().values() for w in lang.credit_words)
    return re.compile(rf"(?:{_AGENCIES}|{words})", re.I)


def paragraphs_of(text: str) -> list[str]:
    blocks = _BLANK_LINE.split(text.replace("\r\n", "\n").replace("\r", "\n"))
    return [" ".join(b.split()) for b in blocks if b.strip()]


def _alternation(alternatives: Iterable[str]) -> re.Pattern[str]:
    return re.compile(r"\s*(?:" + "|".join(f"(?:{a})" for a in alternatives) + ")", re.I)


@cache
def _boilerplate() -> re.Pattern[str]:
    return _alternation([*_GENERIC_BOILERPLATE, *boilerplate_phrases()])


@cache
def _boilerplate_alternatives() -> tuple[list[str], dict[str, list[str]]]:
    """The boilerplate pattern's alternatives cut by the character their text opens with: those that
    may open with any character or with one of many (a dot, \\d, \\W), and per lowercase first
    character the others that can open with it. A paragraph is then tried against a few dozen
    alternatives instead of some two hundred (the match is the same)."""
    anywhere: list[str] = []
    by_first: dict[str, list[str]] = {}
    for alternative in [*_GENERIC_BOILERPLATE, *boilerplate_phrases()]:
        chars = _first_chars(alternative)
        if chars is None or len(chars) > MANY_FIRSTS:
            anywhere.append(alternative)
        else:
            for key in {c.lower() for c in chars}:
                by_first.setdefault(key, []).append(alternative)
    return anywhere, by_first


@cache
def _boilerplate_opening(key: str) -> re.Pattern[str]:
    """The alternatives that can open with the character `key` (lowercase) and those that can open
    with any, compiled when first asked."""
    anywhere, by_first = _boilerplate_alternatives()
    return _alternation([*anywhere, *by_first.get(key, [])])


_sre_parser: Any = importlib.import_module("re._parser")  # the standard library's own pattern parser


def _first_chars(pattern: str) -> set[str] | None:
    """The characters a match of a regular expression can open with, or None when they are not known
    (a class such as \\w) or it may open with a space or match nothing."""
    chars, empty = _firsts(_sre_parser.parse(pattern, re.I).data)
    return None if chars is None or empty or any(c.isspace() for c in chars) else chars


def _firsts(items: list[tuple[Any, Any]]) -> tuple[set[str] | None, bool]:
    """(first characters or None, whether the sequence of parsed items can match nothing)."""
    chars: set[str] = set()
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            return chars | {chr(arg)}, False
        if name == "IN":
            members = _class_chars(arg)
            return (None if members is None else chars | members), False
        if name == "AT":
            continue  # an anchor (^, \\b) takes no character: the next item opens the match
        if name == "SUBPATTERN" and not (arg[1] or arg[2]):  # (flags set or cleared inside: not known)
            found, empty = _firsts(arg[3].data)
        elif name == "BRANCH":
            parts = [_firsts(branch.data) for branch in arg[1]]
            found = None if any(f is None for f, _ in parts) else set().union(*(f or () for f, _ in parts))
            empty = any(e for _, e in parts)
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            found, empty = _firsts(arg[2].data)
            empty = empty or arg[0] == 0
        else:
            return None, False
        if found is None:
            return None, False
        chars |= found
        if not empty:
            return chars, False
    return chars, True


def _class_chars(members: list[tuple[Any, Any]]) -> set[str] | None:
    """The characters of a class ([a-z«]), or None for a category or a negated class."""
    chars: set[str] = set()
    for op, arg in members:
        if str(op) == "LITERAL":
            chars.add(chr(arg))
        elif str(op) == "RANGE" and arg[1] - arg[0] < 512:
            chars.update(map(chr, range(arg[0], arg[1] + 1)))
        else:
            return None
    return chars


_FIRST_SENTENCE = re.compile(r"^(?:[^.!?]|[.!?](?=\S)){0,240}")  # "oetker.de" does not end it
_COOKIE_WORD = re.compile(r"\bcookies?\b", re.I)
_SITE_SPEAKS = re.compile(  # the site speaking of itself: "we use", "diese Website", "ce site"
    r"\b(?:we|our|wir|unsere[mnr]?|nous|nos|notre|utilizamos|usamos|nuestro|utilizziamo|usiamo"
    r"|this (?:site|website)|diese (?:seite|website|webseite)|ce site|este sitio|questo sito)\b"
    r"|\b[\w-]+\.(?:com|net|org|de|at|ch|fr|es|it|eu)\b",  # or naming itself: "von oetker.de"
    re.I,
)


def _boilerplate_match(paragraph: str) -> bool:
    """_boilerplate().match(paragraph), trying only the alternatives that can open with its first
    character (a non-ASCII one with no pattern of its own is tried against all of them: case folding
    outside ASCII has its exceptions)."""
    first = paragraph.lstrip()[:1]
    key = first.lower()
    if key not in _boilerplate_alternatives()[1]:
        if not first.isascii():
            return _boilerplate().match(paragraph) is not None
        key = ""  # only the alternatives that may open with any character
    return _boilerplate_opening(key).match(paragraph) is not None


def is_boilerplate(paragraph: str) -> bool:
    """Share and comment prompts, captchas, "Read more" links, copyright and newsletter lines: all short;
    and a cookie banner of any length (its first sentence: the site speaking of its cookies, or
    naming itself by its domain)."""
    if len(paragraph) <= BOILERPLATE_CHARS and (_boilerplate_match(paragraph) or _link_row(paragraph)):
        return True
    if "ookie" not in paragraph and "OOKIE" not in paragraph:
        return False  # (most paragraphs: the cheap test first)
    first = _FIRST_SENTENCE.match(paragraph)
    head = first.group() if first else ""
    return _COOKIE_WORD.search(head) is not None and _SITE_SPEAKS.search(head) is not None


# inside the article, not boilerplate (three in a row would end it): a teaser's title tagged in capitals
# ("… [VIDEO]", "… [INSIGHT]"), a gallery's counter and its button ("1 / 4", "Caption")
_INLINE_FURNITURE = re.compile(r"[^\[\n]{3,160}\[[A-Z]{4,}\]\W*$|\d{1,3}\s*/\s*\d{1,3}\s*$|(?i:caption)\s*$")
SHOUTED_WORDS = 6


def _shouted_link(p: str) -> bool:
    """A link to another story inside the article, written in capitals: SHOUTED_WORDS words or more,
    every letter a capital ("SINGER CLEARED TO PERFORM HITS AT AWARDS AMID FEUD")."""
    return p.count(" ") >= SHOUTED_WORDS - 1 and p.isupper()


_ROW_SEPARATOR = re.compile(r"\s+[|•·>›]\s+|^\s*[|•·]\s*|\s*[|•·]\s*$")
ROW_ITEMS = 3  # a row of this many links or more
ROW_ITEM_WORDS = 4


def _link_row(p: str) -> bool:
    """A row of links or a breadcrumb written as one line: ROW_ITEMS items or more of a few words,
    none ending a sentence, between bars, bullets or arrows ("Forum | Kontakt | Einen Missbrauch
    melden", "BLOG > Nutrition > Meal Plans")."""
    if "|" not in p and "•" not in p and "·" not in p and ">" not in p and "›" not in p:
        return False
    return one_line_row(p, _ROW_SEPARATOR, items=ROW_ITEMS, words=ROW_ITEM_WORDS, ends=_END)


class _Prefixes:
    """A line opening with one of the prefixes (the longest first, "By" or "BY:"); a word must end
    where it does. A line whose first character opens none of them is not tried (most lines)."""

    def __init__(self, prefixes: set[str]):
        ordered = sorted(prefixes, key=len, reverse=True)
        alternatives = "|".join(re.escape(p) + ("" if p.endswith(":") else r":?\s") for p in ordered)
        self.pattern = re.compile(rf"^(?:{alternatives})", re.I)
        opening = re.compile("[" + re.escape("".join({p[:1] for p in prefixes})) + "]", re.I)
        self.ascii_firsts = frozenset(c for c in map(chr, range(128)) if opening.fullmatch(c))

    def match(self, line: str) -> re.Match[str] | None:
        first = line[:1]
        if first.isascii() and first not in self.ascii_firsts:
            return None  # (a character beyond ASCII is always tried: case folding has its exceptions there)
        return self.pattern.match(line)


@cache
def _byline_pattern() -> _Prefixes:
    """ "By Jane Doe", "Par Jean Dupont", "Von Anna Berg": every language's byline openings."""
    return _Prefixes({p for lang in languages().values() for p in lang.byline_prefixes})


@cache
def _credit_pattern() -> _Prefixes:
    """ "Photo: Tom Ellery", "Foto: dpa", "Crédit photo …": every language's credit openings."""
    return _Prefixes({p for lang in languages().values() for p in lang.credit_prefixes})


def _is_credit(p: str) -> bool:
    """A photo or image credit: "Credit: PA", "Foto: dpa", "Photo : Thomas Samson / AFP". It names
    who took the picture, not who wrote the article: never the byline, never the story's text."""
    return _credit_pattern().match(p) is not None and p.count(" ") < CREDIT_MAX_WORDS


_BYLINE_PARTS = re.compile(r"\s[|•·]\s")
_NAME_JOINERS = frozenset("and und et y e von van de der den di da du la le".split())


def _opens_byline(p: str) -> bool:
    """A byline's word and names after it: "By Jo Marsh", "Von Anna Berg und Tom Roth", "By REUTERS";
    not "Von Atemschutzmaske über Exit-Strategie bis Zoonose" (a sentence). The names end at a
    separator's mark: "By Jo Marsh | Harbour Herald staff"."""
    p = _BYLINE_PARTS.split(p.lstrip(_LEAD), maxsplit=1)[0]  # (in a row of furniture: "| BY: Jo Kim")
    if p.count(" ") > NAME_WORDS:
        return False
    m = _byline_pattern().match(p)
    names = p[m.end() :].split() if m else []
    return 0 < len(names) <= NAME_WORDS and all(w[:1].isupper() or w in _NAME_JOINERS for w in names)


_LETTERS = re.compile(r"[^\W\d_]{2}")
_DIGITS = re.compile(r"\d")


def _head_furniture(p: str) -> bool:
    """Page furniture between the head and the text: a date, a byline, a handle, a count, a
    label of a word or two, a short line with a figure ("• 2 min read", "@rgonzalezcbs", "0",
    "Shares", "Nessun commento")."""
    return (
        is_dateish(p)
        or _opens_byline(p)
        or p.startswith("@")
        or _LETTERS.search(p) is None
        or (p.count(" ") < 2 and _END.search(p) is None)
        or (p.count(" ") < 4 and _DIGITS.search(p) is not None and _END.search(p) is None)  # "2 min read"
    )


def _is_byline(p: str) -> bool:
    """A byline, or a short run of capitalised words (a name standing alone); never a credit."""
    words = p.split()
    if _is_credit(p):
        return False
    if _byline_pattern().match(p):
        return len(words) <= 12
    return (
        len(words) <= CREDIT_WORDS
        and not _END.search(p)
        and all(w[:1].isupper() or not w[:1].isalpha() for w in words)
    )


def _is_title(p: str) -> bool:
    words = len(p.split())
    return TITLE_WORDS[0] <= words <= TITLE_WORDS[1] and not _END.search(p)


def _is_caption(p: str, language: str | None) -> bool:
    """A sentence before the title, or a sentence in another language than the article's."""
    if _credit_marker().search(p[-40:]) and len(p.split()) <= 60:
        return True
    other = detect(p)
    return other is not None and language is not None and other != language


def _dateline(paragraphs: list[str]) -> tuple[str | None, list[str]]:
    """A date paragraph at the top of the body, or a "CITY (Agency) —" opening of its first paragraph."""
    if paragraphs and _dateline_paragraph().match(paragraphs[0]):
        return paragraphs[0], paragraphs[1:]
    if paragraphs:
        m = _DATELINE_PREFIX.match(paragraphs[0])
        if m and len(paragraphs[0]) > m.end():
            rest = paragraphs[0][m.end() :]
            return m.group(1).strip(), [rest[:1].upper() + rest[1:], *paragraphs[1:]]
    return None, paragraphs


def _not_headline(p: str) -> bool:
    """A block that is boilerplate, a credit, a byline or a photo caption ending with its credit, or
    holding a copyright sign (a caption's credit)."""
    return (
        is_boilerplate(p)
        or _is_credit(p)
        or (_is_byline(p) and _byline_pattern().match(p.lstrip(_LEAD)) is not None)
        or _credit_word().search(p[-40:]) is not None
        or "©" in p
    )


_LEAD = "|•·–—-:> "  # marks before a byline's word in a row of page furniture ("| BY: Jane Doe")


_CREDIT_TAIL = re.compile(
    r"(?:\([^()]*\b(?:photo|image|foto|bild|credit|crédit)s?\b[^()]*\)"  # (AP Photo/Jo Kim), (Image: GETTY)
    r"|/\s*(?:getty images|afp|reuters|ap|associated press|dpa|epa|imago|picture alliance|istock(?:\.com)?"
    r"|shutterstock|keystone|efe|ansa)\)?"  # Jo Kim/Getty Images, (Jo Kim / Associated Press)
    r"|\bgetty images|\bvia (?:ap|afp|reuters|getty images|dpa)\)?)\.?\s*$",  # … Registry via AP
    re.I,
)
INLINE_CREDIT_WORDS = 40


def _inline_credit(p: str) -> bool:
    """A photo's credit or its caption with the credit, inside the article ("Jo Kim/Getty Images",
    "Fishermen on the pier (AP Photo/Jo Kim)", "Photo: dpa"): not the article's text."""
    if p.count(" ") >= INLINE_CREDIT_WORDS:
        return False
    tail = p[-80:]
    marked = ")" in tail or "/" in tail or "etty" in tail or " via " in tail
    tailed = marked and _CREDIT_TAIL.search(tail) is not None
    if tailed or _is_credit(p):
        return True
    if tail.rstrip()[-1:] in ".!?:;…\"'”“»«’":
        return False  # a sentence's end
    mark = max(tail.rfind(":"), tail.rfind("©"))
    if mark < 0 and "hoto" not in tail:
        return False  # no credit word with its colon ("photo by" has none)
    if sum(w[:1].islower() for w in tail[mark + 1 :].split()) > 1:
        return False  # what follows is words, not names ("Incendies : le Var placé en vigilance rouge")
    return _credit_at_end().search(tail) is not None


@cache
def _credit_at_end() -> re.Pattern[str]:
    """A caption's credit after its text, opening with a language's credit word: "… Klemmer. Foto:
    GdP/Hagen Immel", "… (Foto: Natacha Pisarenko)", "… © Rike/pixelio.de"."""
    prefixes = _words(p for lang in languages().values() for p in lang.credit_prefixes)
    return re.compile(rf"(?:(?:^|[\s(.,;])(?:{prefixes})|©)\s*(?:[^.!?:;]|\.(?=\S)){{1,60}}\)?\s*$", re.I)


def is_photo_caption(p: str) -> bool:
    """A photo's caption: it opens with a credit ("Photo: …") or ends with one ("(AP Photo/…)",
    "Foto: dpa", "(Image: GETTY)")."""
    return _credit_pattern().match(p) is not None or _credit_word().search(p[-40:]) is not None


@cache
def _credit_word() -> re.Pattern[str]:
    """_credit_marker as whole words: "(Photo: AFP)", not the "efe" of "defend"."""
    return re.compile(rf"\b(?:{_credit_marker().pattern})\b", re.I)


def _caption_or_byline(p: str) -> bool:
    """A block before a headline that may be its photo's caption or its byline, not the page's menu:
    a sentence, or a byline opening with its word ("By")."""
    return _byline_pattern().match(p) is not None or (len(p.split()) >= 6 and _END.search(p) is not None)


def _article_blocks(blocks: list[str]) -> tuple[list[str], int | None]:
    """The blocks of the article in a page's text, and the headline's index among them: a few blocks
    before the headline (a caption, a byline), the headline, and the blocks after it up to the
    article's end, boilerplate and date lines before its text dropped. (blocks without boilerplate,
    None) when no headline is found."""
    boilerplate = cache(is_boilerplate)  # a block is asked about again from the article's end
    running = RunningText(blocks, boilerplate)
    at = find_headline(blocks, _not_headline, running, _opens_byline)
    if at is None:  # still, the article's text ends where the page's furniture takes over
        dense = running.first_dense()
        end = (
            len(blocks) if dense is None else article_end(blocks, dense, running, boilerplate, _opens_byline)
        )
        return [p for p in blocks[:end] if not boilerplate(p)], None
    end = article_end(blocks, at + 1, running, boilerplate, _opens_byline)
    first = max(0, at - BEFORE_HEADLINE)
    before = [
        p
        for i, p in enumerate(blocks[first:at], start=first)
        if not boilerplate(p) and not is_dateish(p) and (i == at - 1 or _caption_or_byline(p))
    ]
    after: list[str] = []
    began = False
    box_end = 0  # past a box of teasers' titles below a heading of what follows articles
    for i in range(at + 1, end):
        p = blocks[i]
        if i < box_end:
            continue
        began = began or running[i]
        head_credit = i == at + 2 and i + 1 < end and not running[i + 1]  # a byline or a date follows
        below_caption = not began and len(after) > 2 and after[-1] == blocks[i - 1] and not running[i - 1]
        credit = (below_caption or (began and not head_credit)) and _inline_credit(p)  # asked only then
        if credit and below_caption:
            after.pop()  # a photo's caption below the head (the head's own are read below), then its credit
        if began and is_end_heading(p):
            if _drop_teaser_titles(after):
                continue  # a box of teasers inside the article: its titles, then its heading
            below = next((j for j in range(i + 1, end) if _box_ends(blocks[j])), end)
            if sum(_teaser_title(blocks[j]) for j in range(i + 1, below)) >= TITLE_RUN:
                box_end = below
                continue  # its heading, then its titles ("Trending News", then five titles)
        if boilerplate(p) or (began and not head_credit and credit) or _INLINE_FURNITURE.match(p):
            continue  # (a caption and its credit under the headline, before its byline, are the head's)
        if began and _shouted_link(p):
            continue
        if began or not is_dateish(p) or _dateline_paragraph().match(p):
            after.append(p)
    while len(after) > 1 and _menu_item(after[-1]):
        after.pop()  # the page's menus and footers after the article's last lines
    if end < len(blocks) and is_end_heading(blocks[end]):
        _drop_teaser_titles(after)  # teasers' titles above the heading the article ends at
    return [*before, blocks[at], *_without_echoes(after)], len(before)


TITLE_RUN = 3  # this many titles in a row above a heading of what follows articles: a box of teasers
TEASER_TITLE_WORDS = (3, 20)
_SENTENCE_END = re.compile(r"(?<!\.)[.:][\"'”“»«’)\]]*$")  # (a title may end with "!", "?" or "...")


def _teaser_title(p: str) -> bool:
    return (
        TEASER_TITLE_WORDS[0] <= len(p.split()) <= TEASER_TITLE_WORDS[1]
        and _SENTENCE_END.search(p) is None
        and not is_prose(p)
    )


def _box_ends(p: str) -> bool:
    """Whether a box of teasers' titles ends at block p: running text or a longer block."""
    return len(p.split()) > TEASER_TITLE_WORDS[1] or is_running_text(p)


def _drop_teaser_titles(after: list[str]) -> bool:
    """Takes off the end of the blocks read a run of TITLE_RUN teasers' titles or more (blocks of a
    few words, not prose, without a sentence's end): what stands above a heading of what follows
    articles ("More in Politics", "Most Read"). An article's subheading stands alone, and a list of
    its own follows a line ending with a colon."""
    start = len(after)
    while start > 1 and _teaser_title(after[start - 1]):
        start -= 1
    if len(after) - start < TITLE_RUN or after[start - 1].rstrip().endswith(":"):
        return False  # (a list the article introduced: "The game brings:")
    del after[start:]
    return True


def _without_echoes(blocks: list[str]) -> list[str]:
    """The blocks without those written twice within ECHO_GAP blocks that are not running text: a
    teaser inside the article gives its title twice (the image's and the link's), its section label
    too ("Business", "Title", "Business", "Title"); the article's own lines are written once (but
    for the signature of two posts quoted from one account)."""
    echoed = {
        k
        for i, p in enumerate(blocks)
        for j in range(i + 1, min(len(blocks), i + 1 + ECHO_GAP))
        if blocks[j] == p and not is_running_text(p) and p[:1] not in _SIGNATURE_DASHES
        for k in (i, j)
    }
    return [p for k, p in enumerate(blocks) if k not in echoed] if echoed else blocks


def _menu_item(p: str) -> bool:
    """A menu entry, a label or a date line: a few words without a sentence's end, or a date with its
    year or time (not "June 14 -- Harbour Arena", an item of the article's list of dates; not the
    signature of a post quoted, "— Jo Kim (@jokim) May 4, 2024")."""
    if p[:1] in _SIGNATURE_DASHES:
        return False
    return (len(p.split()) <= MENU_WORDS and _END.search(p) is None) or (
        is_dateish(p) and _YEAR_OR_TIME.search(p) is not None
    )


def _opening_above(above: list[str]) -> list[str]:
    """The article's opening paragraphs standing above its headline (a teaser of the text, the
    text itself above a subheading taken for the headline): OPENING_RUN blocks of running text or
    more. A photo's caption above a headline is one."""
    running = [p for p in above if is_running_text(p)]
    return running if len(running) >= OPENING_RUN else []


HEAD_TEASERS = 16  # blocks above the text looked at for a list of teasers
TEASER_DATES = 3  # dates above the text: a list of teasers (each dated), not the article's own date


def _without_teasers_above_text(body: list[str]) -> list[str]:
    """The body without a list of teasers standing between the headline and the text: above the
    first paragraph of running text, TEASER_DATES dates or more (each teaser's) and the titles and
    labels between them (blocks that are not prose)."""
    first = next((k for k, p in enumerate(body[:HEAD_TEASERS]) if is_running_text(p)), None)
    if first is None or sum(is_dateish(p) for p in body[:first]) < TEASER_DATES:
        return body
    return [p for p in body[:first] if is_prose(p) and not is_dateish(p)] + body[first:]


def _sample(paragraphs: Iterable[str]) -> str:
    """The paragraphs joined, up to the SAMPLE_CHARS the language identifier reads."""
    taken: list[str] = []
    size = 0
    for p in paragraphs:
        taken.append(p)
        size += len(p) + 1
        if size >= SAMPLE_CHARS:
            break
    return " ".join(taken)


def parse_plain_text(text: str) -> Article:
    paras, headline = _article_blocks(paragraphs_of(text))
    if not paras:
        return Article(title="", paragraphs=[])
    start = headline + 1 if headline is not None else 0
    language = detect(_sample(p for p in paras[start : start + 12] if not _is_title(p)))
    head = paras[:HEAD]
    title_at = (
        headline
        if headline is not None
        else next(
            (
                i
                for i, p in enumerate(head)
                if _is_title(p)
                and not _is_byline(p)
                and not _is_credit(p)
                and (i == len(head) - 1 or not _is_caption(p, language))
            ),
            None,
        )
    )
    if title_at is None:
        title_at = next((i for i, p in enumerate(head) if _is_title(p) and not _is_credit(p)), 0)
    caption = byline = None
    opening = _opening_above(paras[:title_at])
    for p in paras[:title_at]:
        if _is_credit(p) or p in opening:
            continue
        if _is_byline(p):
            byline = byline or p
        else:
            caption = f"{caption} {p}" if caption else p
    body = paras[title_at + 1 :]
    while body:
        if _dateline_paragraph().match(body[0]):
            break
        if _is_credit(body[0]):
            body = body[1:]
        elif _is_byline(body[0]):
            byline = byline or body[0]
            body = body[1:]
        elif len(body) > 1 and _inline_credit(body[1]) and not _is_title(body[0]):
            caption = f"{caption} {body[0]}" if caption else body[0]  # a photo caption, then its credit
            body = body[2:]
        else:
            break
    # a photo's caption with its credit, or its credit alone, above the text (_article_blocks drops
    # those in the text once it began) or anywhere when no headline was found
    began = (
        next((k for k, p in enumerate(body) if is_running_text(p)), 0) if headline is not None else len(body)
    )
    body = [p for k, p in enumerate(body) if k > began or not _inline_credit(p)]
    dateline, body = _dateline(body)
    while body and (_is_byline(body[0]) or _is_credit(body[0])):
        if not _is_credit(body[0]):
            byline = byline or body[0]
        body = body[1:]
    head_end = next((k for k, p in enumerate(body[:HEAD_FURNITURE]) if k and is_running_text(p)), 0)
    for p in [p for p in body[:head_end] if _head_furniture(p)]:
        byline = byline or (p if _opens_byline(p) else None)
        body.remove(p)
    body = _without_teasers_above_text(body)
    return Article(
        title=paras[title_at],
        paragraphs=[*opening, *body],
        language=language,
        byline=byline,
        caption=caption,
        dateline=dateline,
    )
