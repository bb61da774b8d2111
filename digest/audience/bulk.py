"""Bulk actions in the console: one action on every subscriber of a search (subscribers.bulk), run as a
background job (digest.jobs) with its progress, its report and two audit entries (who asked for what,
then what it did)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from digest.accounts import audit
from digest.audience import console
from digest.audience.service import Audience
from digest.domain import Actor, Job
from digest.jobs import Context, JobRunner
from digest.store.deliveries import forget_recipient
from subscribers import bulk
from subscribers.search import Query

KIND = "bulk"


@dataclass(frozen=True)
class Proposal:
    """An action checked and counted, for the confirmation page."""

    todo: bulk.Plan
    query: Query
    matched: int


def propose(
    aud: Audience, search: dict[str, Any], action: str, list_id: str | None, consent: str | None
) -> Proposal:
    """Check an action on a search (InvalidValue names what is wrong) and count whom it would touch."""
    query = console.query_of(**search)
    with aud.engine.connect() as conn:
        todo = bulk.plan(conn, action, list_id, consent)
        return Proposal(todo, query, bulk.count(conn, query))


def start(aud: Audience, runner: JobRunner, search: dict[str, Any], action: str, list_id: str | None,
          consent: str | None, actor: Actor) -> Job:  # fmt: skip
    """Queue the action as a job; the audit log says who asked for it, on which search."""
    query = console.query_of(**search)
    with aud.engine.connect() as conn:
        todo = bulk.plan(conn, action, list_id, consent)
    params = {"search": search, "action": todo.action.value, "list_id": todo.list_id, "consent": todo.consent}
    job = runner.submit(KIND, params, actor)
    with aud.engine.begin() as conn:
        audit.record(conn, actor, f"subscribers.bulk.{todo.action}", "job", job.id,
                     {**query.describe(), "list": todo.list_id or "every list"})  # fmt: skip
    return job


def run(ctx: Context) -> dict[str, Any]:
    """The job: count, act a batch at a time, audit what it did."""
    search, p = ctx.params["search"], ctx.params
    query = console.query_of(**search)
    with ctx.engine.connect() as conn:
        todo = bulk.plan(conn, p["action"], p.get("list_id"), p.get("consent"))
        ctx.progress(0, bulk.count(conn, query))
        report = bulk.apply(conn, query, todo, on_erase=forget_recipient, origin=f"bulk action {ctx.job.id}",
                            progress=ctx.progress)  # fmt: skip
    with ctx.engine.begin() as conn:
        audit.record(
            conn, ctx.actor, f"subscribers.bulk.{todo.action}.done", "job", ctx.job.id, report.as_dict()
        )
    return report.as_dict()
