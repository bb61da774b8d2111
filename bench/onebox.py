"""One machine first (issue 16, point 0): what the installed `digest` costs before it does any work.

    .venv/bin/python bench/onebox.py [--runs 5]

Start-up: every command of the installed `digest` (found by walking the command tree), run with
`--help` in a fresh process, the median of `--runs` wall-clock times each. That is the price of
starting Python, importing the command line and parsing it: what a command pays before its own
work, whatever it does. The figure is the slowest command's median, against 0.3 s. Beside it, the
same for a bare Typer program of two commands in the same environment: the floor on this machine.

Ingest: `digest ingest` of `--feeds` feeds of `--items` summary-only items each, with full-text
pages, from the loopback feed server (a process of its own), on a fresh SQLite database, timed from
outside; against a naive sequential loop in a fresh process of the same environment (feedparser,
then httpx and trafilatura.extract for each page), on the same server. The figure is the loop's time
over ours (how many times faster we are), against 1.5.

Send: `--recipients` recipients of one edition sent through the SendGrid backend to the stand-in (a
process of its own), from the delivery rows to the last row marked sent (digest.deliver.send_edition);
against a bare httpx client posting the same request bodies, serialized beforehand, to the same
stand-in. The figure is our time over the client's, against 2. The file backend: the same send into
an outbox folder, against a bare writer of the same files (their bytes held in memory beforehand);
our time over the writer's, against 3.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DIGEST = Path(sys.executable).parent / "digest"
TARGET_START = 0.3  # seconds, any command
TARGET_INGEST = 1.5  # times the naive loop's speed, at least
TARGET_SEND = 2.0  # times the bare client's time, at most
TARGET_FILE = 3.0  # times the bare writer's time, at most
KEY = "SG.bench-key"
NAIVE_INGEST = """
import sys, feedparser, httpx, trafilatura
base, feeds = sys.argv[1], int(sys.argv[2])
with httpx.Client() as client:
    for f in range(feeds):
        feed = feedparser.parse(client.get(f"{base}/feed/{f}.xml").content)
        for entry in feed.entries:
            trafilatura.extract(client.get(entry.link).text, url=entry.link)
"""
BARE_TYPER = """
import typer
app = typer.Typer()
@app.command()
def one(n: int = 1) -> None: "One."
@app.command()
def two(n: int = 1) -> None: "Two."
app()
"""


def commands() -> list[list[str]]:
    """Every command's path under `digest`: [] for the program itself, ["lists", "show"] and so on."""
    import typer

    from digest.cli import app

    found: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:
        found.append(path)
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


def median_wall(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=REPO)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def start_up(runs: int) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".py") as bare:
        bare.write(BARE_TYPER)
        bare.flush()
        floor = median_wall([sys.executable, bare.name, "--help"], runs)
    timed = sorted(((median_wall([str(DIGEST), *path, "--help"], runs), path) for path in commands()), reverse=True)
    print(f"start-up of each of {len(timed)} commands (`--help`, median of {runs}); slowest first:")
    for seconds, path in timed[:5]:
        print(f"  {seconds:6.3f} s  digest {' '.join(path)}")
    slowest = timed[0][0]
    print(f"start-up, slowest command: {slowest:.3f} s (target <= {TARGET_START} s: "
          f"{verdict(slowest <= TARGET_START)}); a bare Typer program here: {floor:.3f} s", flush=True)  # fmt: skip


def ingest(feeds: int, items: int) -> None:
    from tests.servers.feeds import corpus_server

    with corpus_server(feeds, items) as base, tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.yaml"
        sources = [{"name": f"feed-{f}", "kind": "feed", "url": f"{base}/feed/{f}.xml", "full_text": True}
                   for f in range(feeds)]  # fmt: skip
        config.write_text(yaml.safe_dump({"public_url": "https://digest.example.org",
                                          "database_url": f"sqlite:///{tmp}/bench.db", "sources": sources}))  # fmt: skip
        began = time.perf_counter()
        done = subprocess.run([str(DIGEST), "--config", str(config), "ingest"], capture_output=True, text=True, cwd=tmp)
        ours = time.perf_counter() - began
        if done.returncode != 0:
            raise SystemExit(f"digest ingest failed: {done.stderr.strip()}")
        with tempfile.NamedTemporaryFile("w", suffix=".py") as naive:
            naive.write(NAIVE_INGEST)
            naive.flush()
            began = time.perf_counter()
            subprocess.run([sys.executable, naive.name, base, str(feeds)], check=True)
            loop = time.perf_counter() - began
    print(f"ingest of {feeds} feeds x {items} items with full-text pages: digest {ours:.2f} s, the naive loop "
          f"{loop:.2f} s: {loop / ours:.2f}x its speed (target >= {TARGET_INGEST}x: "
          f"{verdict(loop / ours >= TARGET_INGEST)}); {done.stdout.strip().splitlines()[-1]}", flush=True)  # fmt: skip


def sent(folder: Path, recipients: int, backend: object) -> float:
    """Seconds to send a fresh edition to `recipients` through `backend` (the seeding not counted)."""
    from digest.deliver.send import send_edition
    from digest.store.db import open_store
    from tests.servers.support import add_edition, add_subscribers, make_links, make_settings

    folder.mkdir()
    engine = open_store(f"sqlite:///{folder / 'bench.db'}")
    settings = make_settings(batch_size=1000)
    add_subscribers(engine, recipients)
    edition_id = add_edition(engine, settings)
    began = time.perf_counter()
    report = send_edition(engine, settings, edition_id, backend, make_links())  # type: ignore[arg-type]
    seconds = time.perf_counter() - began
    engine.dispose()
    if report.counts.get("sent") != recipients:
        raise SystemExit(f"the send did not reach everyone: {report.counts}")
    return seconds


def send(recipients: int) -> None:
    import httpx

    from digest.deliver.backends.sendgrid import SendGridBackend

    class Recording(SendGridBackend):
        bodies: list[bytes] = []

        def _post(self, body: dict) -> None:
            self.bodies.append(json.dumps(body).encode())
            super()._post(body)

    from tests.servers.support import server_process

    with server_process("tests.servers.sendgrid", "--key", KEY) as (port, _), tempfile.TemporaryDirectory() as tmp:
        url = f"http://127.0.0.1:{port}"
        sent(Path(tmp) / "recorded", recipients, recording := Recording(KEY, url))
        ours = sent(Path(tmp) / "timed", recipients, SendGridBackend(KEY, url))
        headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
        with httpx.Client(base_url=url, headers=headers) as client:
            began = time.perf_counter()
            for body in recording.bodies:
                client.post("/v3/mail/send", content=body).raise_for_status()
            bare = time.perf_counter() - began
    print(f"a SendGrid send to {recipients:,} recipients: {ours:.2f} s, a bare client posting the same "
          f"{len(recording.bodies)} bodies {bare:.2f} s: {ours / bare:.1f}x its time (target <= {TARGET_SEND}x: "
          f"{verdict(ours / bare <= TARGET_SEND)})", flush=True)  # fmt: skip


def outbox(recipients: int) -> None:
    from digest.deliver.backends.file import FileBackend

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "outbox"
        ours = sent(Path(tmp) / "store", recipients, FileBackend(folder))
        files = [(path.name, path.read_bytes()) for path in sorted(folder.glob("*.eml"))]
        again = Path(tmp) / "bare"
        again.mkdir()
        began = time.perf_counter()
        for name, raw in files:
            (again / name).write_bytes(raw)
        bare = time.perf_counter() - began
    print(f"the file backend, {recipients:,} recipients: {ours:.2f} s, a bare writer of the same {len(files):,} "
          f"files {bare:.2f} s: {ours / bare:.1f}x its time (target <= {TARGET_FILE}x: "
          f"{verdict(ours / bare <= TARGET_FILE)})", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="start-up runs of each command")
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--recipients", type=int, default=100_000, help="of the SendGrid send")
    parser.add_argument("--outbox", type=int, default=10_000, help="recipients of the file backend's send")
    parser.add_argument("--only", choices=["start-up", "ingest", "send", "file"])
    args = parser.parse_args()
    parts = {
        "start-up": lambda: start_up(args.runs),
        "ingest": lambda: ingest(args.feeds, args.items),
        "send": lambda: send(args.recipients),
        "file": lambda: outbox(args.outbox),
    }
    for name, part in parts.items():
        if args.only in (None, name):
            part()


if __name__ == "__main__":
    main()
