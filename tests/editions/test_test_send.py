"""A test send goes to the signed-in editor's own address and the list's seed addresses, through
the configured backend (here the outbox folder), and makes no delivery row."""

from __future__ import annotations

import email
from email import policy

from digest import config
from digest.accounts import audit
from digest.accounts.service import Accounts
from digest.domain import Actor, Role
from digest.editions import service
from digest.store.deliveries import delivery_counts
from tests.conftest import write_config
from tests.editions.test_service import newsroom  # noqa: F401 (a pytest fixture)


def test_the_editor_and_the_seeds_get_a_marked_copy(newsroom):  # noqa: F811
    settings, engine, instance = newsroom
    lists = [dict(settings.get_list("world").model_dump(mode="json"), seed_addresses=["seed@example.net"])]
    settings = config.load(write_config(instance, lists=lists))
    edition = service.build(engine, settings, "world", actor=Actor.named("test")).edition
    user = Accounts(engine, "a secret").create_user(
        "ana@example.org", "Ana", Role.EDITOR, "a long enough password", Actor.named("test")
    )

    results = service.test_send(engine, settings, edition.id, Actor.of(user, "127.0.0.1"))
    assert [(r.address, r.accepted) for r in results] == [("ana@example.org", True), ("seed@example.net", True)]
    sent = [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in (instance / "outbox").iterdir()]
    assert sorted(str(m["To"]) for m in sent) == ["ana@example.org", "seed@example.net"]
    assert all(str(m["Subject"]) == f"[TEST] {edition.subject}" and m["X-Digest-Test"] == "yes" for m in sent)
    with engine.connect() as conn:
        assert delivery_counts(conn, edition.id) == {}
    [entry] = audit.entries(engine, action="edition.test_send")
    assert (entry.actor, entry.user_id, entry.client, entry.object_id) == (user.label, user.id, "127.0.0.1", str(edition.id))
