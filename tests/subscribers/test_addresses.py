"""Addresses: the cached fast path gives exactly what email-validator gives; tokens are scoped."""

from __future__ import annotations

import time

import pytest
from email_validator import EmailNotValidError, validate_email
from itsdangerous import TimestampSigner

from subscribers.addresses import InvalidAddress, identity, normalize
from subscribers.tokens import InvalidToken, Tokens

ADDRESSES = [
    "ann@example.org",
    "Ann.Lee+news@Example.ORG",
    "  padded@example.org  ",
    "user@bücher.de",
    "user@xn--bcher-kva.de",
    "Postmaster@example.org",
    "ABUSE@Example.org",
    "dots..double@example.org",
    ".lead@example.org",
    "trail.@example.org",
    "a@b",
    "a@localhost",
    "a@example.org.",
    "a@-bad.org",
    "a@exa_mple.org",
    "ünïcode@example.org",
    '"quoted"@example.org',
    "Ann <ann@example.org>",
    "two@@example.org",
    "x" * 64 + "@example.org",
    "x" * 65 + "@example.org",
    "a@" + "d" * 63 + "." + "e" * 63 + "." + "f" * 63 + "." + "g" * 58 + ".org",
    "y" * 240 + "@example.org",
    "a@[192.0.2.1]",
    "a@example.123",
    "a@exa\u0301mple.org",
    "",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_normalize_agrees_with_email_validator(address):
    try:
        expected = validate_email(address.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        with pytest.raises(InvalidAddress) as raised:
            normalize(address)
        assert raised.value.reason == str(exc)  # the validator's reason, which pages translate around
        assert str(raised.value) == f"{address}: not a valid email address ({exc})"
        return
    assert normalize(address) == expected
    assert normalize(address) == expected  # the second time from the domain cache


def test_identity_ignores_case():
    assert identity(normalize("Ann@Example.org")) == identity(normalize("ann@example.ORG"))


def test_tokens_are_scoped_and_expire_with_their_payload(monkeypatch):
    tokens = Tokens("k")
    token = tokens.sign("unsubscribe", 7, "world", "n0nce")
    claim = tokens.verify("unsubscribe", token)
    assert (claim.subject_id, claim.list_id, claim.nonce) == (7, "world", "n0nce")
    assert abs(claim.signed_at.timestamp() - time.time()) < 5
    with pytest.raises(InvalidToken):
        tokens.verify("preferences", token)
    with pytest.raises(InvalidToken):
        Tokens("other").verify("unsubscribe", token)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 100)
    old = tokens.sign("confirm", 7, "world", "n0nce")
    monkeypatch.undo()
    with pytest.raises(InvalidToken) as raised:
        tokens.verify("confirm", old, max_age=10)
    claim = raised.value.claim
    assert (raised.value.expired, claim.subject_id, claim.list_id, claim.nonce) == (True, 7, "world", "n0nce")
    legacy = tokens.verify("unsubscribe", tokens.sign("unsubscribe", 7, "world"))  # as links before nonces
    assert (legacy.subject_id, legacy.list_id, legacy.nonce) == (7, "world", None)
