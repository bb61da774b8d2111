"""The JSON API under /api/v1 (bearer tokens with scopes: digest.web.bearer; errors as problem
details: digest.web.problems), and its OpenAPI 3.1 document at /api/openapi.json, made from these
routes only (the newsroom's pages are not in it)."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse

from digest.domain import SCOPES
from digest.web.problems import MEDIA_TYPE
from digest.web.routes.api import audience, deliveries, imports, lists, newsroom, reports

VERSION = "1"
router = APIRouter()
router.include_router(lists.router)
router.include_router(audience.router)
router.include_router(imports.router)
router.include_router(newsroom.router)
router.include_router(deliveries.router)
router.include_router(reports.router)


@cache
def openapi() -> dict[str, Any]:
    described = FastAPI(title="digest API", version=VERSION, openapi_url=None, docs_url=None, redoc_url=None,
                        description="Bearer tokens with scopes (`digest tokens create`): " + ", ".join(SCOPES))  # fmt: skip
    described.include_router(lists.router)
    described.include_router(audience.router)
    described.include_router(imports.router)
    described.include_router(newsroom.router)
    described.include_router(deliveries.router)
    described.include_router(reports.router)
    doc = described.openapi()
    doc["servers"] = [{"url": "/"}]
    doc.setdefault("components", {})["securitySchemes"] = {"token": {"type": "http", "scheme": "bearer"}}
    doc["security"] = [{"token": []}]
    for operation in (op for path in doc["paths"].values() for op in path.values()):
        for status, response in operation["responses"].items():
            content = response.get("content", {})
            if status[0] in "45" and "application/json" in content:  # problems are problem+json
                content[MEDIA_TYPE] = content.pop("application/json")
    return doc


@router.get("/api/openapi.json", include_in_schema=False)
def openapi_document() -> JSONResponse:
    return JSONResponse(openapi())
