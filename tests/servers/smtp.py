"""An SMTP sink on 127.0.0.1 (aiosmtpd) for tests and the bench.

It keeps what it receives, can refuse addresses for good (550) or for now (451), can take a
while per message as a real relay does (`latency`), and counts concurrent sessions. It offers
SMTPUTF8 unless started with `serve(sink, enable_SMTPUTF8=False)`.

    python -m tests.servers.smtp --port 8026 [--latency 0.005]   # prints "received N" on SIGTERM
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import socket
import threading
from collections import Counter
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Sink:
    latency: float = 0.0
    refuse: set[str] = field(default_factory=set)  # 550 at RCPT
    busy: Counter = field(default_factory=Counter)  # address -> how many more times to answer 451 at DATA
    keep: bool = True

    def __post_init__(self):
        self.lock = threading.Lock()
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.smtputf8: set[str] = set()  # recipients of the messages that came with MAIL FROM ... SMTPUTF8
        self.received: Counter[str] = Counter()
        self.sessions = 0
        self.open_sessions = 0
        self.most_open = 0
        self.most_per_session = 0  # messages taken in one session, at most

    async def handle_HELO(self, server, session, envelope, hostname):  # noqa: N802 (aiosmtpd's hook names)
        return await self.handle_EHLO(server, session, envelope, hostname, [])

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        if not getattr(session, "counted", False):
            session.counted = True
            with self.lock:
                self.sessions += 1
                self.open_sessions += 1
                self.most_open = max(self.most_open, self.open_sessions)
        session.host_name = hostname
        return responses or "250 OK"

    async def handle_QUIT(self, server, session, envelope):  # noqa: N802
        if getattr(session, "counted", False):
            session.counted = False
            with self.lock:
                self.open_sessions -= 1
        return "221 Bye"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: no such mailbox"  # as Postfix words it, address and all
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.latency:
            await asyncio.sleep(self.latency)
        to = envelope.rcpt_tos[0]
        with self.lock:
            if self.busy[to] > 0:
                self.busy[to] -= 1
                return "451 4.3.0 try again later"
            self.received[to] += 1
            if envelope.smtp_utf8:
                self.smtputf8.add(to)
            session.messages = getattr(session, "messages", 0) + 1
            self.most_per_session = max(self.most_per_session, session.messages)
            if self.keep:
                self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK queued"


def serve(sink: Sink, port: int | None = None, **kwargs) -> Controller:
    """A started Controller on 127.0.0.1 (call .stop()); kwargs go to aiosmtpd (tls_context, ...)."""
    controller = Controller(sink, hostname="127.0.0.1", port=port or free_port(), **kwargs)
    controller.start()
    return controller


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    sink = Sink(latency=args.latency, keep=False)
    controller = serve(sink, args.port)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    print("ready", flush=True)
    done.wait()
    controller.stop()
    print(f"received {sum(sink.received.values())} unique {len(sink.received)} sessions {sink.sessions}", flush=True)


if __name__ == "__main__":
    main()
