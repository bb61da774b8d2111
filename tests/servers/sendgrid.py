"""A SendGrid v3 Mail Send stand-in: a real HTTP server on 127.0.0.1 for tests and the bench.

It checks what SendGrid checks and we rely on: the bearer key, the v3 schema, at most 1,000
personalizations and recipients, each address once per request, 30 MB. It answers 202 (200 in
sandbox mode) after `latency` seconds (a provider far away), or on demand 429 with X-RateLimit-*
headers, 500, or a stall (for kill tests).
`GET /_stats` gives the counts, for a stand-in running in another process.

    python -m tests.servers.sendgrid --port 8025 --key KEY [--fault-rate 0.2] [--latency 0.25]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import ssl
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BYTES = 30 * 1024 * 1024
MAX_PERSONALIZATIONS = 1000
RESERVED_HEADERS = {"to", "from", "subject", "reply-to", "content-type", "cc", "bcc", "x-sg-id", "x-sg-eid"}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Invalid(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass
class Accepted:
    email: str
    custom_args: dict
    headers: dict
    substitutions: dict
    request: int  # index into StandIn.contents


@dataclass
class StandIn:
    key: str
    fault_rate: float = 0.0  # share of requests answered 429 or 500 at random
    seed: int = 0
    reset_in: float = 1.0  # a 429's X-RateLimit-Reset is this many seconds ahead
    keep: bool = True  # keep each accepted personalization (tests); False keeps counts only (bench)
    reject: set[str] = field(default_factory=set)  # addresses refused with a 400 that names no field
    plan: deque = field(default_factory=deque)  # statuses (429, 500, "drop") to answer next, in order
    stall_at: int | None = None  # the request number that is recorded as accepted, then hangs
    rate_limit: int | None = None  # requests allowed per clock second; more get 429 until the next one
    latency: float = 0.0  # seconds each request takes before its answer

    def __post_init__(self):
        self.lock = threading.Lock()
        self.rng = random.Random(self.seed)
        self.accepted: list[Accepted] = []
        self.accepted_count: Counter[str] = Counter()
        self.contents: list[dict] = []
        self.sandboxed = 0
        self.requests = 0
        self.answers: Counter[int] = Counter()
        self.in_flight = 0  # requests being answered now
        self.most_in_flight = 0  # the most answered at once
        self.window: tuple[int, int] = (0, 0)  # (clock second, requests in it)
        self.stalled = threading.Event()
        self.stalled_batch: list[str] = []  # the addresses of the request that stalls
        self.release = threading.Event()

    def stats(self) -> dict:
        with self.lock:
            counts = self.accepted_count
            return {
                "requests": self.requests,
                "answers": {str(k): v for k, v in self.answers.items()},
                "accepted": sum(counts.values()),
                "unique": len(counts),
                "duplicates": sum(n - 1 for n in counts.values() if n > 1),
                "sandboxed": self.sandboxed,
                "most_in_flight": self.most_in_flight,
            }

    def rendered(self, email: str) -> tuple[str, str]:
        """(html, text) of the last message accepted for `email`, substitutions applied as SendGrid does."""
        item = [a for a in self.accepted if a.email == email][-1]
        content = self.contents[item.request]
        parts = {c["type"]: c["value"] for c in content["content"]}
        html, text = parts["text/html"], parts["text/plain"]
        for k, v in item.substitutions.items():
            html, text = html.replace(k, v), text.replace(k, v)
        return html, text

    # -- the handling of one request --------------------------------------------------------------

    def handle(self, auth: str | None, raw: bytes) -> tuple[int | str, dict, dict]:
        with self.lock:
            self.requests += 1
            number = self.requests
            forced = self.plan.popleft() if self.plan else None
            if forced is None and self.fault_rate and self.rng.random() < self.fault_rate:
                forced = self.rng.choice((429, 500))
            limits = self._rate_window()
        if auth != f"Bearer {self.key}":
            return 401, {}, _errors("The provided authorization grant is invalid, expired, or revoked")
        if limits and int(limits["X-RateLimit-Remaining"]) < 0:
            return 429, {**limits, "X-RateLimit-Remaining": "0"}, _errors("too many requests")
        if forced == "drop":
            return "drop", {}, {}
        if forced == 429:
            return 429, {"X-RateLimit-Reset": str(int(time.time() + self.reset_in))}, _errors("too many requests")
        if forced == 500:
            return 500, {}, _errors("internal error")
        if len(raw) > MAX_BYTES:
            return 413, {}, _errors("payload too large (30 MB)")
        try:
            body = json.loads(raw)
            items, sandbox = _check(body, self.reject)
        except ValueError as exc:
            return 400, {}, _errors(f"bad JSON: {exc}")
        except Invalid as exc:
            return 400, {}, _errors(str(exc), exc.field)
        with self.lock:
            if sandbox:
                self.sandboxed += len(items)
            else:
                request = len(self.contents)
                if self.keep:
                    self.contents.append({"content": body["content"], "subject": body.get("subject")})
                for p in items:
                    email = p["to"][0]["email"]
                    self.accepted_count[email] += 1
                    if self.keep:
                        self.accepted.append(
                            Accepted(email, p.get("custom_args", {}), p.get("headers", {}), p.get("substitutions", {}), request)
                        )
        if number == self.stall_at:
            self.stalled_batch = [p["to"][0]["email"] for p in items]
            self.stalled.set()
            self.release.wait(60)
        return (200 if sandbox else 202), limits, {}

    def _rate_window(self) -> dict:
        """X-RateLimit-* for this request when a rate limit is set (call with the lock held)."""
        if not self.rate_limit:
            return {}
        second = int(time.time())
        start, used = self.window
        used = used + 1 if start == second else 1
        self.window = (second, used)
        return {
            "X-RateLimit-Limit": str(self.rate_limit),
            "X-RateLimit-Remaining": str(self.rate_limit - used),
            "X-RateLimit-Reset": str(second + 1),
        }


def _errors(message: str, field: str | None = None) -> dict:
    return {"errors": [{"message": message, "field": field, "help": None}]}


def _check(body: dict, reject: set[str]) -> tuple[list[dict], bool]:
    if not isinstance(body, dict):
        raise Invalid("the request body must be a JSON object")
    personalizations = body.get("personalizations")
    if not isinstance(personalizations, list) or not personalizations:
        raise Invalid("personalizations are required", "personalizations")
    if len(personalizations) > MAX_PERSONALIZATIONS:
        raise Invalid("at most 1000 personalizations per request", "personalizations")
    sender = body.get("from") or {}
    if not EMAIL.match(str(sender.get("email", ""))):
        raise Invalid("the from address is not valid", "from.email")
    content = body.get("content")
    if not isinstance(content, list) or not content or any(not c.get("type") or not c.get("value") for c in content):
        raise Invalid("content needs a type and a value", "content")
    if content[0]["type"] != "text/plain" and any(c["type"] == "text/plain" for c in content):
        raise Invalid("text/plain must come first", "content")
    if len(body.get("categories") or []) > 10:
        raise Invalid("at most 10 categories", "categories")
    if any(k.lower() in RESERVED_HEADERS for k in (body.get("headers") or {})):
        raise Invalid("reserved header", "headers")
    seen: set[str] = set()
    total = 0
    for i, p in enumerate(personalizations):
        to = p.get("to")
        if not isinstance(to, list) or not to:
            raise Invalid("to is required", f"personalizations.{i}.to")
        if not (p.get("subject") or body.get("subject")):
            raise Invalid("a subject is required", f"personalizations.{i}.subject")
        for j, recipient in enumerate(to + (p.get("cc") or []) + (p.get("bcc") or [])):
            email = str(recipient.get("email", ""))
            if not EMAIL.match(email):
                raise Invalid("Does not contain a valid address.", f"personalizations.{i}.to.{j}.email")
            if email.casefold() in seen:
                raise Invalid("Each email address in the personalization block should be unique", f"personalizations.{i}.to.{j}.email")
            if email in reject:
                raise Invalid("The request was refused")
            seen.add(email.casefold())
            total += 1
        if len(json.dumps(p.get("custom_args") or {})) >= 10_000:
            raise Invalid("custom_args must be under 10,000 bytes", f"personalizations.{i}.custom_args")
        if len(json.dumps(p.get("substitutions") or {})) > 10_000:
            raise Invalid("substitutions must be at most 10,000 bytes", f"personalizations.{i}.substitutions")
        if any(k.lower() in RESERVED_HEADERS for k in (p.get("headers") or {})):
            raise Invalid("reserved header", f"personalizations.{i}.headers")
    if total > MAX_PERSONALIZATIONS:
        raise Invalid("at most 1000 recipients per request", "personalizations")
    sandbox = bool(((body.get("mail_settings") or {}).get("sandbox_mode") or {}).get("enable"))
    return personalizations, sandbox


def _handler(stand_in: StandIn):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def do_GET(self):
            if self.path == "/_stats":
                self._reply(200, {}, stand_in.stats())
            else:
                self._reply(404, {}, _errors("not found"))

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            if self.path != "/v3/mail/send":
                self.rfile.read(length)
                return self._reply(404, {}, _errors("not found"))
            if length > MAX_BYTES:
                self.close_connection = True
                return self._reply(413, {}, _errors("payload too large (30 MB)"))
            raw = self.rfile.read(length)
            with stand_in.lock:
                stand_in.in_flight += 1
                stand_in.most_in_flight = max(stand_in.most_in_flight, stand_in.in_flight)
            try:
                time.sleep(stand_in.latency)
                status, headers, payload = stand_in.handle(self.headers.get("Authorization"), raw)
            finally:
                with stand_in.lock:
                    stand_in.in_flight -= 1
            with stand_in.lock:
                stand_in.answers[0 if status == "drop" else status] += 1
            if status == "drop":  # a dropped connection: no answer at all
                self.close_connection = True
                return
            self._reply(status, headers, payload)

        def _reply(self, status, headers, payload):
            data = json.dumps(payload).encode() if payload else b""
            self.send_response(status)
            headers = {
                "X-RateLimit-Limit": "600",
                "X-RateLimit-Remaining": "0" if status == 429 else "599",
                "X-RateLimit-Reset": str(int(time.time()) + 1),
                **headers,
            }
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


class Server:
    """`with Server(StandIn(key)) as server:` serves on 127.0.0.1 at server.url."""

    def __init__(self, stand_in: StandIn, port: int = 0, tls: ssl.SSLContext | None = None):
        self.stand_in = stand_in
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(stand_in))
        self.httpd.daemon_threads = True
        if tls:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> Server:
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stand_in.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds each request takes")
    args = parser.parse_args()
    server = Server(StandIn(args.key, fault_rate=args.fault_rate, keep=False, latency=args.latency), args.port)
    print(f"ready {server.url}", flush=True)
    server.httpd.serve_forever()


if __name__ == "__main__":
    main()
