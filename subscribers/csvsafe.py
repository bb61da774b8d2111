"""CSV cells that spreadsheets will not run as formulas, and the way back on import."""

from __future__ import annotations

# A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _guarded(value: str) -> bool:
    """A formula, or a formula behind apostrophes (which `restore` would otherwise strip)."""
    return value.lstrip("'").startswith(FORMULA_STARTS)


def neutralize(value: str) -> str:
    """Prefix a would-be formula with an apostrophe, which spreadsheets show as text."""
    return "'" + value if _guarded(value) else value


def restore(value: str) -> str:
    """Undo `neutralize`, so an exported file imports back to the same values."""
    return value[1:] if value.startswith("'") and _guarded(value[1:]) else value
