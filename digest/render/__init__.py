"""Render an edition once into a message template; fill each recipient's fields by substitution."""

from digest.render.environment import RenderError
from digest.render.message import (
    BUDGET,
    MessageTemplate,
    Tracking,
    personalize,
    render_archive,
    render_edition,
)

__all__ = ["BUDGET", "MessageTemplate", "RenderError", "Tracking", "personalize", "render_archive", "render_edition"]
