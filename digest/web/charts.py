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
    kind: str  # the series (its CSS class): "joins" or "leaves", "opens" or "clicks"


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
    return grouped_bars([(f"{start.day} {start:%b}", (("joins", joins), ("leaves", leaves)))
                         for start, joins, leaves in weeks])  # fmt: skip


def hourly_bars(hours: Sequence[tuple[int, int, int]], label_every: int = 6) -> Chart:
    """An edition's first hours: two bars an hour, opens then clicks; every `label_every`th hour since
    the send started named below ("+6 h")."""
    return grouped_bars([(f"+{h} h" if h % label_every == 0 else "", (("opens", opens), ("clicks", clicks)))
                         for h, opens, clicks in hours])  # fmt: skip


def grouped_bars(groups: Sequence[tuple[str, Sequence[tuple[str, int]]]]) -> Chart:
    """A group of bars per slot (each bar a series: its CSS class), on one scale from zero; the slot's
    label below it (an empty label: none)."""
    top = nice_top(max((value for _, bars in groups for _, value in bars), default=0))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    baseline = TOP + inner_h
    slot = inner_w / max(len(groups), 1)
    per = max((len(bars) for _, bars in groups), default=1)
    bar_w = slot * 0.72 / per
    bars, labels = [], []
    for i, (label, series) in enumerate(groups):
        x0 = LEFT + i * slot + slot * 0.14
        for k, (kind, value) in enumerate(series):
            h = inner_h * value / top
            bars.append(Bar(round(x0 + k * bar_w, 1), round(baseline - h, 1), round(bar_w, 1), round(h, 1), value,
                            kind))  # fmt: skip
        if label:
            labels.append(Label(round(LEFT + (i + 0.5) * slot, 1), label))
    ticks = [
        Tick(round(baseline - inner_h * f, 1), round(top * f))
        for f in (0, 0.5, 1)
        if round(top * f) == top * f
    ]
    return Chart(WIDTH, HEIGHT, LEFT, baseline, bars, ticks, labels)
