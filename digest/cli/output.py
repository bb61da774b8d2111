"""One way to print: `out` for results, `err` for progress, notes and errors. Every value that came
from outside (a title, a name, an address, a reason) goes through `escape`, so Rich never reads it as
markup."""

from rich.console import Console
from rich.markup import escape

__all__ = ["err", "escape", "out", "say"]

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def say(text: str, *, console: Console = out) -> None:
    """Print a line as it is: nothing in it is read as markup, an emoji code or something to highlight."""
    console.print(text, markup=False, emoji=False, highlight=False)
