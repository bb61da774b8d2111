"""FetchError messages: a failure without a message of its own still says something."""

from __future__ import annotations

import httpx
import pytest

from digest.ingest.fetch import Fetcher, FetchError, Limits


@pytest.mark.parametrize("error", [httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError])
def test_a_transport_error_without_a_message_says_no_detail(error):
    # A transport that fails the way a dropped socket can: an httpx error whose text is empty. (No
    # server on loopback reliably produces an empty one, so the failure is injected at the transport.)
    def fail(request: httpx.Request) -> httpx.Response:
        raise error("", request=request)

    with Fetcher(Limits(retries=0), transport=httpx.MockTransport(fail)) as fetcher:
        with pytest.raises(FetchError) as caught:
            fetcher.get("http://127.0.0.1:9/feed.xml")
    assert str(caught.value) == f"http://127.0.0.1:9/feed.xml: {error.__name__} (no detail)"
