"""Provider event webhooks. The provider's module checks the signature on the raw bytes and parses
its own payload (digest.deliver.backends.sendgrid); digest.deliver.tracking applies the events, then digest.deliver.alerts mails the
alerts they made due. A
post that is unsigned or badly signed gets 403 and changes nothing."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from digest.deliver import alerts, tracking
from digest.deliver.backends import sendgrid
from digest.errors import Invalid
from digest.web.deps import SiteDep

MAX_BODY = 5 * 1024 * 1024  # SendGrid batches events; its posts stay well under this

router = APIRouter()


@router.post("/webhooks/sendgrid", response_model=None)
async def sendgrid_events(site: SiteDep, request: Request) -> JSONResponse | dict[str, int]:
    raw = await request.body()  # BodyLimit has held it to MAX_BODY
    if not sendgrid.verified(raw, request.headers):
        return JSONResponse({"detail": "signature missing or not valid"}, status_code=403)
    try:
        events = sendgrid.parse_events(raw)
    except Invalid as exc:
        return JSONResponse({"detail": str(exc)}, status_code=400)
    applied = await run_in_threadpool(tracking.apply, site.engine, events)
    await run_in_threadpool(alerts.check_events, site.engine, site.settings, events)  # a bounce or complaint only
    return {"received": len(events), "applied": applied}
