"""`digest bounces`: bounce and complaint reports of SMTP (and file backend) mail, received by an
SMTP listener for delivery.bounces.address (`serve`) or read from an IMAP mailbox (`fetch`)."""

from __future__ import annotations

from typing import Annotated

import typer

from digest.cli.context import settings_of, store_of
from digest.cli.output import say
from digest.errors import Invalid

app = typer.Typer(
    no_args_is_help=True, add_completion=False,
    help="Bounces and complaints of SMTP mail: an SMTP listener for the bounce address, or an IMAP mailbox.",
)  # fmt: skip


def _host_port(listen: str) -> tuple[str, int]:
    host, _, port = listen.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise Invalid(f"--listen {listen!r}: expected HOST:PORT, e.g. 127.0.0.1:2525")
    return host.strip("[]"), int(port)


@app.command("serve")
def serve(
    ctx: typer.Context,
    listen: Annotated[str, typer.Option(help="HOST:PORT to take mail on.")] = "127.0.0.1:2525",
) -> None:
    """Take the reports the relay returns to delivery.bounces.address, and apply each as it arrives
    (a hard bounce or a complaint suppresses the address); SIGTERM or Ctrl-C stops."""
    import logging
    import signal
    import threading

    from digest.deliver.bounces import listen as run_listener

    host, port = _host_port(listen)
    settings = settings_of(ctx)
    engine = store_of(settings)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's line per SMTP command
    stop, ready = threading.Event(), threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())

    def announce() -> None:
        ready.wait()
        say(f"taking bounces for {settings.delivery.bounces.address} on {host}:{port}")

    threading.Thread(target=announce, daemon=True).start()
    run_listener(settings, engine, host, port, ready=ready, stop=stop)


@app.command("fetch")
def fetch(ctx: typer.Context) -> None:
    """Read the unseen messages of the bounce mailbox (delivery.bounces.imap; the password from
    DIGEST_IMAP_PASSWORD), apply their reports and mark each seen or deleted."""
    import logging

    from digest.deliver.bounces import fetch as read_mailbox

    settings = settings_of(ctx)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    done = read_mailbox(settings, store_of(settings))
    say(f"{done.read} message(s) read: {done.applied} event(s) applied, {done.ignored} ignored, "
        f"{done.malformed} malformed")  # fmt: skip
