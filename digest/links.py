"""Absolute https links carried by mail: one place builds them, the web app serves them."""

from __future__ import annotations

from digest.config import SECRET_KEY_ENV
from digest.errors import ConfigError
from subscribers.tokens import Tokens

UNSUBSCRIBE_PATH = "/u/{token}"
PREFERENCES_PATH = "/p/{token}"
CONFIRM_PATH = "/confirm/{token}"
ARCHIVE_PATH = "/archive/{edition_id}"
LIST_ARCHIVE_PATH = "/archive/list/{list_id}"  # a public list's past editions
FEED_PATH = "/archive/list/{list_id}/feed.atom"  # and their Atom feed
REVIEW_PATH = "/review/{token}"
CLICK_PATH = "/c/{token}"  # a story link of an edition, tracked: ?r=<reader token> says whose copy
OPEN_PATH = "/o/{token}.gif"  # the open pixel of a reader's copy
READER_PARAM = "r"
REVIEW_DAYS = 14  # how long an editor's preview link works


def signer(secret_key: str | None) -> Tokens:
    """What signs the links in mail; ConfigError, saying how to make a key, when there is none."""
    if not secret_key:
        raise ConfigError(
            f"{SECRET_KEY_ENV} is not set: links in mail are signed with it. "
            f"Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    return Tokens(secret_key)


class Links:
    def __init__(self, base_url: str, tokens: Tokens):
        self.base = base_url.rstrip("/")
        self.tokens = tokens

    # A subscriber's links carry their nonce: they act on that person only (subscribers.tokens).

    def unsubscribe(self, subscriber_id: int, list_id: str, nonce: str | None) -> str:
        token = self.tokens.sign("unsubscribe", subscriber_id, list_id, nonce)
        return self.base + UNSUBSCRIBE_PATH.format(token=token)

    def preferences(self, subscriber_id: int, nonce: str | None) -> str:
        token = self.tokens.sign("preferences", subscriber_id, None, nonce)
        return self.base + PREFERENCES_PATH.format(token=token)

    def confirm(self, subscriber_id: int, list_id: str, nonce: str | None) -> str:
        return self.base + CONFIRM_PATH.format(
            token=self.tokens.sign("confirm", subscriber_id, list_id, nonce)
        )

    def archive(self, edition_id: int) -> str:
        return self.base + ARCHIVE_PATH.format(edition_id=edition_id)

    def review(self, edition_id: int, list_id: str) -> str:
        """The editors' preview of a draft: a signed link, since drafts are not public."""
        return self.base + REVIEW_PATH.format(token=self.tokens.sign("review", edition_id, list_id))

    # Tracking (digest.deliver.readers): a story's link is signed once per edition, the reader's
    # token once per recipient; neither carries an address.

    def click(self, edition_id: int, item_id: int) -> str:
        """A story's tracked link, up to where the reader's token goes: `.../c/<token>?r=`."""
        token = self.tokens.sign_ids("click", edition_id, item_id)
        return self.base + CLICK_PATH.format(token=token) + f"?{READER_PARAM}="

    def reader(self, edition_id: int, delivery_id: int) -> str:
        """The token of one recipient's copy: it names the delivery row, never the address."""
        return self.tokens.sign_ids("reader", edition_id, delivery_id)

    def pixel(self) -> tuple[str, str]:
        """The open pixel's address, before and after the reader's token."""
        before, after = OPEN_PATH.split("{token}")
        return self.base + before, after
