"""Users, sessions, failed sign-ins and the audit log: rows <-> digest.accounts' types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from digest.domain import AuditEntry, Role, Session, User
from digest.errors import Conflict
from digest.store.tables import audit_log, sessions, signin_failures, users


@dataclass(frozen=True)
class Credentials:
    """What signing a user in needs beyond the User: never leaves digest.accounts."""

    user: User
    password_hash: str | None
    totp_secret: str | None  # encrypted
    recovery_codes: tuple[str, ...]  # sha256 of each unused code
    totp_last_step: int | None  # the time step of the last code accepted


def _user(row: Row[Any]) -> User:
    return User(
        id=row.id,
        email=row.email,
        name=row.name,
        role=Role(row.role),
        lists=tuple(row.lists) if row.lists is not None else None,
        active=row.active,
        second_factor=row.totp_enabled_at is not None,
        second_factor_required=row.totp_required,
        created_at=row.created_at,
    )


def insert_user(conn: Connection, *, email: str, email_key: str, name: str, role: Role,
                lists: tuple[str, ...] | None, password_hash: str | None, at: datetime) -> User:  # fmt: skip
    try:
        with conn.begin_nested():
            user_id = conn.execute(
                insert(users)
                .values(
                    email=email,
                    email_key=email_key,
                    name=name,
                    role=role,
                    active=True,
                    lists=list(lists) if lists is not None else None,
                    password_hash=password_hash,
                    totp_required=False,
                    created_at=at,
                    password_changed_at=at if password_hash else None,
                )  # fmt: skip
                .returning(users.c.id)
            ).scalar_one()
    except IntegrityError:
        raise Conflict(f"there is already a user with the address {email}") from None
    found = user_by_id(conn, user_id)
    assert found is not None  # inserted just now
    return found


def user_by_id(conn: Connection, user_id: int) -> User | None:
    row = conn.execute(select(users).where(users.c.id == user_id)).first()
    return _user(row) if row else None


def credentials(conn: Connection, email_key: str) -> Credentials | None:
    row = conn.execute(select(users).where(users.c.email_key == email_key)).first()
    return _credentials(row) if row is not None else None


def credentials_of(conn: Connection, user_id: int) -> Credentials | None:
    row = conn.execute(select(users).where(users.c.id == user_id)).first()
    return _credentials(row) if row is not None else None


def _credentials(row: Row[Any]) -> Credentials:
    return Credentials(
        _user(row), row.password_hash, row.totp_secret, tuple(row.recovery_codes or ()), row.totp_last_step
    )


def all_users(conn: Connection) -> list[User]:
    return [_user(r) for r in conn.execute(select(users).order_by(users.c.email_key))]


def count_users(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(users)).scalar_one())


def update_user(conn: Connection, user_id: int, **values: Any) -> None:
    """Set columns of a user: password_hash, role, lists, active, totp_secret, totp_enabled_at,
    totp_required, recovery_codes, password_changed_at, name."""
    conn.execute(update(users).where(users.c.id == user_id).values(**values))


def insert_session(conn: Connection, session: Session) -> None:
    conn.execute(
        insert(sessions).values(
            id=session.id, user_id=session.user_id, created_at=session.created_at,
            last_seen_at=session.last_seen_at, expires_at=session.expires_at,
            second_factor_done=session.second_factor_done, client=session.client,
        )
    )  # fmt: skip


def session_by_id(conn: Connection, session_id: str) -> Session | None:
    row = conn.execute(select(sessions).where(sessions.c.id == session_id)).first()
    if row is None:
        return None
    return Session(row.id, row.user_id, row.created_at, row.last_seen_at, row.expires_at,
                   row.second_factor_done, row.client)  # fmt: skip


def update_session(conn: Connection, session_id: str, **values: Any) -> None:
    conn.execute(update(sessions).where(sessions.c.id == session_id).values(**values))


def delete_sessions(conn: Connection, *, session_id: str | None = None, user_id: int | None = None,
                    expired_before: datetime | None = None) -> int:  # fmt: skip
    """Sign out one session, every session of a user, or the sessions that expired."""
    query = delete(sessions)
    if session_id is not None:
        query = query.where(sessions.c.id == session_id)
    if user_id is not None:
        query = query.where(sessions.c.user_id == user_id)
    if expired_before is not None:
        query = query.where(sessions.c.expires_at < expired_before)
    return conn.execute(query).rowcount


def record_failure(conn: Connection, keys: list[str], at: datetime) -> None:
    conn.execute(insert(signin_failures), [{"key": k, "at": at} for k in keys])


def failures_since(conn: Connection, key: str, since: datetime) -> int:
    return int(
        conn.execute(
            select(func.count()).where(signin_failures.c.key == key, signin_failures.c.at >= since)
        ).scalar_one()
    )


def forget_failures(conn: Connection, before: datetime) -> None:
    conn.execute(delete(signin_failures).where(signin_failures.c.at < before))


def insert_audit(conn: Connection, *, at: datetime, actor: str, user_id: int | None, action: str,
                 object_type: str | None, object_id: str | None, details: dict[str, Any],
                 client: str | None) -> None:  # fmt: skip
    conn.execute(
        insert(audit_log).values(
            at=at,
            actor=actor[:400],
            user_id=user_id,
            action=action[:64],
            object_type=object_type,
            object_id=object_id,
            details=details,
            client=client,
        )  # fmt: skip
    )


def audit_entries(conn: Connection, *, user_id: int | None = None, action: str | None = None,
                  object_type: str | None = None, object_id: str | None = None,
                  since: datetime | None = None, until: datetime | None = None,
                  before_id: int | None = None, limit: int = 100,
                  action_prefix: str | None = None) -> list[AuditEntry]:  # fmt: skip
    """The newest entries first, filtered (`action_prefix`: "edition." finds every edition's action);
    `before_id` pages on (keyset, never OFFSET)."""
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    for column, value in ((audit_log.c.user_id, user_id), (audit_log.c.action, action),
                          (audit_log.c.object_type, object_type), (audit_log.c.object_id, object_id)):  # fmt: skip
        if value is not None:
            query = query.where(column == value)
    if action_prefix:
        query = query.where(audit_log.c.action.startswith(action_prefix, autoescape=True))
    if since is not None:
        query = query.where(audit_log.c.at >= since)
    if until is not None:
        query = query.where(audit_log.c.at < until)
    if before_id is not None:
        query = query.where(audit_log.c.id < before_id)
    return [
        AuditEntry(
            r.id, r.at, r.actor, r.user_id, r.action, r.object_type, r.object_id, dict(r.details), r.client
        )
        for r in conn.execute(query)
    ]
