"""The JSON API's one error shape: problem details (RFC 9457), `application/problem+json`, with
`type`, `title`, `status` and `detail` (and, for a request that does not validate, `errors`)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel

MEDIA_TYPE = "application/problem+json"
API_PATHS = ("/api/",)


class Problem(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None  # what did not validate, field by field


def problem(status: int, detail: str, headers: dict[str, str] | None = None,
            errors: list[dict[str, Any]] | None = None) -> JSONResponse:  # fmt: skip
    title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    body = Problem(title=title, status=status, detail=detail, errors=errors).model_dump(exclude_none=True)
    return JSONResponse(body, status_code=status, headers=headers, media_type=MEDIA_TYPE)


def is_api(path: str) -> bool:
    return path.startswith(API_PATHS)


def validation_errors(raw: Any) -> list[dict[str, Any]]:
    """FastAPI's validation errors, reduced to where and what (no echo of the input)."""
    return [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in raw]
