"""A rendered text with holes where each recipient's values go, filled without re-rendering.

The text is split on its markers once; filling copies the list of pieces, drops the values into
the holes and joins: a few microseconds for a 50 KB message, whatever its length.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping


class Holes:
    """`text` with every `markers[field]` turned into a hole for `field`."""

    def __init__(self, text: str, markers: Mapping[str, str]):
        by_marker = {marker: field for field, marker in markers.items()}
        pieces = re.split("(" + "|".join(map(re.escape, by_marker)) + ")", text) if by_marker else [text]
        # split() puts each marker found at an odd index, between the literal pieces
        self._pieces = pieces
        self._slots = [(i, by_marker[pieces[i]]) for i in range(1, len(pieces), 2)]
        self.counts = Counter(field for _, field in self._slots)

    def fill(self, values: Mapping[str, str]) -> str:
        """`values` must hold every field that has a hole; they go in as given (escape them first)."""
        out = self._pieces.copy()
        for index, field in self._slots:
            out[index] = values[field]
        return "".join(out)
