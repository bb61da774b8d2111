"""`Idempotency-Key` answers as HTTP: digest.accounts.idempotency keeps them (in the database); this makes
the response, marked `Idempotent-Replayed: true` when it is the first request's answer given again."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from digest.accounts.idempotency import HEADER, Answer

__all__ = ["HEADER", "REPLAYED", "response"]
REPLAYED = "Idempotent-Replayed"


def response(answer: Answer) -> JSONResponse:
    return JSONResponse(answer.body, status_code=answer.status, headers={REPLAYED: "true"} if answer.replayed else None)
