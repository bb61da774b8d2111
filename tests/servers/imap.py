"""A real IMAP server on 127.0.0.1 for tests: Debian's Dovecot (dovecot-imapd), run in the foreground
with a configuration of its own in a folder of its own, one user with a plain-text password, mail
kept as Maildir. Skips the test when Dovecot is not installed (.ci/run installs it)."""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.servers.smtp import free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"

CONFIG = """protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0  # a wrong password is answered at once, not after 2 s
mail_location = maildir:~/Maildir
first_valid_uid = 1
{users}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/passwd
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


@dataclass
class Mailbox:
    port: int
    user: str
    password: str

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(self.user, self.password)
        return client

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        client = self.client()
        try:
            status, said = client.append(folder, None, None, raw)
            assert status == "OK", said
        finally:
            client.logout()

    def flags(self, folder: str = "INBOX") -> list[str]:
        """Each message's flags, in order (an expunged message is gone)."""
        client = self.client()
        try:
            client.select(folder)
            status, data = client.fetch("1:*", "(FLAGS)")
            return [] if status != "OK" or data == [None] else [d.decode() for d in data if isinstance(d, bytes)]
        finally:
            client.logout()


@contextmanager
def dovecot(user: str = "bounces", password: str = "imap-test-password") -> Iterator[Mailbox]:
    if not os.path.exists(DOVECOT):
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="dovecot-"))  # not under pytest's 0700 folders: the mail user reads it
    root.chmod(0o755)
    for name in ("run", "state", "mail"):
        (root / name).mkdir()
    if os.getuid() == 0:  # Dovecot runs no mail process as root: the mail belongs to its own user
        owner = pwd.getpwnam("dovecot")
        uid, gid, users = owner.pw_uid, owner.pw_gid, ""
        os.chown(root / "mail", uid, gid)
    else:
        me = pwd.getpwuid(os.getuid())
        uid, gid = me.pw_uid, me.pw_gid
        users = f"default_internal_user = {me.pw_name}\ndefault_login_user = {me.pw_name}"
    (root / "passwd").write_text(f"{user}:{{PLAIN}}{password}:{uid}:{gid}::{root}/mail/{user}\n")
    port = free_port()
    (root / "dovecot.conf").write_text(CONFIG.format(root=root, port=port, users=users))
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)  # fmt: skip
    box = Mailbox(port, user, password)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                box.client().logout()
                break
            except (OSError, imaplib.IMAP4.error):
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
                    pytest.fail(f"Dovecot did not start:\n{log}")
                time.sleep(0.2)
        yield box
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        shutil.rmtree(root, ignore_errors=True)
