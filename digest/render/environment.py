"""Template folders -> Jinja2 environment -> MJML -> HTML, with errors that name the template and line.

A list may have a template folder of its own; it is searched first, then the default folder, so
a designer overrides one partial without copying the rest. Jinja2 and `<mj-include>` read files
only from these folders (the loader refuses absolute paths and `..`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)
from mjml import mjml2html

from digest.errors import Invalid

HTML_SUFFIXES = (".mjml.j2", ".html.j2")
_POSITION = re.compile(r"position (\d+):(\d+)")


class RenderError(Invalid):
    """A template or MJML mistake, named by template and line."""


@lru_cache(maxsize=32)
def _environment(folders: tuple[Path, ...]) -> Environment:
    return Environment(
        loader=ChoiceLoader([FileSystemLoader(folder) for folder in folders]),
        autoescape=lambda name: name is not None and name.endswith(HTML_SUFFIXES),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


class Templates:
    """The templates of one list: its own folder (if any) before the default one."""

    def __init__(self, folders: str | Path | Sequence[str | Path]):
        folders = [folders] if isinstance(folders, str | Path) else list(folders)
        self.folders = tuple(Path(f).resolve() for f in folders)
        self.env = _environment(self.folders)

    def text(self, name: str, context: dict[str, Any]) -> str:
        try:
            return self.env.get_template(name).render(context)
        except TemplateError as exc:
            raise RenderError(f"{self._where(exc, name)}: {exc}") from None

    def html(self, name: str, context: dict[str, Any], fonts: dict[str, str] | None = None) -> str:
        """Jinja2 then MJML. `fonts` maps web font names to CSS URLs; none by default (no external CSS)."""
        source = self.text(name, context)
        try:
            return mjml2html(source, fonts=dict(fonts or {}), include_loader=self._include)
        except ValueError as exc:
            raise RenderError(f"{name}: MJML error{_mjml_line(source, str(exc))}: {exc}") from None

    def _include(self, path: str) -> str:
        assert self.env.loader is not None  # _environment always gives one
        source, _, _ = self.env.loader.get_source(self.env, path)
        return source

    def _where(self, exc: TemplateError, name: str) -> str:
        if isinstance(exc, TemplateNotFound):
            return name
        if isinstance(exc, TemplateSyntaxError) and exc.lineno:
            return f"{exc.name or name}, line {exc.lineno}"
        found = _template_frame(exc.__traceback__)
        if found is None:
            return name
        filename, line = found
        return f"{self._relative(filename)}, line {line}"

    def _relative(self, filename: str) -> str:
        path = Path(filename)
        for folder in self.folders:
            if path.is_relative_to(folder):
                return str(path.relative_to(folder))
        return path.name


def _template_frame(tb: TracebackType | None) -> tuple[str, int] | None:
    """The innermost frame that runs template code (Jinja2 rewrites them to the template's lines)."""
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _mjml_line(source: str, message: str) -> str:
    match = _POSITION.search(message)
    if not match:
        return ""
    start = int(match.group(1))
    line_no = source.count("\n", 0, start) + 1
    lines = source.splitlines()
    line = lines[line_no - 1].strip() if line_no <= len(lines) else ""
    return f" at line {line_no} of the rendered MJML ({line[:80]!r})"
