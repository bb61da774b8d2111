"""The audience's kinds of background job (digest.jobs), by name: what the console's runner can run."""

from __future__ import annotations

from digest.audience import bulk, imports
from digest.jobs import Handler

HANDLERS: dict[str, Handler] = {
    bulk.KIND: bulk.run,
    imports.KIND: imports.run,  # a CSV imported into a list (digest.audience.imports)
}
