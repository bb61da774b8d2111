"""One way to print: `out` for results, `err` for progress, notes and errors. Every value that came
from outside (a title, a name, an address, a reason) goes through `escape`, so Rich never reads it as
markup."""

from rich.console import Console
from rich.markup import escape

__all__ = ["err", "escape", "out"]

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
