"""The JSON API, served on loopback: bearer tokens with scopes (401 without one or with a bad or
revoked one, 403 without the scope), kept hashed; keyset pages that never repeat or skip; subscribing
through Idempotency-Key; curation through the board's service; a rate limit per token; one
problem-details shape for every error; an OpenAPI 3.1 document of the API alone."""

from __future__ import annotations

import hashlib

import httpx
from sqlalchemy import text

from digest.accounts import audit
from digest.accounts.tokens import ApiTokens
from digest.domain import SCOPES, Actor
from digest.web.bearer import RateLimit
from tests.web.newsroom import newsroom  # noqa: F401 (a pytest fixture)

API = "/api/v1"


def _token(room, *scopes: str) -> str:  # noqa: ANN001
    return ApiTokens(room.engine).create("test client", scopes, Actor.named("admin")).secret


def _client(room, secret: str | None = None) -> httpx.Client:  # noqa: ANN001
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return httpx.Client(base_url=room.url, headers=headers, timeout=30)


def _is_problem(answer: httpx.Response, status: int) -> dict:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    body = answer.json()
    assert {"type", "title", "status", "detail"} <= body.keys() and body["status"] == status
    assert body["detail"]
    return body


def test_a_token_needs_the_scope_and_no_token_gets_nothing(newsroom):  # noqa: F811
    with _client(newsroom) as anonymous:
        assert "Bearer" in _is_problem(anonymous.get(f"{API}/lists"), 401)["detail"]
        assert anonymous.get(f"{API}/lists").headers["www-authenticate"].startswith("Bearer")
    with _client(newsroom, "dgt_not-a-token") as wrong:
        _is_problem(wrong.get(f"{API}/subscribers"), 401)
    session_cookie = newsroom.tokens["admin"][0]  # a signed-in admin's cookie is no API token
    with httpx.Client(base_url=newsroom.url, cookies={"digest_session": session_cookie}) as browser:
        _is_problem(browser.get(f"{API}/subscribers"), 401)
    with _client(newsroom, _token(newsroom, "lists:read")) as lists_only:
        assert lists_only.get(f"{API}/lists").status_code == 200
        assert "subscribers:read" in _is_problem(lists_only.get(f"{API}/subscribers"), 403)["detail"]
        _is_problem(lists_only.post(f"{API}/subscribers", json={"list_id": "world", "email": "x@example.org"}), 403)
    with _client(newsroom, _token(newsroom, "subscribers:write")) as writer:  # write includes read
        assert writer.get(f"{API}/subscribers").status_code == 200
        _is_problem(writer.get(f"{API}/editions"), 403)


def test_a_token_is_stored_hashed_shown_once_and_refused_once_revoked(newsroom):  # noqa: F811
    tokens = ApiTokens(newsroom.engine)
    made = tokens.create("crm sync", ["lists:read"], Actor.named("admin"))
    with newsroom.engine.connect() as conn:
        stored = " ".join(str(v) for row in conn.execute(text("SELECT * FROM api_tokens")) for v in row)
    assert made.secret not in stored and made.secret[4:] not in stored
    assert hashlib.sha256(made.secret.encode()).hexdigest() in stored
    assert all(t.scopes == ("lists:read",) for t in tokens.all() if t.id == made.token.id)
    with _client(newsroom, made.secret) as client:
        assert client.get(f"{API}/lists").status_code == 200
        tokens.revoke(made.token.id, Actor.named("admin"))
        _is_problem(client.get(f"{API}/lists"), 401)
    actions = [e.action for e in audit.entries(newsroom.engine, object_type="api-token")]
    assert actions == ["api-token.revoke", "api-token.create"]


def test_subscriber_pages_never_repeat_or_skip_and_filter_as_the_console(newsroom):  # noqa: F811
    with _client(newsroom, _token(newsroom, "subscribers:read")) as client:
        everyone = client.get(f"{API}/subscribers", params={"limit": 200}).json()
        assert everyone["next"] is None and len(everyone["data"]) == 6
        seen, cursor = [], None
        while True:
            page = client.get(f"{API}/subscribers", params={"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
            seen += [s["id"] for s in page["data"]]
            cursor = page["next"]
            if cursor is None:
                break
        assert seen == [s["id"] for s in everyone["data"]]
        ada = client.get(f"{API}/subscribers", params={"prefix": "ada@"}).json()["data"]
        assert [s["email"] for s in ada] == ["ada@example.org"]
        assert [m["list_id"] for m in ada[0]["memberships"]] == ["world"]
        one = client.get(f"{API}/subscribers/{ada[0]['id']}").json()
        assert one["email"] == "ada@example.org" and one["memberships"][0]["status"] == "confirmed"
        assert one["consent"][0]["list_id"] == "world" and one["deliveries"] == []  # nothing sent yet
        _is_problem(client.get(f"{API}/subscribers", params={"cursor": "forged"}), 422)
        _is_problem(client.get(f"{API}/subscribers", params={"joined_from": "yesterday"}), 422)
        _is_problem(client.get(f"{API}/subscribers/999999"), 404)
        assert _is_problem(client.get(f"{API}/subscribers", params={"limit": 0}), 422)["errors"]


def test_the_same_idempotency_key_and_body_subscribe_once(newsroom):  # noqa: F811
    body = {"list_id": "world", "email": "zora@example.org", "name": "Zora", "consent": "signed up at the fair"}
    with _client(newsroom, _token(newsroom, "subscribers:write")) as client:
        first = client.post(f"{API}/subscribers", json=body, headers={"Idempotency-Key": "k-1"})
        assert first.status_code == 200 and first.json()["outcome"] == "confirmed"
        again = client.post(f"{API}/subscribers", json=body, headers={"Idempotency-Key": "k-1"})
        assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
        other = client.post(f"{API}/subscribers", json={**body, "name": "G."}, headers={"Idempotency-Key": "k-1"})
        assert "another body" in _is_problem(other, 422)["detail"]
        without = client.post(f"{API}/subscribers", json=body)  # no key: done again, and it says so
        assert without.json()["outcome"] == "already_confirmed"
        _is_problem(client.post(f"{API}/subscribers", json={**body, "list_id": "nowhere"}), 404)
        _is_problem(client.post(f"{API}/subscribers", json={**body, "email": "not an address"}), 422)
    creates = [e for e in audit.entries(newsroom.engine) if e.object_type == "api-token"]
    assert len(creates) == 1


def test_a_retry_that_reaches_another_serving_process_gets_the_first_answer(newsroom, instance):  # noqa: F811
    from digest.pipeline.serve import build_app
    from tests.servers.web import Uvicorn
    from tests.web.newsroom import SECRET

    other = Uvicorn(build_app(newsroom.settings, str(instance / "config.yaml"), SECRET, scheduler=False))
    body = {"list_id": "world", "email": "yuki@example.org", "consent": "signed up at the fair"}
    secret = _token(newsroom, "subscribers:write")
    with other, _client(newsroom, secret) as first_process:
        first = first_process.post(f"{API}/subscribers", json=body, headers={"Idempotency-Key": "retry-1"})
        assert first.json()["outcome"] == "confirmed"
        with httpx.Client(base_url=other.url, headers={"Authorization": f"Bearer {secret}"}) as second_process:
            again = second_process.post(f"{API}/subscribers", json=body, headers={"Idempotency-Key": "retry-1"})
        assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"


def test_an_edition_is_read_and_curated_as_the_board_does(newsroom):  # noqa: F811
    path = f"{API}/editions/{newsroom.edition_id}"
    with _client(newsroom, _token(newsroom, "editions:read")) as reader:
        listed = reader.get(f"{API}/editions", params={"list_id": "world"}).json()
        assert [e["id"] for e in listed["data"]] == [newsroom.edition_id] and listed["next"] is None
        shown = reader.get(path).json()
        assert shown["deliveries"] == {} and shown["events"] == {}  # not sent yet
        items = shown["items"]
        assert len(items) >= 2
        _is_problem(reader.post(f"{path}/changes", json={"op": "subject", "text": "New"}), 403)
    first = items[0]["article_id"]
    with _client(newsroom, _token(newsroom, "editions:write")) as editor:
        changed = editor.post(f"{path}/changes", json={"op": "exclude", "article_id": first})
        assert changed.status_code == 200, changed.text
        assert first not in [i["article_id"] for i in changed.json()["items"]]
        subject = editor.post(f"{path}/changes", json={"op": "subject", "text": "Monday's world"}).json()
        assert subject["subject"] == "Monday's world"
        assert "needs `article_id`" in _is_problem(editor.post(f"{path}/changes", json={"op": "pin"}), 422)["detail"]
        _is_problem(editor.post(f"{path}/changes", json={"op": "launch"}), 422)
        _is_problem(editor.post(f"{API}/editions/99999/changes", json={"op": "subject", "text": "x"}), 404)
    log = newsroom.app.state.site.engine  # the change log names the token
    from digest.editions import service

    actors = {c.actor for c in service.show(log, newsroom.settings, newsroom.edition_id, None).changes}
    assert any(a.startswith("API token test client") for a in actors)


def test_lists_are_made_and_changed_and_segments_saved_as_the_console_does(newsroom):  # noqa: F811
    new = {"id": "letters", "name": "Letters", "from_address": "letters@example.org", "from_name": "The Desk"}
    with _client(newsroom, _token(newsroom, "lists:read")) as reader:
        _is_problem(reader.post(f"{API}/lists", json=new), 403)
    with _client(newsroom, _token(newsroom, "lists:write")) as client:
        made = client.post(f"{API}/lists", json=new, headers={"Idempotency-Key": "l-1"})
        assert made.status_code == 201 and made.json()["public"] is False and made.json()["members"] == {}
        again = client.post(f"{API}/lists", json=new, headers={"Idempotency-Key": "l-1"})
        assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
        assert "already exists" in _is_problem(client.post(f"{API}/lists", json=new), 409)["detail"]
        _is_problem(client.post(f"{API}/lists", json={**new, "id": "x", "language": "xx"}), 422)
        changed = client.patch(f"{API}/lists/letters", json={"name": "Letters to the Editor", "public": True})
        assert changed.status_code == 200 and (changed.json()["name"], changed.json()["public"]) == ("Letters to the Editor", True)
        kept = client.patch(f"{API}/lists/letters", json={"name": None, "reply_to": None})  # null: left as it is
        assert kept.status_code == 200 and kept.json()["name"] == "Letters to the Editor"
        refused = _is_problem(client.patch(f"{API}/lists/world", json={"name": "Renamed"}), 409)
        assert "declared in config.yaml" in refused["detail"]
        _is_problem(client.patch(f"{API}/lists/nowhere", json={"name": "X"}), 404)
    segment = {"name": "English readers", "query": {"list_id": "world", "language": "en"}}
    with _client(newsroom, _token(newsroom, "segments:write")) as client:
        saved = client.post(f"{API}/segments", json=segment)
        assert saved.status_code == 201, saved.text
        body = saved.json()
        assert (body["query"], body["confirmed"], body["more"]) == ({"list_id": "world", "language": "en"}, 2, False)
        assert client.get(f"{API}/segments/{body['id']}").json() == body
        assert [s["id"] for s in client.get(f"{API}/segments", params={"list_id": "world"}).json()["data"]] == [body["id"]]
        _is_problem(client.post(f"{API}/segments", json=segment), 409)
        _is_problem(client.post(f"{API}/segments", json={**segment, "query": {"list_id": "world", "timezone": "Mars"}}), 422)
        assert client.delete(f"{API}/segments/{body['id']}").status_code == 204
        _is_problem(client.get(f"{API}/segments/{body['id']}"), 404)
    actions = [e.action for e in audit.entries(newsroom.engine) if e.action.startswith(("list.", "segment."))]
    assert actions == ["segment.delete", "segment.create", "list.update", "list.update", "list.create"]


def test_a_token_past_its_rate_limit_gets_429_with_retry_after(newsroom):  # noqa: F811
    newsroom.app.state.site.bearer.windows.limit = RateLimit(requests=3, window=600)
    secret, other = _token(newsroom, "lists:read"), _token(newsroom, "lists:read")
    with _client(newsroom, secret) as client:
        assert [client.get(f"{API}/lists").status_code for _ in range(3)] == [200, 200, 200]
        refused = client.get(f"{API}/lists")
        _is_problem(refused, 429)
        assert 1 <= int(refused.headers["retry-after"]) <= 600
    with _client(newsroom, other) as client:  # per token
        assert client.get(f"{API}/lists").status_code == 200


def test_the_openapi_document_is_3_1_and_describes_the_api_alone(newsroom):  # noqa: F811
    with _client(newsroom) as anonymous:
        doc = anonymous.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    assert doc["paths"] and all(p.startswith("/api/v1/") for p in doc["paths"])
    assert doc["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    lists = doc["paths"]["/api/v1/lists"]["get"]["responses"]
    assert lists["403"]["content"]["application/problem+json"]["schema"]["$ref"].endswith("/Problem")
    assert set(SCOPES) >= {"lists:read", "subscribers:write", "editions:write", "sources:read"}


def test_every_api_route_refuses_a_token_without_its_scope_and_lets_one_with_it_in(newsroom):  # noqa: F811
    from digest.web.policy import RULES

    values = {"subscriber_id": "1", "edition_id": str(newsroom.edition_id), "list_id": "world", "segment_id": "1",
              "name": "wire", "job_id": "1"}
    api_rules = {key: rule for key, rule in RULES.items() if rule.token_scope}
    assert len(api_rules) >= 8
    for (method, template), rule in api_rules.items():
        path = template.format(**values)
        others = [s for s in SCOPES if s.split(":")[0] != rule.token_scope.split(":")[0]]
        lacking = _token(newsroom, *others, *(["{}:read".format(rule.token_scope.split(":")[0])]
                                             if rule.token_scope.endswith(":write") else []))  # fmt: skip
        with _client(newsroom, lacking) as client:
            _is_problem(client.request(method, path, json={}), 403)
        with _client(newsroom, _token(newsroom, rule.token_scope)) as client:
            answer = client.request(method, path, json={})
            assert answer.status_code not in (401, 403), (method, template, answer.text)


def test_an_editions_deliveries_and_events_page_in_order_never_repeating(newsroom):  # noqa: F811
    from datetime import UTC, datetime, timedelta

    from digest.domain import Delivery
    from digest.store.deliveries import insert_deliveries
    from digest.store.events import record_event

    edition, start = newsroom.edition_id, datetime(2026, 12, 1, 7, tzinfo=UTC)
    with newsroom.engine.begin() as conn:
        insert_deliveries(conn, edition, [Delivery(edition, n, f"reader{n}@example.org") for n in range(1, 6)])
        conn.execute(text("UPDATE deliveries SET status = 'failed', error = 'mailbox full' WHERE email = 'reader3@example.org'"))
        for n in range(12):  # posted in another order than they happened, one of them twice
            kind = "open" if n % 3 else "delivered"
            record_event(conn, f"ev{n:02}", "sendgrid", kind, edition_id=edition, delivery_id=None, reason=None,
                         at=start + timedelta(minutes=(7 * n) % 12))  # fmt: skip
        assert not record_event(conn, "ev05", "sendgrid", "open", edition_id=edition, delivery_id=None, reason=None)
    with _client(newsroom, _token(newsroom, "deliveries:read", "events:read")) as client:
        seen, cursor = [], ""
        while True:
            page = client.get(f"{API}/editions/{edition}/deliveries", params={"limit": 2, "cursor": cursor}).json()
            seen += [d["email"] for d in page["data"]]
            if not (cursor := page["next"]):
                break
        assert seen == [f"reader{n}@example.org" for n in range(1, 6)]
        failed = client.get(f"{API}/editions/{edition}/deliveries", params={"status": "failed"}).json()["data"]
        assert [d["email"] for d in failed] == ["reader3@example.org"]

        times, cursor = [], ""
        while True:
            page = client.get(f"{API}/editions/{edition}/events", params={"limit": 5, "cursor": cursor}).json()
            times += [(e["at"], e["event_id"]) for e in page["data"]]
            if not (cursor := page["next"]):
                break
        assert len(times) == 12 and times == sorted(times)  # each once, in the order they happened
        opens = client.get(f"{API}/editions/{edition}/events", params={"event": "delivered"}).json()["data"]
        assert {e["event"] for e in opens} == {"delivered"} and len(opens) == 4
        assert "cursor is damaged" in _is_problem(
            client.get(f"{API}/editions/{edition}/events", params={"cursor": "not-a-cursor!"}), 422)["detail"]
        _is_problem(client.get(f"{API}/editions/999999/deliveries"), 404)
    with _client(newsroom, _token(newsroom, "editions:read")) as editions_only:
        assert "deliveries:read" in _is_problem(editions_only.get(f"{API}/editions/{edition}/deliveries"), 403)["detail"]
