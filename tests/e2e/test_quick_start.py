"""The README's quick start, as a newcomer runs it: `make demo` in a fresh copy of the repository.

The first `make demo` (conftest's `first_demo`) installs the copy's environment, which takes a
minute: it starts with the first end-to-end test, and this test, which runs last, checks it.
"""

from __future__ import annotations

import email
import subprocess
import sys
from email import policy

from tests.e2e.conftest import CONFIRMED, Demo, imported_from, newcomer_env


def test_make_demo_in_a_fresh_copy_sends_one_message_per_confirmed_subscriber_then_nothing(first_demo: Demo):
    copy = first_demo.copy
    first = first_demo.wait(timeout=600)
    # the copy's own environment ran the copy's own code
    assert imported_from(copy / ".venv" / "bin" / "python").is_relative_to(copy)
    outbox = sorted((copy / "outbox").glob("*.eml"))
    messages = [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in outbox]
    assert sorted(m["To"].addresses[0].addr_spec for m in messages) == sorted(CONFIRMED), first
    for message in messages:
        assert message.get_content_type() == "multipart/alternative"
        assert message["List-Unsubscribe"].startswith("<https://")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (copy / "var" / "preview-1.html").exists()
    assert "edition #1 sent: 4 message(s) sent now" in first

    written = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in outbox}
    second = subprocess.run(
        ["make", "demo"], cwd=copy, env=newcomer_env(), capture_output=True, text=True, timeout=300
    )
    assert second.returncode == 0, f"{second.stdout}\n{second.stderr}"
    assert "nothing new to send" in second.stdout and "sent now" not in second.stdout, second.stdout
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in (copy / "outbox").glob("*.eml")} == written
    # the project's own .venv was neither reinstalled nor repointed
    assert imported_from(sys.executable) == first_demo.project_digest
