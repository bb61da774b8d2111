"""The quote check against the shared evaluation sets (../shared/eval/*/dev.jsonl):

    .venv/bin/python bench/quote_check.py [files...]

false flags: quotations digest itself found (trim.quotes.find_quotes) that the check says are not
in their article. Target: 0.
caught: the same quotations with one word changed (its middle word replaced), as an editor's slip
would leave them, that the check flags. Target: all of them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = [ROOT.parent / "shared/eval" / name / "dev.jsonl" for name in ("en-quotes", "de-quotes", "scraped")]

from digest.domain import Article  # noqa: E402
from digest.editions.quotecheck import appears_in  # noqa: E402
from digest.trim.quotes import find_quotes  # noqa: E402


def main(paths: list[Path]) -> int:
    found = false_flags = caught = 0
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            paragraphs = [p for p in record["text"].split("\n\n") if p.strip()]
            article = Article(record.get("title", ""), paragraphs, language=record.get("language"))
            for quote in find_quotes(article):
                found += 1
                false_flags += not appears_in(quote.text, article)
                words = quote.text.split()
                words[len(words) // 2] = "zebrafish"
                caught += not appears_in(" ".join(words), article)
    print(f"quotations found: {found} in {', '.join(p.parent.name for p in paths)}")
    print(f"false flags: {false_flags} (target 0) {'ok' if false_flags == 0 else 'BELOW TARGET'}")
    print(f"one word changed, caught: {caught}/{found} (target all) {'ok' if caught == found else 'BELOW TARGET'}")
    return 0 if false_flags == 0 and caught == found else 1


if __name__ == "__main__":
    sys.exit(main([Path(a) for a in sys.argv[1:]] or SETS))
