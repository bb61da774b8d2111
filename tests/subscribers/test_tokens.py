"""The links' tokens are itsdangerous's own: a link mailed before the signing was made faster (or by
any other itsdangerous signer with our key and salt) still acts, and ours read as theirs."""

from __future__ import annotations

from unittest import mock

from hypothesis import example, given
from hypothesis import strategies as st
from itsdangerous import URLSafeTimedSerializer

from subscribers.tokens import PURPOSES, Tokens

KEY = "a signing key for the tests"
payloads = st.tuples(
    st.sampled_from(PURPOSES),
    st.integers(1, 2**31 - 1),
    st.none() | st.from_regex(r"[a-z0-9_-]{1,40}", fullmatch=True),
    st.none() | st.text(min_size=1, max_size=16),
)


@given(payloads, st.integers(1_600_000_000, 2_000_000_000))
@example(("unsubscribe", 1, "000000000000", None), 1_600_000_000)  # a payload zlib shortens
def test_a_token_reads_both_ways_and_is_the_one_itsdangerous_makes_uncompressed(payload, now):
    purpose, subject, list_id, nonce = payload
    standard = URLSafeTimedSerializer(KEY, salt=f"digest.{purpose}")
    expected = [subject, list_id] if nonce is None else [subject, list_id, nonce]
    with mock.patch("time.time", return_value=now):
        ours = Tokens(KEY).sign(purpose, subject, list_id, nonce)
        theirs = standard.dumps(expected)
        assert standard.loads(ours) == expected
        claim = Tokens(KEY).verify(purpose, theirs)
    assert (claim.subject_id, claim.list_id, claim.nonce) == (subject, list_id, nonce)
    if not theirs.startswith("."):  # itsdangerous compresses a payload zlib shortens; we never do
        assert ours == theirs


def test_a_compressed_token_of_itsdangerous_still_reads():
    nonce = "n" * 200  # long enough for itsdangerous to compress it (a '.' before the payload)
    token = URLSafeTimedSerializer(KEY, salt="digest.unsubscribe").dumps([7, "world", nonce])
    assert token.startswith(".")
    claim = Tokens(KEY).verify("unsubscribe", token)
    assert (claim.subject_id, claim.list_id, claim.nonce) == (7, "world", nonce)
