"""schemathesis against the running app's own OpenAPI document (/api/openapi.json), served on
127.0.0.1 with a token of every scope: no request it makes gets a server error, and every answer
fits the schema the document declares (status, media type, body). A bounded number of examples per
operation keeps it short."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from digest.accounts.tokens import ApiTokens
from digest.domain import SCOPES, Actor
from digest.web.bearer import RateLimit
from tests import ROOT
from tests.web.newsroom import open_newsroom

EXAMPLES = 25  # per operation


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, str]]:
    """The demo newsroom on loopback and a token with every scope: (url, token)."""
    instance = tmp_path_factory.mktemp("instance")
    shutil.copy(ROOT / "config.yaml", instance / "config.yaml")
    for folder in ("samples", "templates"):
        shutil.copytree(ROOT / folder, instance / folder)
    room, server = open_newsroom(instance)
    room.app.state.site.bearer.windows.limit = RateLimit(requests=100_000, window=60)  # type: ignore[attr-defined]
    secret = ApiTokens(room.engine).create("schemathesis", SCOPES, Actor.named("test")).secret
    with server:
        yield room.url, secret
    room.engine.dispose()


def test_the_api_answers_as_its_openapi_document_says(served):
    url, secret = served
    schema = schemathesis.openapi.from_url(f"{url}/api/openapi.json")
    operations = [found.ok() for found in schema.get_all_operations()]
    assert len(operations) >= 7
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)  # fmt: skip
        def answers(case) -> None:  # noqa: ANN001
            if isinstance(case.body, dict) and case.body.get("op") == "add":
                return  # `add` fetches its URL: every request of this test stays on 127.0.0.1
            case.call_and_validate(headers={"Authorization": f"Bearer {secret}"},
                                   checks=[not_a_server_error, response_schema_conformance])  # fmt: skip

        answers()
