"""Personalized digest messages per second on one core, against naive per-recipient rendering.

    .venv/bin/python bench/render.py [--recipients 20000] [--naive 300] [--repeats 5]

A 10-item edition (digest.render.specimen) is rendered once into a message template, then filled
for every recipient (HTML and text). The naive way runs Jinja2 and MJML for each recipient with
their values in the context. Each way runs `--repeats` times; the median rate is the figure. The
recipients' values (names, signed-looking links) are made before timing: signing links is the
sender's cost, not the renderer's.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import time
from pathlib import Path

from digest.config import ListSettings
from digest.render import personalize, render_edition
from digest.render.environment import Templates
from digest.render.message import edition_context
from digest.render.specimen import specimen_edition

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
BASE = "https://digest.example.org"
LIST = ListSettings(
    id="world",
    name="The World This Week",
    language="en",
    from_address="digest@example.org",
    from_name="Digest Newsroom",
    postal_address="Digest Newsroom, 1 Example Street, 75001 Paris, France",
)


def recipients(count: int) -> list[dict[str, str]]:
    return [
        {
            "name": f"Reader {n} <r{n}@example.org>",
            "unsubscribe_url": f"{BASE}/u/{secrets.token_urlsafe(60)}",
            "preferences_url": f"{BASE}/p/{secrets.token_urlsafe(50)}",
            "archive_url": f"{BASE}/archive/1",
        }
        for n in range(count)
    ]


def fast(edition, people: list[dict[str, str]]) -> float:
    """One render for the edition, then one fill per recipient; messages per second."""
    start = time.perf_counter()
    template = render_edition(edition, LIST, TEMPLATES)
    for values in people:
        personalize(template, values)
    return len(people) / (time.perf_counter() - start)


def naive(edition, people: list[dict[str, str]]) -> float:
    """Jinja2 and MJML for every recipient; messages per second."""
    folders = Templates(TEMPLATES)
    start = time.perf_counter()
    for values in people:
        context = edition_context(edition, LIST, values)
        folders.html("digest.mjml.j2", context)
        folders.text("digest.txt.j2", context)
    return len(people) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=20_000)
    parser.add_argument("--naive", type=int, default=300, help="recipients for the naive way (it is slow)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    edition = specimen_edition(10)
    people = recipients(args.recipients)
    sample, _ = personalize(render_edition(edition, LIST, TEMPLATES), people[0])
    fast_rates = [fast(edition, people) for _ in range(args.repeats)]
    naive_rates = [naive(edition, people[: args.naive]) for _ in range(args.repeats)]
    fast_rate, naive_rate = statistics.median(fast_rates), statistics.median(naive_rates)
    print(f"edition: {len(edition.items)} items, {len(sample.encode()) / 1024:.1f} KB of HTML per message")
    print(f"runs (msg/s)  fast: {', '.join(f'{r:,.0f}' for r in fast_rates)}")
    print(f"              naive: {', '.join(f'{r:,.0f}' for r in naive_rates)}")
    print(
        f"personalized: {fast_rate:,.0f} messages/s on one core (median of {args.repeats}; target >= 20,000)"
    )
    print(f"naive Jinja2 + MJML per recipient: {naive_rate:,.0f} messages/s")
    print(f"speed-up: {fast_rate / naive_rate:,.1f}x (target >= 10x)")


if __name__ == "__main__":
    main()
