"""The lede: the standfirst, else the first substantive body paragraph, cut to a word budget."""

from digest.domain import Article

from .sentences import split_sentences

MIN_WORDS = 12


def lede_of(article: Article, budget: int) -> str:
    source = article.standfirst or next(
        (p for p in article.paragraphs if len(p.split()) >= MIN_WORDS), article.paragraphs[0] if article.paragraphs else ""
    )
    return cut(source, budget)


def cut(text: str, budget: int) -> str:
    """Whole sentences within the budget; a first sentence over it is cut at a word with an ellipsis."""
    kept: list[str] = []
    used = 0
    for sentence in split_sentences(text):
        n = len(sentence.split())
        if used + n > budget:
            break
        kept.append(sentence)
        used += n
    if kept:
        return " ".join(kept)
    words = text.split()
    return " ".join(words[:budget]).rstrip(",;:") + ("…" if len(words) > budget else "")
