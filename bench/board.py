"""Edition board bench (a first part of issue 13's bench/web.py): the demo instance (its 8-item
edition of `world`), the real app on 127.0.0.1, a signed-in editor.

    .venv/bin/python bench/board.py [--rounds 40]

board: GET /newsroom/editions/1, the whole page (the board and the preview's size and text part).
Target: <= 100 ms at the 95th percentile.
change: one curation change through htmx plus what the preview then asks for (its panel and its
frame), as the browser does after each change. Target: <= 300 ms at the 95th percentile.
Not yet measured here: a 50-item edition in a database of 100,000 articles and 1,000 editions.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.web.newsroom import open_newsroom  # noqa: E402


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=40)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as folder:
        instance = Path(folder)
        shutil.copy(ROOT / "config.yaml", instance / "config.yaml")
        for name in ("samples", "templates"):
            shutil.copytree(ROOT / name, instance / name)
        room, server = open_newsroom(instance)
        with server, room.browser("editor") as page, room.browser("editor", htmx=True) as htmx:
            for _ in range(3):  # warm up: templates compiled, connections open
                page.get(room.board)
            board = []
            for _ in range(rounds):
                started = time.perf_counter()
                assert page.get(room.board).status_code == 200
                board.append(time.perf_counter() - started)
            items = [item.article_id for item in room.edition().items]
            change = []
            for i in range(rounds):
                started = time.perf_counter()
                moved = htmx.post(f"{room.board}/changes", data={"op": "move", "article_id": items[i % 3],
                                                                "position": i % len(items) + 1})  # fmt: skip
                assert moved.status_code == 200, moved.text[:300]
                htmx.get(f"{room.board}/preview")
                htmx.get(f"{room.board}/mail")
                change.append(time.perf_counter() - started)
        room.engine.dispose()
    n = len(items)
    print(f"board of a {n}-item edition, p95: {p95(board) * 1000:.0f} ms (target <= 100 ms)")
    print(f"a change plus the preview's re-render, p95: {p95(change) * 1000:.0f} ms (target <= 300 ms)")


if __name__ == "__main__":
    main()
