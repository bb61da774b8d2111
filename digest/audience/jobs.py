"""The background jobs of the subscriber side, by kind: what digest.jobs.JobRunner runs (the Site
builds it with these). Each handler takes the job's context and gives its summary (counts)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from digest.audience import imports

if TYPE_CHECKING:
    from digest.jobs import Context

HANDLERS: Mapping[str, Callable[[Context], dict[str, int]]] = {
    imports.KIND: imports.run,  # a CSV imported into a list (digest.audience.imports)
}
