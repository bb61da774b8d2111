"""Trim an article into a brief: a lede within a word budget and its key quotes."""

from digest.domain import Article, Brief

from .lede import lede_of
from .quotes import key_quotes


def trim(article: Article, *, lede_words: int = 60, max_quotes: int = 1) -> Brief:
    lede = lede_of(article, lede_words)
    return Brief(
        title=article.title,
        lede=lede,
        quotes=key_quotes(article, max_quotes, lede=lede),
        url=article.url,
        source=article.source,
        language=article.language,
        byline=article.byline,
        caption=article.caption,
        article_id=article.id,
    )


__all__ = ["trim"]
