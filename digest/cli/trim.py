"""`digest trim`: article files to ledes and key quotes, without a database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def trim(
    paths: Annotated[list[Path], typer.Argument(help="Article files (.txt, .md, .html) or folders of them.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per article, one per line.")
    ] = False,
    lede_words: Annotated[int, typer.Option(help="Word budget of the lede.")] = 60,
    max_quotes: Annotated[int, typer.Option(help="Key quotes per article.")] = 2,
    all_quotes: Annotated[
        bool, typer.Option(help="Every direct quotation in order, not the key ones.")
    ] = False,
    language: Annotated[str | None, typer.Option(help="Force the language (en, fr, de, es, it).")] = None,
) -> None:
    """Trim articles into a lede and key quotes."""
    from digest.trim.command import run

    code = run(
        paths,
        as_json=as_json,
        lede_words=lede_words,
        max_quotes=max_quotes,
        all_quotes=all_quotes,
        language=language,
    )
    raise typer.Exit(code)
