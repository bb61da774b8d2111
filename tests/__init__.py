"""The test suite: one folder per package (tests/ingest/ for digest/ingest/ …), the end-to-end tests that run the
installed `digest` (tests/e2e/), the browser tests (tests/browser/), and the fakes and real servers they share
(tests/servers/). The fixtures of databases and of the web server live in tests/conftest.py."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The checkout: config.yaml, samples/ and templates/ of the demo instance."""
