"""Render an edition once into a message template; fill each recipient's fields by substitution."""

from .message import MessageTemplate, personalize, render_edition

__all__ = ["MessageTemplate", "personalize", "render_edition"]
