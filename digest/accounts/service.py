"""Signing in and staying signed in: passwords (Argon2id), server-side sessions that can be revoked,
an optional TOTP second factor with recovery codes, and a throttle on failed sign-ins per account
and per client. Every sign-in, failure and sign-out goes to the audit log.

A session's cookie holds a random token; the store keeps only its sha256, so a leaked database
signs nobody in. A session that still owes its second factor grants nothing but the second-factor
page. TOTP secrets are stored encrypted with a key derived from DIGEST_SECRET_KEY.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cache

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Connection, Engine

from digest.accounts import audit
from digest.domain import Actor, Role, Session, User
from digest.errors import ConfigError, Conflict, Invalid, NotFound
from digest.store import accounts as store
from subscribers.addresses import identity, normalize

SESSION_IDLE = timedelta(hours=12)  # signed out after this long without a request
SESSION_MAX = timedelta(days=14)  # and after this long in any case
SESSION_TOUCH = timedelta(minutes=1)  # last_seen_at is written at most this often
SECOND_FACTOR_WAIT = timedelta(minutes=10)  # a session that owes its second factor lapses sooner
THROTTLE_WINDOW = timedelta(minutes=15)
ACCOUNT_FAILURES = 5  # failed sign-ins of one account within the window before it is held off
CLIENT_FAILURES = 20  # failed sign-ins from one client address within the window
PASSWORD_CHARS = (10, 1000)
RECOVERY_CODES = 10
ISSUER = "digest"

_hasher = PasswordHasher()  # Argon2id, argon2-cffi's defaults (RFC 9106's second recommendation)


@cache
def _dummy() -> str:
    """A hash to check an unknown address's password against, so that it costs the same time; made
    when first needed (a hash takes a third of a second: every command would pay it at start-up)."""
    return _hasher.hash("a password no account has")


class Throttled(Conflict):
    """Too many failed sign-ins for this account or from this client: try again later."""


@dataclass(frozen=True)
class SignIn:
    """A session begun: its cookie token, whose it is, and what the user must still do."""

    token: str
    user: User
    second_factor_due: bool  # the user has a second factor: the session is good once it is given
    second_factor_setup_due: bool  # an admin requires one and the user has none yet


def _now() -> datetime:
    return datetime.now(UTC)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def check_password(password: str) -> None:
    low, high = PASSWORD_CHARS
    if not low <= len(password) <= high:
        raise Invalid(f"a password needs {low} to {high} characters")


class Accounts:
    """The accounts service over one store. `secret_key` (DIGEST_SECRET_KEY) encrypts the second
    factors' secrets; managing users and passwords works without it."""

    def __init__(self, engine: Engine, secret_key: str | None):
        self.engine = engine
        self._secret_key = secret_key

    @property
    def _fernet(self) -> Fernet:
        if not self._secret_key:
            raise ConfigError("DIGEST_SECRET_KEY is not set: second factors are encrypted with it")
        kdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"digest: totp secrets")
        return Fernet(base64.urlsafe_b64encode(kdf.derive(self._secret_key.encode())))

    # --- users -----------------------------------------------------------------------------------

    def create_user(
        self, email: str, name: str, role: Role, password: str | None, actor: Actor,
        lists: tuple[str, ...] | None = None,
    ) -> User:  # fmt: skip
        """A user; without a password they cannot sign in until they set one (an invitation)."""
        address = normalize(email)
        name = " ".join(name.split())
        if not 1 <= len(name) <= 200:
            raise Invalid("a user's name needs 1 to 200 characters")
        if password is not None:
            check_password(password)
        hashed = _hasher.hash(password) if password is not None else None
        with self.engine.begin() as conn:
            user = store.insert_user(
                conn, email=address, email_key=identity(address), name=name, role=Role(role),
                lists=lists, password_hash=hashed, at=_now(),
            )  # fmt: skip
            audit.record(conn, actor, "user.create", "user", user.id, {"email": address, "role": role,
                                                                         "lists": list(lists) if lists else None})  # fmt: skip
        return user

    def user(self, user_id: int) -> User:
        with self.engine.connect() as conn:
            found = store.user_by_id(conn, user_id)
        if found is None:
            raise NotFound(f"no user #{user_id}")
        return found

    def users(self) -> list[User]:
        with self.engine.connect() as conn:
            return store.all_users(conn)

    def set_password(self, user_id: int, password: str, actor: Actor) -> None:
        """A new password; every other session of the user is signed out."""
        check_password(password)
        with self.engine.begin() as conn:
            if store.user_by_id(conn, user_id) is None:
                raise NotFound(f"no user #{user_id}")
            store.update_user(conn, user_id, password_hash=_hasher.hash(password), password_changed_at=_now())
            store.delete_sessions(conn, user_id=user_id)
            audit.record(conn, actor, "user.password", "user", user_id)

    # --- signing in ------------------------------------------------------------------------------

    def sign_in(self, email: str, password: str, client: str | None) -> SignIn:
        """A session for the right address and password; Invalid (one message for every wrong
        answer, so it tells no one which addresses have accounts) or Throttled otherwise."""
        try:
            key = identity(normalize(email))
        except Invalid:
            key = email.strip().casefold()
        throttle_keys = [_digest(f"account:{key}"), *([_digest(f"client:{client}")] if client else [])]
        at = _now()
        with self.engine.begin() as conn:
            since = at - THROTTLE_WINDOW
            if store.failures_since(conn, throttle_keys[0], since) >= ACCOUNT_FAILURES or (
                client and store.failures_since(conn, throttle_keys[1], since) >= CLIENT_FAILURES
            ):
                raise Throttled("too many failed sign-ins: try again in a quarter of an hour")
            found = store.credentials(conn, key)
            good = _verify(found.password_hash if found else None, password)
            if not good or found is None or not found.user.active:
                store.record_failure(conn, throttle_keys, at)
                audit.record(conn, Actor(key, found.user.id if found else None, client), "sign-in.failed")
        if not good or found is None or not found.user.active:
            raise Invalid("that address and password do not match an active account")
        user = found.user
        if found.password_hash and _hasher.check_needs_rehash(found.password_hash):
            with self.engine.begin() as conn:
                store.update_user(conn, user.id, password_hash=_hasher.hash(password))
        token = secrets.token_urlsafe(32)
        due = user.second_factor
        session = Session(
            id=_digest(token), user_id=user.id, created_at=at, last_seen_at=at,
            expires_at=at + (SECOND_FACTOR_WAIT if due else SESSION_IDLE),
            second_factor_done=not due, client=client,
        )  # fmt: skip
        with self.engine.begin() as conn:
            store.insert_session(conn, session)
            store.forget_failures(conn, at - THROTTLE_WINDOW)
            if not due:
                audit.record(conn, Actor.of(user, client), "sign-in")
        return SignIn(token, user, due, user.second_factor_required and not user.second_factor)

    def give_second_factor(self, token: str, code: str, client: str | None) -> User:
        """Complete a session's sign-in with a TOTP code or an unused recovery code."""
        session = self._session(token)
        if session is None or session.second_factor_done:
            raise Invalid("this sign-in has lapsed: start again")
        throttle_key = _digest(f"second-factor:{session.user_id}")
        at = _now()
        with self.engine.begin() as conn:
            if store.failures_since(conn, throttle_key, at - THROTTLE_WINDOW) >= ACCOUNT_FAILURES:
                raise Throttled("too many wrong codes: sign in again in a quarter of an hour")
            found = store.credentials_of(conn, session.user_id)
            assert found is not None  # a session's user (the row cascades away with them)
            used = self._accept_code(conn, found, code)
            if used is None:
                store.record_failure(conn, [throttle_key], at)
                audit.record(conn, Actor.of(found.user, client), "sign-in.second-factor-failed")
            else:
                store.update_session(conn, session.id, second_factor_done=True, expires_at=at + SESSION_IDLE)
                audit.record(conn, Actor.of(found.user, client), "sign-in", details={"second_factor": used})
        if used is None:
            raise Invalid("that code is not right (or was used already)")
        return found.user

    def _accept_code(self, conn: Connection, found: store.Credentials, code: str) -> str | None:
        """'totp' or 'recovery code' when the code is good (and now spent), else None."""
        code = "".join(code.split()).upper()
        secret = self._decrypt(found.totp_secret)
        if secret and code.isdigit():
            totp = pyotp.TOTP(secret)
            for step_offset in (0, -1, 1):  # the code of now, or of the 30 s before or after
                step = int(_now().timestamp()) // totp.interval + step_offset
                if hmac.compare_digest(totp.generate_otp(step), code):
                    if found.totp_last_step is not None and step <= found.totp_last_step:
                        return None  # a code works once
                    store.update_user(conn, found.user.id, totp_last_step=step)
                    return "totp"
            return None
        digest = _digest(code)
        if digest in found.recovery_codes:
            left = [c for c in found.recovery_codes if c != digest]
            store.update_user(conn, found.user.id, recovery_codes=left)
            return "recovery code"
        return None

    # --- sessions --------------------------------------------------------------------------------

    def _session(self, token: str) -> Session | None:
        with self.engine.connect() as conn:
            session = store.session_by_id(conn, _digest(token))
        if session is None or session.expires_at <= _now():
            return None
        return session

    def session_user(self, token: str) -> tuple[User, Session] | None:
        """The user a cookie token signs in, with its session; None when it signs in nobody (no such
        session, expired, the user deactivated, or the second factor still owed)."""
        session = self._session(token)
        if session is None or not session.second_factor_done:
            return None
        at = _now()
        with self.engine.begin() as conn:
            user = store.user_by_id(conn, session.user_id)
            if user is None or not user.active:
                return None
            if at - session.last_seen_at >= SESSION_TOUCH:
                expires = min(at + SESSION_IDLE, session.created_at + SESSION_MAX)
                store.update_session(conn, session.id, last_seen_at=at, expires_at=expires)
                session = replace(session, last_seen_at=at, expires_at=expires)
        return user, session

    def pending_user(self, token: str) -> User | None:
        """The user of a session that still owes its second factor (for the second-factor page)."""
        session = self._session(token)
        if session is None or session.second_factor_done:
            return None
        with self.engine.connect() as conn:
            return store.user_by_id(conn, session.user_id)

    def sign_out(self, token: str, actor: Actor) -> None:
        with self.engine.begin() as conn:
            if store.delete_sessions(conn, session_id=_digest(token)):
                audit.record(conn, actor, "sign-out")

    def sign_out_everywhere(self, user_id: int, actor: Actor) -> int:
        """Revoke every session of the user (theirs, or an admin's action); returns how many."""
        with self.engine.begin() as conn:
            n = store.delete_sessions(conn, user_id=user_id)
            audit.record(conn, actor, "sign-out.everywhere", "user", user_id, {"sessions": n})
        return n

    # --- the second factor -----------------------------------------------------------------------

    def begin_second_factor(self, user: User) -> tuple[str, str]:
        """A new TOTP secret for the user, pending until a code from it is given:
        (secret in base32, otpauth:// URI for an authenticator app's QR code)."""
        secret = pyotp.random_base32()
        with self.engine.begin() as conn:
            store.update_user(conn, user.id, totp_secret=self._encrypt(secret), totp_enabled_at=None,
                              totp_last_step=None)  # fmt: skip
        return secret, pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)

    def confirm_second_factor(self, user: User, code: str, actor: Actor) -> list[str]:
        """Turn the pending secret on once a code from it is right; returns the recovery codes,
        shown once (only their hashes are kept)."""
        with self.engine.begin() as conn:
            found = store.credentials_of(conn, user.id)
            secret = self._decrypt(found.totp_secret if found else None)
            if not secret or not pyotp.TOTP(secret).verify("".join(code.split()), valid_window=1):
                raise Invalid("that code is not right: check the time on your device and try again")
            codes = [secrets.token_hex(5).upper() for _ in range(RECOVERY_CODES)]
            store.update_user(
                conn, user.id, totp_enabled_at=_now(), recovery_codes=[_digest(c) for c in codes]
            )
            audit.record(conn, actor, "user.second-factor.on", "user", user.id)
        return codes

    def reset_second_factor(self, user_id: int, actor: Actor) -> None:
        """Remove a user's second factor (they lost their device); they sign in with the password
        and, if it is required, set up a new one."""
        with self.engine.begin() as conn:
            store.update_user(conn, user_id, totp_secret=None, totp_enabled_at=None, recovery_codes=None,
                              totp_last_step=None)  # fmt: skip
            store.delete_sessions(conn, user_id=user_id)
            audit.record(conn, actor, "user.second-factor.reset", "user", user_id)

    def require_second_factor(self, user_id: int, required: bool, actor: Actor) -> None:
        with self.engine.begin() as conn:
            if store.user_by_id(conn, user_id) is None:
                raise NotFound(f"no user #{user_id}")
            store.update_user(conn, user_id, totp_required=required)
            audit.record(conn, actor, "user.second-factor.required", "user", user_id, {"required": required})

    def _encrypt(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def _decrypt(self, stored: str | None) -> str | None:
        if not stored:
            return None
        try:
            return self._fernet.decrypt(stored.encode()).decode()
        except InvalidToken:  # DIGEST_SECRET_KEY changed: the factor must be set up again
            return None


def _verify(hashed: str | None, password: str) -> bool:
    """Whether the password matches; an account without a password (or no account) costs the
    same time and never matches."""
    try:
        _hasher.verify(hashed or _dummy(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return hashed is not None
