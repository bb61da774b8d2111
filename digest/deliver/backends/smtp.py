"""SMTP through aiosmtplib: a pool of connections working through one batch together.

Each connection sends up to `messages_per_connection` messages, then reconnects (relays often cap
a session). STARTTLS or implicit TLS, and AUTH when a username is set (the password comes from
DIGEST_SMTP_PASSWORD). A 5xx reply is a permanent failure for that recipient; a 4xx reply, a
timeout or a dropped connection is retried on a fresh connection with back-off, then deferred.

The envelope sender (MAIL FROM, which the receiving server turns into Return-Path) is
delivery.bounces.address when it is set, so bounces come back to `digest bounces`; the From
address otherwise. Envelope addresses carry IDNA domains. A message to or from an address whose part before the @ is
not ASCII goes with `MAIL FROM:<...> SMTPUTF8 BODY=8BITMIME` (RFC 6531) and its address in UTF-8
(RFC 6532); a relay that does not offer SMTPUTF8 cannot take it, which fails that recipient alone.
"""

from __future__ import annotations

import asyncio
import ssl
from collections import deque
from dataclasses import dataclass

import aiosmtplib

from digest import config
from digest.config import DeliverySettings, RetrySettings
from digest.deliver.backends import Result
from digest.deliver.message import Outgoing
from digest.deliver.retry import Retrying, Transient
from digest.errors import BackendError
from subscribers.addresses import wire_form


class SetupRefused(Exception):
    """Only the configuration can fix it: a refused login, an untrusted certificate, no STARTTLS."""


class Permanent(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Relay:
    host: str
    port: int
    security: str = "starttls"  # none, starttls, tls
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0
    tls_context: ssl.SSLContext | None = None


class SmtpBackend:
    name = "smtp"

    def __init__(
        self,
        relay: Relay,
        *,
        pool_size: int = 4,
        messages_per_connection: int = 100,
        retry: RetrySettings = RetrySettings(),
        envelope_from: str | None = None,
    ):
        self.relay = relay
        self.envelope_from = envelope_from  # delivery.bounces.address: where the relay returns bounces
        self.pool_size = pool_size
        self.messages_per_connection = messages_per_connection
        self.retry = retry
        self.connections = 0  # opened so far

    @classmethod
    def from_settings(cls, delivery: DeliverySettings) -> SmtpBackend:
        smtp = delivery.smtp
        password = config.secret(config.SMTP_PASSWORD_ENV)
        if smtp.username and not password:
            raise BackendError(f"delivery.smtp.username is set but {config.SMTP_PASSWORD_ENV} is not")
        relay = Relay(smtp.host, smtp.port, smtp.security, smtp.username, password, smtp.timeout)
        return cls(
            relay,
            pool_size=smtp.pool_size,
            messages_per_connection=smtp.messages_per_connection,
            retry=delivery.retry,
            envelope_from=str(delivery.bounces.address) if delivery.bounces.address else None,
        )

    def send(self, batch: list[Outgoing]) -> list[Result]:
        return asyncio.run(self._send(batch))

    def offers_smtputf8(self) -> bool:
        """Whether the relay offers SMTPUTF8 (after STARTTLS and login, as a send would see it); True
        when it cannot be asked now."""
        return asyncio.run(self._offers_smtputf8())

    async def _offers_smtputf8(self) -> bool:
        try:
            client = await self._connect()
        except (Transient, SetupRefused):
            return True
        try:
            if client.is_ehlo_or_helo_needed:
                await client.ehlo()
            return client.supports_extension("smtputf8")
        except (aiosmtplib.SMTPException, OSError):
            return True
        finally:
            await _close(client)

    async def _send(self, batch: list[Outgoing]) -> list[Result]:
        if not batch:
            return []
        try:  # the first connection proves the setup before anything is sent
            first = await self._connect()
        except SetupRefused as exc:
            raise BackendError(f"smtp: {self.relay.host}:{self.relay.port}: {exc}") from None
        except Transient as exc:  # the relay is down: defer, try later
            return [Result(m.key, "retry", exc.reason) for m in batch]
        queue = deque(batch)
        results: dict[str, Result] = {}
        workers = [
            self._worker(queue, results, first if i == 0 else None)
            for i in range(min(self.pool_size, len(batch)))
        ]
        await asyncio.gather(*workers)
        return [results[m.key] for m in batch]

    async def _connect(self) -> aiosmtplib.SMTP:
        relay = self.relay
        client = aiosmtplib.SMTP(
            hostname=relay.host,
            port=relay.port,
            timeout=relay.timeout,
            use_tls=relay.security == "tls",
            start_tls=relay.security == "starttls",
            tls_context=relay.tls_context,
        )
        try:
            await client.connect()
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise _connect_failure(exc, f"{relay.host}:{relay.port}") from None
        self.connections += 1
        if relay.username:
            try:
                await client.login(relay.username, relay.password or "")
            except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError) as exc:
                raise Transient(f"smtp: login: {exc}") from None
            except aiosmtplib.SMTPException as exc:  # refused, or AUTH not offered: no retry will help
                client.close()
                raise SetupRefused(f"login refused: {exc}") from None
        return client

    async def _worker(
        self, queue: deque[Outgoing], results: dict[str, Result], client: aiosmtplib.SMTP | None
    ) -> None:
        used = 0
        try:
            while queue:
                message = queue.popleft()
                retrying = Retrying(self.retry)
                utf8 = message.needs_smtputf8
                try:
                    raw = message.to_bytes(utf8=utf8)
                except ValueError as exc:
                    results[message.key] = Result(message.key, "failed", f"smtp: {exc}")
                    continue
                while True:
                    try:
                        if client is None or used >= self.messages_per_connection:
                            await _close(client)
                            client, used = None, 0
                            client = await self._connect()
                        used += 1
                        await _deliver(client, message, raw, utf8, self.envelope_from)
                        results[message.key] = Result(message.key, "accepted")
                        break
                    except Permanent as exc:
                        results[message.key] = Result(message.key, "failed", exc.reason)
                        break
                    except (Transient, SetupRefused) as exc:
                        # refused after the first connection worked: the relay's hiccup, not the setup's
                        failure = exc if isinstance(exc, Transient) else Transient(f"smtp: {exc}")
                        await _close(client)
                        client = None
                        wait = retrying.next_wait(failure)
                        if wait is None:
                            results[message.key] = Result(message.key, "retry", failure.reason)
                            break
                        await asyncio.sleep(wait)
        finally:
            await _close(client)


SMTPUTF8 = ["SMTPUTF8", "BODY=8BITMIME"]  # as smtplib sends them: UTF-8 headers are 8-bit data


async def _deliver(
    client: aiosmtplib.SMTP, message: Outgoing, raw: bytes, utf8: bool, envelope_from: str | None
) -> None:
    try:
        await client.sendmail(
            wire_form(envelope_from or message.from_email),
            [wire_form(message.to_email)],
            raw,
            mail_options=SMTPUTF8 if utf8 else None,
        )
    except aiosmtplib.SMTPNotSupported:  # asked before MAIL FROM: nothing was started
        raise Permanent(
            f"smtp: {message.to_email}: the part before the @ is not ASCII and the relay does not offer "
            "SMTPUTF8, which such an address needs"
        ) from None
    except ValueError as exc:  # an address aiosmtplib will not put on the wire
        raise Permanent(f"smtp: {exc}") from None
    except aiosmtplib.SMTPRecipientsRefused as exc:
        refused = exc.recipients[0]
        raise _by_code(refused.code, f"smtp {refused.code}: {refused.message}") from None
    except aiosmtplib.SMTPResponseException as exc:
        raise _by_code(exc.code, f"smtp {exc.code}: {exc.message}") from None
    except (aiosmtplib.SMTPException, OSError) as exc:  # dropped connection, timeout
        raise Transient(f"smtp: {type(exc).__name__}: {exc}") from None


def _connect_failure(exc: Exception, where: str) -> Exception:
    """A relay that cannot be reached now is retried later; one we cannot talk to safely is a setup error."""
    if isinstance(exc, ssl.SSLError) or isinstance(exc.__cause__, ssl.SSLError):
        return SetupRefused(f"TLS failed: {exc}")
    if isinstance(exc, aiosmtplib.SMTPResponseException) and exc.code >= 500:
        return SetupRefused(f"the relay refused the session ({exc.code} {exc.message})")
    transient = (
        aiosmtplib.SMTPResponseException,
        aiosmtplib.SMTPConnectError,
        aiosmtplib.SMTPTimeoutError,
        aiosmtplib.SMTPServerDisconnected,
        OSError,
    )
    if isinstance(exc, transient):
        return Transient(f"smtp: cannot connect to {where}: {exc}")
    return SetupRefused(str(exc))  # e.g. STARTTLS not offered: sending in clear text is not an option


def _by_code(code: int, reason: str) -> Exception:
    return Permanent(reason) if 500 <= code < 600 else Transient(reason)


async def _close(client: aiosmtplib.SMTP | None) -> None:
    if client is None or not client.is_connected:
        return
    try:
        await client.quit()
    except (aiosmtplib.SMTPException, OSError):
        client.close()
