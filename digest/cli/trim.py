"""`digest trim`: article files to ledes and key quotes, without a database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from digest.cli.output import err, escape, out


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
    """Trim articles into a lede and key quotes.

    A file that cannot be read is reported with its reason and the others go on; the exit code is then 1."""
    from digest.trim.files import Unreadable, trim_files

    failures = 0
    for done in trim_files(
        paths, lede_words=lede_words, max_quotes=max_quotes, all_quotes=all_quotes, language=language
    ):
        if isinstance(done, Unreadable):
            err.print(f"{escape(str(done.path))}: {escape(done.reason)}", highlight=False)
            failures += 1
        elif as_json:
            _plain(json.dumps(done.record(), ensure_ascii=False))
        else:
            brief = done.brief
            lines = [str(done.path), f"  {brief.title} [{brief.language or '?'}]", f"  {brief.lede}"]
            lines += [f"  « {q.text} » — {q.speaker or 'unattributed'}" for q in done.quotes]
            _plain("\n".join(lines) + "\n")
    raise typer.Exit(1 if failures else 0)


def _plain(text: str) -> None:
    """A result line exactly as given: no markup, highlighting or emoji codes read in it."""
    out.print(text, markup=False, highlight=False, emoji=False)
