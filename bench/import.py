"""Measure the CSV import: a generated file with malformed, duplicate and suppressed rows, timed and checked.

    python bench/import.py                          # 1,000,000 rows into a fresh SQLite database
    python bench/import.py --postgres URL --rows 100000

Prints the seconds the import took, the process's peak RSS, and the imported / merged / skipped
(suppressed) / rejected counts next to the counts the generator planted. Exits 1 when they differ.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import func, insert, select, text

from digest.store.db import make_engine, open_store
from subscribers import tables as t
from subscribers.addresses import address_hash, normalize
from subscribers.importer import import_csv
from subscribers.models import MailingList
from subscribers.service import now, sync_lists

MALFORMED = (
    "{i}.no-at-sign.example.org",
    "user{i}@@example.org",
    "user {i}@example.org",
    "user{i}@nodot",
    "",
)
ZONES = ("Europe/Paris", "America/New_York", "Asia/Tokyo", "")
LANGS = ("en", "fr", "de", "es", "it", "")


def address(i: int) -> str:
    return f"reader.{i}@example{i % 97}.org"


def is_suppressed(i: int) -> bool:
    return i % 200 == 7  # 0.5% of the unique addresses are on the suppression list beforehand


def generate(path: Path, rows: int, seed: int = 5) -> tuple[dict[str, int], int]:
    """Write the file; return the counts an exact import must report, and how many addresses are unique."""
    rng = random.Random(seed)
    expected = {"imported": 0, "merged": 0, "suppressed": 0, "rejected": 0}
    malformed, duplicates = rows // 100, rows // 100
    kinds = ["malformed"] * malformed + ["duplicate"] * duplicates
    special = dict(zip(rng.sample(range(1, rows), len(kinds)), kinds, strict=True))
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("email,name,language,timezone,company\n")
        fh.write(f"{address(0)},Reader 0,en,UTC,Acme\n")
        unique = 1
        expected["imported" if not is_suppressed(0) else "suppressed"] += 1
        for n in range(1, rows):
            kind = special.get(n)
            if kind == "malformed":
                email = rng.choice(MALFORMED).format(i=n)
                expected["rejected"] += 1
            elif kind == "duplicate":
                j = rng.randrange(unique)
                email = address(j).upper()  # the same person, whatever the case
                expected["suppressed" if is_suppressed(j) else "merged"] += 1
            else:
                email = address(unique)
                expected["suppressed" if is_suppressed(unique) else "imported"] += 1
                unique += 1
            fh.write(f"{email},Reader {n},{LANGS[n % 6]},{ZONES[n % 4]},Company {n % 1000}\n")
    return expected, unique


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument(
        "--postgres", metavar="URL", help="import into this PostgreSQL database (a scratch schema)"
    )
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="digest-bench-") as tmp:
        csv_path = Path(tmp) / "subscribers.csv"
        expected, unique = generate(csv_path, args.rows)
        schema = None
        if args.postgres:
            schema = f"bench_{uuid.uuid4().hex[:8]}"
            admin = make_engine(args.postgres)
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            sep = "&" if "?" in args.postgres else "?"
            url = f"{args.postgres}{sep}options=-csearch_path%3D{schema}"
        else:
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        try:
            engine = open_store(url)
            with engine.begin() as conn:
                sync_lists(conn, [MailingList(id="bench", name="Bench")])
                sups = [
                    {
                        "email_hash": address_hash(normalize(address(i))),
                        "reason": "manual",
                        "created_at": now(),
                    }
                    for i in range(unique)
                    if is_suppressed(i)
                ]
                conn.execute(insert(t.suppressions), sups)
            rejected_rows = []
            start, cpu_start = time.perf_counter(), time.process_time()
            with engine.connect() as conn:
                report = import_csv(conn, csv_path, "bench", consent="bench", errors=rejected_rows.append)
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
            with engine.connect() as conn:
                in_db = conn.execute(select(func.count()).select_from(t.subscribers)).scalar_one()
            engine.dispose()
        finally:
            if schema:
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    got = {
        "imported": report.imported,
        "merged": report.merged,
        "suppressed": report.suppressed,
        "rejected": report.rejected,
    }
    store = "PostgreSQL" if args.postgres else "SQLite"
    print(f"rows: {args.rows:,} into {store}")
    print(f"seconds: {seconds:.1f}  ({args.rows / seconds:,.0f} rows/s; CPU time of the process {cpu:.1f} s)")
    print(f"peak RSS: {peak_mb:.0f} MB")
    for key in got:
        label = "skipped (suppressed)" if key == "suppressed" else key
        mark = "ok" if got[key] == expected[key] else "MISMATCH"
        print(f"{label:>21}: {got[key]:>9,}  expected {expected[key]:>9,}  {mark}")
    print(f"subscribers in the database: {in_db:,} (expected {expected['imported']:,})")
    exact = got == expected and in_db == expected["imported"] and len(rejected_rows) == expected["rejected"]
    if not args.postgres and args.rows == 1_000_000:
        fast, small = seconds <= 60, peak_mb <= 300
        print(f"targets: <= 60 s {'met' if fast else 'MISSED'}; <= 300 MB {'met' if small else 'MISSED'}")
    print("counts exact" if exact else "COUNTS DIFFER")
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
