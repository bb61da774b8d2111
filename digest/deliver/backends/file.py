"""The outbox: one .eml file per message, written atomically under its key: a delivery row's id
(so a resent copy rewrites its file), or a notice's own key.

With delivery.bounces.address set, each file starts with `Return-Path: <that address>`, the
envelope sender a relay that picks the outbox up should use, so bounces come back to `digest bounces`.
A file carries any address: one whose part before the @ is not ASCII stands in UTF-8 (RFC 6532).
"""

from __future__ import annotations

import os
from pathlib import Path

from digest.deliver.backends import Result
from digest.deliver.message import Outgoing
from subscribers.addresses import wire_form


class FileBackend:
    name = "file"

    def __init__(self, folder: Path, return_path: str | None = None):
        self.folder = folder
        self.return_path = return_path

    def path_for(self, message: Outgoing) -> Path:
        return self.folder / f"{message.key}.eml"

    def send(self, batch: list[Outgoing]) -> list[Result]:
        self.folder.mkdir(parents=True, exist_ok=True)
        results = []
        for message in batch:
            target = self.path_for(message)
            tmp = target.with_suffix(".tmp")
            try:
                raw = message.to_bytes(utf8=True)
                if self.return_path:
                    raw = f"Return-Path: <{wire_form(self.return_path)}>\n".encode() + raw
            except ValueError as exc:
                results.append(Result(message.key, "failed", f"file: {exc}"))
                continue
            try:
                tmp.write_bytes(raw)
                os.replace(tmp, target)  # a rerun rewrites the same file: never two copies
                results.append(Result(message.key, "accepted"))
            except OSError as exc:
                results.append(Result(message.key, "retry", f"{target}: {exc.strerror}"))
        return results
