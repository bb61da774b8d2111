"""Source settings in config.yaml: the kinds, their locations and the per-source options."""

from __future__ import annotations

import pytest

from digest.config import load
from digest.errors import ConfigError
from digest.ingest.html import plain_text
from digest.ingest.normalize import canonical_url


def config_with(tmp_path, sources: str):
    path = tmp_path / "config.yaml"
    path.write_text("public_url: https://digest.example.org\nsources:\n" + sources)
    return load(path)


def test_feed_page_folder_and_the_rss_alias_with_their_options(tmp_path):
    settings = config_with(
        tmp_path,
        "  - {name: wire, kind: feed, url: 'https://w.example.org/feed', weight: 2, full_text: true, tags: [world]}\n"
        "  - {name: old, kind: rss, path: feed.xml}\n"
        "  - {name: column, kind: page, url: 'https://c.example.org/a', language: fr}\n"
        "  - {name: desk, kind: folder, path: articles}\n",
    )
    wire, old, column, desk = settings.sources
    assert (wire.weight, wire.full_text, wire.tags) == (2.0, True, ["world"])
    assert (old.kind, old.weight, old.full_text, old.tags) == ("rss", 1.0, False, [])
    assert (column.kind, column.language, desk.kind) == ("page", "fr", "folder")


@pytest.mark.parametrize(
    ("source", "said"),
    [
        ("{name: p, kind: page, path: a.html}", "sources[0]: a page source needs a url"),
        ("{name: f, kind: feed}", "sources[0]: a feed source needs a url or a path"),
        ("{name: f, kind: feed, url: 'ftp://x.org/f'}", "url must start with http:// or https://"),
        ("{name: f, kind: atom, url: 'https://x.org/f'}", "sources[0].kind"),
        ("{name: f, kind: feed, url: 'https://x.org/f', weight: -1}", "sources[0].weight"),
    ],
)
def test_source_mistakes_are_named_by_their_key(tmp_path, source, said):
    with pytest.raises(ConfigError) as caught:
        config_with(tmp_path, f"  - {source}\n")
    assert said in str(caught.value)


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "HTTPS://News.Example.org:443/a/b?utm_source=x&id=3&fbclid=y&gclid=z#top",
            "https://news.example.org/a/b?id=3",
        ),
        ("http://example.org:8080/x?b=2&a=1&utm_medium=rss", "http://example.org:8080/x?a=1&b=2"),
        ("/relative/path?mc_cid=1", "https://base.example.org/relative/path"),
        ("javascript:alert(1)", None),
        ("", None),
    ],
)
def test_canonical_urls_drop_tracking_and_fragments(url, canonical):
    assert canonical_url(url, "https://base.example.org/feed") == canonical


def test_titles_lose_their_markup_and_scripts():
    assert (
        plain_text("Ferry <b>service</b> &amp; <script>steal()</script>port  reopen")
        == "Ferry service & port reopen"
    )
    assert plain_text("Plain  title") == "Plain title"
