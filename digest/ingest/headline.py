"""Where an article sits in a scraped page's text: its headline, and where it ends.

A whole page's text opens with navigation, menus, cookie banners and tickers, and goes on after the
article with related lists, share rows, comment forms and footers. The signals are structural and
hold in every language: a headline is a short block without a final full stop, close before the
first paragraphs of running text, whose words come back in them (the headline's echo); it is not a
date, a byline or a credit. The article ends at a block that opens what follows articles (each
language's `article_end` headings: "Related articles", "Kommentare", "À lire aussi") once its text
has begun, or where the page's furniture takes over: a block of boilerplate or a teaser's byline
with little prose after it, a list of teasers whose dates or bylines come back at one rhythm.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from digest.text.lang import languages

BODY_WORDS = 18  # a block of running text: this many words and a sentence's end
PROSE_WORDS = 8  # a shorter sentence of the article's text, mostly lowercase words
PROSE_GAP = 1  # prose this close before a headline found: the article had begun
PROSE_RUN = 2  # with this many sentences, or one right before it (not a cookie banner above a date)
ECHO_BLOCKS = 3  # the headline's words are looked for in this many blocks after it
REACH = 14  # a headline stands at most this many blocks before running text
FIRST_REACH = 42  # or this many, when it opens the text
CRUMB_BLOCKS = 8  # a breadcrumb trail ending with the headline stands this close before it
HEAD_WORDS = (2, 30)
LABEL_WORDS, LABEL_PENALTY = 3, 0.7  # a name or a label: this short, capitalised, no function word
TAG_ITEMS = 3  # a list of this many names between commas is the article's tags
MENU_ITEMS = 3  # a line of this many items of a word or two between separators is a menu
_MENU_SEPARATOR = re.compile(r"\s+[|•·–—-]\s+")
_ICON_NAME = re.compile(r"[a-z]_[a-z]")  # an icon's name in the page's text: keyboard_arrow_down
DATE_CHARS = 160
DATE_OTHER_WORDS = 3  # a date line has at most this many words besides the date ("Posted by Jo Kim")
_DIGIT = re.compile(r"\d")
END_CHARS, END_WORDS = 80, 8  # a heading of what follows an article is this short
DENSE_GAP = 3
ECHO_SURE, SCORE_SURE = 0.5, 1.2
HEAD_CONTENT = 4  # a headline's echo counts in full from this many content words
_CRUMBS = re.compile(r"\s[>»|/]\s|^<")
_CRUMB_MARKS = re.compile(r"\s[>»›]\s|\s[>»›]$")
SHARE_ROW, TEXT_BEFORE_ROW = 3, 4  # a row of share buttons after the text has begun: its end
CONTINUED = 3  # this many blocks of running text in a row after a heading: the article goes on
NEAR_BLOCKS, NEAR_RUNNING = 12, 4  # or this many among the next blocks
TEXT_BEFORE_END = 3  # paragraphs of running text before furniture may end the article (not a recipe's head)
SHORT_COST = 10  # what a block that is not prose costs a run of text, in words
TEASER_ITEMS, TEASER_PERIOD, META_WORDS = 3, 5, 8  # a teaser list: its meta lines' rhythm
TAIL_WORTH = 20  # past furniture, a tail worth less than this is not the article's
_SENTENCE_END = re.compile(r"[.!?…:][\"'”“»«’)\]]*$")
_PROSE_END = re.compile(r"(?<![.…])[.!?][\"'”“»«’)\]]*$")  # not a teaser's "…"
_FULL_STOP = re.compile(r"(?<![A-Z.])\.[\"'”»’)]*$")
_WORD = re.compile(r"[^\W\d_]{4,}")
_LINK_END = re.compile(r"\s(?:https?://|www\.)\S+$")
_COMMENTS = re.compile(  # a heading of the readers' comments, in any language
    r"\b(?:comments?|kommentare?|commentaires?|comentarios?|commenti|reply|replies)\b", re.I
)
_URL = re.compile(r"\s*https?://\S+\s*$")  # a link in a list of the article's own, not the page's furniture
_TIME = re.compile(
    r"(?<![£$€¥\d.,])\b\d{1,2}[:.h]\d{2}\b(?![./-]\d)|\b\d{1,2}\s*(?:am|pm)\b", re.I
)  # not 23.01.2022
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
YEAR_WORDS = 3  # a year with at most this many words is a date line ("Posted 2019"); more, a headline's year


@cache
def _stopwords() -> frozenset[str]:
    return frozenset().union(*(lang.stopwords for lang in languages().values()))


@cache
def _month_words() -> frozenset[str]:
    return frozenset().union(*(lang.months | lang.weekdays for lang in languages().values()))


@cache
def _relative_time() -> re.Pattern[str]:
    """ "1 day ago", "vor 2 Stunden", "il y a 3 heures": every language's relative times."""
    return re.compile(
        "|".join(f"(?:{p})" for lang in languages().values() for p in lang.relative_time) or "(?!)", re.I
    )


@cache
def _end_heading() -> re.Pattern[str]:
    phrases = [p for lang in languages().values() for p in lang.article_end]
    return re.compile(r"\s*(?:" + "|".join(f"(?:{p})" for p in phrases) + r")\s*[:.…»›>]*\s*$", re.I)


def is_running_text(block: str) -> bool:
    """BODY_WORDS words or more, ending as a sentence ends or with a link ("Infos unter https://…")."""
    return block.count(" ") >= BODY_WORDS - 1 and (
        _SENTENCE_END.search(block) is not None or _LINK_END.search(block) is not None
    )


def is_prose(block: str) -> bool:
    """A sentence of the article's text, shorter than running text: PROSE_WORDS words or more, a
    sentence's end, and mostly lowercase words (not a title-case teaser or a menu)."""
    if block.count(" ") < PROSE_WORDS - 1 or _PROSE_END.search(block) is None:
        return False
    words = block.split()
    return sum(w[:1].islower() for w in words) * 2 >= len(words)


def is_dateish(block: str) -> bool:
    """A date, a time or "1 day ago", maybe with a few words around it ("Posted Nov 18, 8:19 PM"):
    never without a digit."""
    if len(block) > DATE_CHARS or _DIGIT.search(block) is None:
        return False
    words = block.split()
    if _relative_time().search(block) and len(words) <= 10:
        return True
    if _TIME.search(block) and len(words) <= 14:
        return True
    months = [k for k, w in enumerate(words) if w.lower().strip(".,") in _month_words()]
    dated = (
        _NUMERIC_DATE.search(block) is not None
        or any(_DIGIT.search(" ".join(words[max(0, k - 2) : k + 3])) for k in months)
        or (len(words) <= YEAR_WORDS and _YEAR.search(block) is not None)
    )  # a month next to a figure: "Nov. 20, 2019", "20 novembre", not "10 percent in October"

    other = sum(
        1
        for w in words
        if _DIGIT.search(w) is None and w.lower().strip(".,") not in _month_words() and len(w) > 2
    )  # a headline with a date in it has more words besides ("Results: Harbour Cup, 19.5.2007")
    return dated and len(words) <= 8 and sum(ch.isdigit() for ch in block) >= 2 and other <= DATE_OTHER_WORDS


def is_end_heading(block: str) -> bool:
    return (
        len(block) <= END_CHARS and block.count(" ") < END_WORDS and _end_heading().match(block) is not None
    )


def _content(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _stopwords()}


class RunningText:
    """Which blocks are running text (is_running_text), each looked at only when first asked."""

    def __init__(self, blocks: list[str], furniture: Callable[[str], bool] = lambda b: False):
        self.blocks = blocks
        self.furniture = furniture  # blocks that do not count in a headline's reach (share rows)
        self._memo: list[bool | None] = [None] * len(blocks)
        self._prose: list[bool | None] = [None] * len(blocks)

    def __getitem__(self, i: int) -> bool:
        known = self._memo[i]
        if known is None:
            known = self._memo[i] = is_running_text(self.blocks[i])
        return known

    def prose(self, i: int) -> bool:
        """Running text or a shorter sentence of prose (is_prose)."""
        known = self._prose[i]
        if known is None:
            known = self._prose[i] = self[i] or is_prose(self.blocks[i])
        return known

    def next(self, i: int, limit: int, prose: bool = False) -> int | None:
        """The first block of running text (or of prose) after block i, within limit blocks."""
        test = self.prose if prose else self.__getitem__
        return next((j for j in range(i + 1, min(len(self.blocks), i + 1 + limit)) if test(j)), None)

    def reach(self, i: int, limit: int, prose: bool = False) -> int | None:
        """The first block of running text (or of prose) after block i, within limit blocks that are
        not furniture: a share row between a headline and its text does not put the text out of reach."""
        test = self.prose if prose else self.__getitem__
        counted = 0
        for j in range(i + 1, len(self.blocks)):
            if test(j):
                return j
            counted += not self._in_row(j)
            if counted >= limit:
                return None
        return None

    def _in_row(self, j: int) -> bool:
        """Whether block j is furniture in a row of it (Facebook, Twitter, Email), not a lone line."""
        blocks, furniture = self.blocks, self.furniture
        return furniture(blocks[j]) and (
            (j > 0 and furniture(blocks[j - 1])) or (j + 1 < len(blocks) and furniture(blocks[j + 1]))
        )

    def first_dense(self) -> int | None:
        """Where the article's text begins: the first block of running text followed by more within
        DENSE_GAP blocks (a cookie banner or a teaser stands alone) or by a heading of what follows
        articles (a short article of one paragraph, then "Related articles"); else the first running
        text."""
        first = None
        for i in range(len(self.blocks)):
            if self[i]:
                first = i if first is None else first
                if self.next(i, DENSE_GAP) is not None or self._end_follows(i):
                    return i
        return first

    def _end_follows(self, i: int) -> bool:
        return any(is_end_heading(b) for b in self.blocks[i + 1 : i + 1 + DENSE_GAP])

    def goes_on(self, i: int) -> bool:
        """Whether the article goes on after block i: CONTINUED blocks of prose in a row follow
        somewhere, or (past an inline box of links) most of the next blocks are prose again."""
        streak = 0
        near = 0
        for j in range(i + 1, len(self.blocks)):
            streak = streak + 1 if self.prose(j) else 0
            near += self.prose(j) and j <= i + NEAR_BLOCKS
            if streak >= CONTINUED or near >= NEAR_RUNNING:
                return True
        return False


def find_headline(
    blocks: list[str],
    excluded: Callable[[str], bool],
    running: RunningText,
    byline: Callable[[str], bool] = lambda b: False,
) -> int | None:
    """The index of the headline among blocks, or None when no block looks like one.

    `excluded` tells the blocks that cannot be a headline (a byline, a credit, boilerplate), `byline`
    a byline: the block right under one is the article's first line, not its headline. The
    article's text does not begin before its headline: a block found with prose just before it is a
    subheading, and the headline is looked for before that prose (then its text may be short
    sentences, not running text)."""
    dense = running.first_dense()
    if dense is None:
        return None
    at = _best_headline(blocks, excluded, running, dense + 1, prose=False, byline=byline)
    if at is None:
        return None
    begun = _prose_before(running, at)
    if begun is None:
        return at
    earlier = _best_headline(blocks, excluded, running, begun, prose=True, byline=byline)
    return at if earlier is None else earlier


def _prose_before(running: RunningText, at: int) -> int | None:
    """Where a run of prose ending just before block at begins (PROSE_GAP blocks between its
    sentences at most: an image's caption), or None when none ends there."""
    start, gap, count = None, 0, 0
    for j in range(at - 1, -1, -1):
        if running.prose(j):
            start, gap, count = j, 0, count + 1
        else:
            gap += 1
            if gap > PROSE_GAP:
                break
    return start if count >= PROSE_RUN or start == at - 1 else None


def _best_headline(
    blocks: list[str],
    excluded: Callable[[str], bool],
    running: RunningText,
    stop: int,
    prose: bool,
    byline: Callable[[str], bool] = lambda b: False,
) -> int | None:
    best, best_score = None, 0.0
    for i, block in enumerate(blocks[:stop]):
        nxt = running.reach(i, FIRST_REACH if i == 0 and _opens_article(blocks) else REACH, prose=prose)
        words = block.split()
        if nxt is None or not HEAD_WORDS[0] <= len(words) <= HEAD_WORDS[1]:
            continue
        if (
            running[i]
            or (prose and running.prose(i))
            or is_dateish(block)
            or is_end_heading(block)
            or excluded(block)
            or (i and byline(blocks[i - 1]))
        ):
            continue
        own = _content(block)
        if not own or _crumbs_of(block, blocks[i + 1 : i + 1 + CRUMB_BLOCKS]) or _figures(block):
            continue
        if _menu_row(block) or _ICON_NAME.search(block):
            continue  # "Schweiz | Praxis | Video", "Nachrichten keyboard_arrow_down"
        gap = nxt - i
        after = " ".join(blocks[i + 1 : nxt + ECHO_BLOCKS]).lower()
        echo = sum(w in after for w in own) / len(own)
        # a kicker or a section label ("Science & Astronomy") echoes as well as a headline, on less
        score = 2.0 * echo * min(1.0, len(own) / HEAD_CONTENT) + 1.0 / gap
        if len(_CRUMB_MARKS.findall(block)) >= 2:
            continue  # a breadcrumb trail: Home > News > Sport
        if _CRUMBS.search(block) or (block.isupper() and len(words) <= 4):
            score -= 0.5  # a breadcrumb (Home > News), a label in capitals
        if _FULL_STOP.search(block):
            score -= 0.6 + 0.05 * len(words)  # a sentence: a standfirst or a caption, seldom a headline
        if len(words) == 2:
            score -= 0.3
        if _tag_list(block):
            score -= LABEL_PENALTY  # "Bockenem, Nordstraße, Polizei": the article's tags
        if len(words) <= LABEL_WORDS and all(w[:1].isupper() or not w[:1].isalpha() for w in words):
            if not any(w.lower() in _stopwords() for w in words):
                score -= LABEL_PENALTY  # a name or a label: "Sara Zinnecker", "Earnings Report"
        if echo >= ECHO_SURE and score >= SCORE_SURE:
            return i  # the first block the text goes on to tell: the headline, not a subheading below it
        if score > best_score:
            best, best_score = i, score
    return best


def one_line_row(line: str, separator: re.Pattern[str], *, items: int, words: int,
                 ends: re.Pattern[str] | None = None) -> bool:  # fmt: skip
    """A menu, a row of links or a breadcrumb written as one line: `items` pieces or more between
    `separator`s, each of `words` words at most and, with `ends`, none that ends like a sentence."""
    pieces = [piece for piece in separator.split(line) if piece.strip()]
    return len(pieces) >= items and all(
        len(piece.split()) <= words and (ends is None or ends.search(piece) is None) for piece in pieces
    )


def _menu_row(block: str) -> bool:
    """A menu or a breadcrumb: MENU_ITEMS items or more of a word or two between separators
    ("Schweiz | Praxis | Video", "Bekanntmachung - Copyright - Wegweiser")."""
    return one_line_row(block, _MENU_SEPARATOR, items=MENU_ITEMS, words=2)


def _opens_article(blocks: list[str]) -> bool:
    """Whether the text opens with its headline, not with a page's title that the headline repeats
    below ("Tote Hummeln unter Linden: Die Erklärung | Hummeln", then "Tote Hummeln unter Linden"):
    a headline may then stand further from the running text (a recipe's ingredients, a shop's list)."""
    first = blocks[0]
    return not any(b != first and b in first and b.count(" ") >= 1 for b in blocks[1:FIRST_REACH])


def _tag_list(block: str) -> bool:
    """A list of TAG_ITEMS or more capitalised names of a word or two between commas, and nothing else."""
    items = block.split(", ")
    return len(items) >= TAG_ITEMS and all(
        0 < len(item.split()) <= 2 and all(w[:1].isupper() for w in item.split()) for item in items
    )


def _figures(block: str) -> bool:
    """A ticker or a table row: more of its characters are figures than letters ("ATX3078.02-0.24%")."""
    digits = sum(ch.isdigit() for ch in block)
    return digits * 2 > len(block) - block.count(" ") - digits


def _crumbs_of(block: str, following: list[str]) -> bool:
    """Whether a block is a breadcrumb trail ending with a headline that follows it on its own
    ("Home / Sport / Title" or "HomeLatest NewsTitle", then "Title")."""
    return any(len(b) < len(block) and block.endswith(b) and b.count(" ") >= HEAD_WORDS[0] for b in following)


def article_end(
    blocks: list[str],
    start: int,
    running: RunningText,
    boilerplate: Callable[[str], bool] = lambda b: False,
    byline: Callable[[str], bool] = lambda b: False,
) -> int:
    """The index past the article's last block: the first heading of what follows articles after
    running text began and before no more paragraphs of it (an inline "Related articles" box is
    not the end; a heading of the readers' comments always is, their thread being prose too), or
    the first row of SHARE_ROW boilerplate blocks (Share, Tweet, Pin) after TEXT_BEFORE_ROW
    paragraphs of running text; else the end. At a block of boilerplate once
    TEXT_BEFORE_END paragraphs were read, or at a byline once the text began (a teaser's: the
    article's own stands above its text), the article also ends when what follows is worth less
    than TAIL_WORTH words of text (_text_follows): teasers, comments, the footer. It ends, too,
    at the first item of a list of teasers told by the rhythm of their meta lines (_teaser_list)."""
    text, row = 0, 0
    for i in range(start, len(blocks)):
        block = blocks[i]
        if text:
            if is_end_heading(block) and (_COMMENTS.search(block) is not None or not running.goes_on(i)):
                return i  # (a thread of comments is prose too: it does not make the article go on)
            read = text >= TEXT_BEFORE_END
            short = block.count(" ") < META_WORDS  # a meta line: a date, a byline
            if short and read and _teaser_list(blocks, i, running, byline):
                return _item_start(blocks, i, running)
            teaser = short and byline(block)
            furniture = read and boilerplate(block) and not _URL.match(block)
            if (furniture or teaser) and not _text_follows(blocks, i + 1, running, boilerplate):
                return i - 1 if teaser and not running.prose(i - 1) else i  # the teaser's title goes too
        text += running[i]
        row = row + 1 if text and boilerplate(blocks[i]) else 0
        if row >= SHARE_ROW and text >= TEXT_BEFORE_ROW:
            return i - row + 1
    return len(blocks)


def _teaser_list(blocks: list[str], i: int, running: RunningText, byline: Callable[[str], bool]) -> bool:
    """Whether block i opens a list of teasers: a date or a byline (an item's meta line) that comes
    back TEASER_ITEMS times at one period of 2 to TEASER_PERIOD blocks, each item a teaser (its
    title, at most a blurb). The article's own dated list (a timeline, a live blog) has its
    paragraphs between, not titles."""

    def meta(j: int) -> bool:
        b = blocks[j]
        return b.count(" ") < META_WORDS and (is_dateish(b) or byline(b))

    if not meta(i):
        return False
    for period in range(2, TEASER_PERIOD + 1):
        items = [i + k * period for k in range(TEASER_ITEMS)]
        if items[-1] < len(blocks) and all(meta(j) for j in items[1:]):
            between = [j for k in items[:-1] for j in range(k + 1, k + period)]
            if not any(meta(j) for j in between) and all(
                _teaser(blocks, k - period + 1, k, running) for k in items[1:]
            ):
                return True
    return False


def _teaser(blocks: list[str], start: int, stop: int, running: RunningText) -> bool:
    """Whether the blocks between two meta lines are a teaser: a title (words, not prose) and at
    most one paragraph of prose (its blurb), not a live blog's entry of paragraphs."""
    prose = sum(running.prose(j) for j in range(start, stop))
    titled = any(
        not running.prose(j) and _WORD.search(blocks[j]) and " " in blocks[j] for j in range(start, stop)
    )
    return titled and prose <= 1


def _item_start(blocks: list[str], i: int, running: RunningText) -> int:
    """The first block of a teaser whose meta line is block i: its title and kicker above it."""
    start = i
    while start > i - TEASER_PERIOD + 1 and not running.prose(start - 1) and not running[start - 1]:
        start -= 1
    return start


def _text_follows(
    blocks: list[str], start: int, running: RunningText, boilerplate: Callable[[str], bool]
) -> bool:
    """Whether a run of blocks from start is worth TAIL_WORTH words of article text: a block of
    prose counts its words, boilerplate nothing, any other block (a teaser's title, a source, a
    date, a menu entry, a byline) costs SHORT_COST. A teaser list or a comment thread costs more
    than its one-line blurbs bring; the article going on reaches it at once."""
    total = 0
    for i in range(start, len(blocks)):
        total += (
            blocks[i].count(" ") + 1 if running.prose(i) else 0 if boilerplate(blocks[i]) else -SHORT_COST
        )
        if total >= TAIL_WORTH:
            return True
    return False
