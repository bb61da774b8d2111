"""The README's quick start, as a newcomer runs it: `make demo` in a fresh copy of the repository."""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import sys
from email import policy
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.conftest import CONFIRMED


def fresh_copy(target: Path) -> Path:
    """The files git tracks, and those untracked but not ignored: what a clone plus one's own
    uncommitted work holds. Never .venv, var/ or outbox/."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("the quick start test copies the repository with git")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is not copied
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def newcomer_env() -> dict[str, str]:
    """A shell as a newcomer has it: no virtualenv active (least of all this project's), no digest
    variables, so `make` finds python3 on the PATH and makes the copy's own .venv."""
    own_venv = str(ROOT / ".venv")
    path = [d for d in os.environ.get("PATH", "").split(os.pathsep) if d and not d.startswith(own_venv)]
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DIGEST_", "VIRTUAL_ENV", "PYTHON", "MAKE")) and k not in ("MFLAGS",)
    }
    return {**env, "PATH": os.pathsep.join(path), "NO_COLOR": "1"}


def make_demo(copy: Path) -> subprocess.CompletedProcess:
    done = subprocess.run(
        ["make", "demo"], cwd=copy, env=newcomer_env(), capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"make demo exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def project_digest() -> str:
    """Where this project's own environment imports digest from."""
    return subprocess.run(
        [sys.executable, "-I", "-c", "import digest; print(digest.__file__)"],  # -I: not from the cwd
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip


def test_make_demo_in_a_fresh_copy_sends_one_message_per_confirmed_subscriber_then_nothing(tmp_path):
    before = project_digest()
    copy = fresh_copy(tmp_path / "digest")
    assert not (copy / ".venv").exists()

    first = make_demo(copy)
    # the copy's own environment ran the copy's own code
    venv_python = copy / ".venv" / "bin" / "python"
    assert venv_python.exists(), first.stdout
    imported = subprocess.run(
        [str(venv_python), "-I", "-c", "import digest; print(digest.__file__)"], capture_output=True, text=True
    ).stdout.strip()
    assert Path(imported).is_relative_to(copy), imported
    outbox = sorted((copy / "outbox").glob("*.eml"))
    messages = [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in outbox]
    assert sorted(m["To"].addresses[0].addr_spec for m in messages) == sorted(CONFIRMED)
    for message in messages:
        assert message.get_content_type() == "multipart/alternative"
        assert message["List-Unsubscribe"].startswith("<https://")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (copy / "var" / "preview-1.html").exists()
    assert "edition #1 sent: 4 message(s) sent now" in first.stdout

    written = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in outbox}
    second = make_demo(copy)
    assert "nothing new to send" in second.stdout, second.stdout
    assert "sent now" not in second.stdout
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in (copy / "outbox").glob("*.eml")} == written
    assert project_digest() == before  # the project's own .venv was neither reinstalled nor repointed
