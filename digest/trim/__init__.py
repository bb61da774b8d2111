"""Trim an article into a brief: a lede within a word budget and its key quotes."""

from digest.domain import Article, Brief
from digest.text.language import detect
from digest.trim.lede import lede_of
from digest.trim.quotes import key_quotes, quotations


def article_language(article: Article) -> str | None:
    """The article's language as given, else as detected from its text."""
    return article.language or detect(
        " ".join([article.title, article.standfirst or "", *article.paragraphs[:8]])
    )


def trim(article: Article, *, lede_words: int = 60, max_quotes: int = 1) -> Brief:
    language = article_language(article)
    lede = lede_of(article, lede_words, language)
    return Brief(
        title=article.title,
        lede=lede,
        quotes=key_quotes(article, max_quotes, lede=lede, found=quotations(article, language)),
        url=article.url,
        source=article.source,
        language=language,
        byline=article.byline,
        caption=article.caption,
        image=article.image,
        article_id=article.id,
        words=len(article.text.split()),
    )


__all__ = ["trim", "article_language"]
