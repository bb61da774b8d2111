"""A made-up edition of any length, for trying templates without a database and for the bench."""

from __future__ import annotations

from datetime import UTC, datetime

from digest.domain import Brief, Coverage, Edition, Image, Quote

LEDE = (
    "The harbour authority approved the offshore wind farm on Tuesday after three years of hearings, "
    "clearing the way for forty turbines that should power a third of the region's homes by 2030. "
    "Fishing crews won a say over cable routes and a fund for lost grounds, while the port will train "
    "two hundred technicians."
)
QUOTE = "We listened to every objection, and the plan is better for it"


def specimen_edition(items: int = 10, list_id: str = "world") -> Edition:
    briefs = [
        Brief(
            title=f"Story {n}: the harbour wind farm wins approval after three years",
            lede=LEDE,
            quotes=[Quote(QUOTE, speaker="Marta Silva, harbour director")],
            url=f"https://news.example.org/2026/11/story-{n}",
            source="Harbour Gazette",
            byline="Jo Reyes",
            caption="Turbines off the harbour mouth at dawn. Photo: Jo Reyes",
            image=Image(f"https://news.example.org/2026/11/story-{n}.jpg", "Wind turbines at sea", 1200, 800),
            words=900 + 100 * n,
            also=[Coverage("Coastal Times", f"https://coast.example.com/{n}"), Coverage("Radio North")],
        )
        for n in range(1, items + 1)
    ]
    return Edition(
        list_id=list_id,
        subject="The week: the harbour wind farm wins approval",
        items=briefs,
        intro="Ten stories this week, from the harbour to the hills.",
        created_at=datetime(2026, 11, 23, 7, 0, tzinfo=UTC),
        id=1,
    )
