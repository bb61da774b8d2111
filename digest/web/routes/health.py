"""Liveness, for monitors (HEAD works too), and whether this process runs the scheduler."""

from __future__ import annotations

from fastapi import APIRouter

from digest.web.deps import SiteDep

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
def healthz(site: SiteDep) -> dict[str, bool]:
    return {"ok": True, "scheduler": site.scheduler_active()}
