"""SendGrid's signed Event Webhook. The signature (ECDSA P-256 over timestamp + raw body) is checked
on the raw bytes with the library's EventWebhook helper: a request that is unsigned or badly signed
gets 403 and changes nothing. The verification key comes from SENDGRID_WEBHOOK_PUBLIC_KEY."""

from __future__ import annotations

import binascii
import json
import logging

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sendgrid.helpers.eventwebhook import EventWebhook

from digest import config
from digest.deliver.events import apply_events
from digest.web.deps import SiteDep

PUBLIC_KEY_ENV = "SENDGRID_WEBHOOK_PUBLIC_KEY"
SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature"
TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp"
MAX_BODY = 5 * 1024 * 1024  # SendGrid batches events; its posts stay well under this

log = logging.getLogger(__name__)
router = APIRouter()


def verified(raw: bytes, signature: str | None, timestamp: str | None, public_key: str | None) -> bool:
    if not (signature and timestamp and public_key):
        return False
    try:
        helper = EventWebhook(public_key)
        return bool(helper.verify_signature(raw.decode("utf-8"), signature, timestamp))
    except (ValueError, UnicodeDecodeError, binascii.Error, TypeError):
        return False


@router.post("/webhooks/sendgrid", response_model=None)
async def sendgrid_events(site: SiteDep, request: Request) -> JSONResponse | dict[str, int]:
    raw = await request.body()  # BodyLimit has held it to MAX_BODY
    public_key = config.secret(PUBLIC_KEY_ENV)
    if not public_key:
        log.warning("%s is not set: SendGrid events are refused", PUBLIC_KEY_ENV)
    if not verified(raw, request.headers.get(SIGNATURE_HEADER), request.headers.get(TIMESTAMP_HEADER), public_key):
        return JSONResponse({"detail": "signature missing or not valid"}, status_code=403)
    try:
        events = json.loads(raw)
    except ValueError:
        return JSONResponse({"detail": "not JSON"}, status_code=400)
    if not isinstance(events, list):
        return JSONResponse({"detail": "expected a JSON array of events"}, status_code=400)
    applied = await run_in_threadpool(apply_events, site.engine, events)
    return {"received": len(events), "applied": applied}
