"""Charts drawn on the server as SVG (readable without JavaScript): the geometry here, the markup in
the templates, the colours in newsroom.css (light and dark). Each chart has a table of its figures
beside it, for screen readers and for exact values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 16, 44  # room for the axes' labels


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    kind: str  # the series: "joins" or "leaves" (its CSS class)


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class Label:
    x: float
    text: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    baseline: float  # the y of zero
    bars: list[Bar]
    ticks: list[Tick]
    labels: list[Label]


def nice_top(value: int) -> int:
    """The smallest of 1, 2, 3, 4, 5, 6, 8, 10, 20, 30... at or above the value (at least 1)."""
    step = 1
    while True:
        for m in (1, 2, 3, 4, 5, 6, 8):
            if m * step >= value:
                return m * step
        step *= 10


def weekly_bars(weeks: Sequence[tuple[date, int, int]]) -> Chart:
    """Two bars a week, joins then leaves, on one scale from zero; the week's Monday below them."""
    top = nice_top(max((max(j, le) for _, j, le in weeks), default=0))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    baseline = TOP + inner_h
    slot = inner_w / max(len(weeks), 1)
    bar_w = slot * 0.36
    bars, labels = [], []
    for i, (start, joins, leaves) in enumerate(weeks):
        x0 = LEFT + i * slot + slot * 0.14
        for k, (kind, value) in enumerate((("joins", joins), ("leaves", leaves))):
            h = inner_h * value / top
            bars.append(
                Bar(
                    round(x0 + k * bar_w, 1),
                    round(baseline - h, 1),
                    round(bar_w, 1),
                    round(h, 1),
                    value,
                    kind,
                )
            )
        labels.append(Label(round(LEFT + (i + 0.5) * slot, 1), f"{start.day} {start:%b}"))
    ticks = [
        Tick(round(baseline - inner_h * f, 1), round(top * f))
        for f in (0, 0.5, 1)
        if round(top * f) == top * f
    ]
    return Chart(WIDTH, HEIGHT, LEFT, baseline, bars, ticks, labels)
