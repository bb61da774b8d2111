"""Render an edition once into a message template; fill each recipient's fields by substitution."""

from .environment import RenderError
from .message import BUDGET, MessageTemplate, personalize, render_archive, render_edition

__all__ = ["BUDGET", "MessageTemplate", "RenderError", "personalize", "render_archive", "render_edition"]
