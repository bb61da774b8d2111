"""A rendered text with holes where each recipient's values go, filled without re-rendering.

The text is split on its markers once; filling is then one `str.format_map` call, a single pass
in C, so a hundred thousand recipients cost a hundred thousand string builds and nothing more.
"""

from __future__ import annotations

import re
from collections.abc import Mapping


class Holes:
    """`text` with every `markers[field]` turned into a hole for `field`."""

    def __init__(self, text: str, markers: Mapping[str, str]):
        by_marker = {marker: field for field, marker in markers.items()}
        pattern = re.compile("|".join(re.escape(m) for m in by_marker)) if by_marker else None
        literal = text.replace("{", "{{").replace("}", "}}")
        self.counts = {field: text.count(marker) for field, marker in markers.items()}
        self._format = pattern.sub(lambda m: "{" + by_marker[m.group(0)] + "}", literal) if pattern else literal

    def fill(self, values: Mapping[str, str]) -> str:
        """`values` must hold every field; they are inserted as given (escape them first)."""
        return self._format.format_map(values)
