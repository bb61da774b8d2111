"""Managing the newsroom's users (the admin console): an invitation is a signed link, mailed, that
lets one person set their password once; roles and list scopes, deactivation (their sessions end at
once), second factors reset or required. The last active admin can be neither deactivated nor
demoted, so the newsroom always has someone who can manage it. Every change goes to the audit log.

An invitation's token carries the user's id, its purpose and a fingerprint of the user's password
hash as it was when it was signed: setting a password changes the fingerprint, so the link works
once; it expires after INVITE_DAYS."""

from __future__ import annotations

import hashlib
from typing import Protocol

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Connection

from digest.accounts import audit
from digest.accounts.service import Accounts, SignIn, check_password
from digest.domain import Actor, Role, User
from digest.errors import Conflict, Invalid, NotFound
from digest.store import accounts as store

INVITE_DAYS = 7
PURPOSE = "set-password"
SET_PASSWORD_PATH = "/welcome/{token}"


class Mail(Protocol):
    """Mails one person a plain message (the web app sends it through the delivery backend)."""

    def __call__(self, to: str, subject: str, text: str) -> None: ...


def _fingerprint(password_hash: str | None) -> str:
    return hashlib.sha256((password_hash or "none").encode()).hexdigest()[:16]


class Users:
    def __init__(self, accounts: Accounts, secret_key: str, invite_days: float = INVITE_DAYS):
        self.accounts, self.invite_days = accounts, invite_days
        self.engine = accounts.engine
        self._signer = URLSafeTimedSerializer(secret_key, salt="digest.accounts." + PURPOSE)

    # --- invitations -----------------------------------------------------------------------------

    def invitation_token(self, user_id: int) -> str:
        with self.engine.connect() as conn:
            found = store.credentials_of(conn, user_id)
        if found is None:
            raise NotFound(f"no user #{user_id}")
        return str(self._signer.dumps([user_id, PURPOSE, _fingerprint(found.password_hash)]))

    def invite(
        self, email: str, name: str, role: Role, lists: tuple[str, ...] | None, actor: Actor,
        base_url: str, mail: Mail,
    ) -> User:  # fmt: skip
        """A user without a password, and a mail with the link that sets it."""
        user = self.accounts.create_user(email, name, role, None, actor, lists)
        self.send_invitation(user.id, actor, base_url, mail)
        return user

    def send_invitation(self, user_id: int, actor: Actor, base_url: str, mail: Mail) -> None:
        user = self.accounts.user(user_id)
        link = base_url.rstrip("/") + SET_PASSWORD_PATH.format(token=self.invitation_token(user_id))
        text = (
            f"Hello {user.name},\n\nYou are invited to the digest newsroom as {user.role}.\n"
            f"Set your password here (the link works once, for {self.invite_days:g} days):\n\n{link}\n"
        )
        mail(user.email, "Your invitation to the digest newsroom", text)
        with self.engine.begin() as conn:
            audit.record(conn, actor, "user.invite", "user", user_id, {"email": user.email, "role": user.role})

    def invited(self, token: str) -> User:
        """The person an invitation is for; Invalid, saying why, when it is not good any more."""
        try:
            payload = self._signer.loads(token, max_age=int(self.invite_days * 86400))
        except SignatureExpired:
            raise Invalid("this invitation has expired: ask an admin to send a new one") from None
        except BadSignature:
            raise Invalid("this link is not a valid invitation: it was changed or cut short") from None
        if not (isinstance(payload, list) and len(payload) == 3 and payload[1] == PURPOSE):
            raise Invalid("this link is not a valid invitation: it was made for something else")
        user_id, _, fingerprint = payload
        with self.engine.connect() as conn:
            found = store.credentials_of(conn, int(user_id))
        if found is None or not found.user.active:
            raise Invalid("this invitation is for an account that no longer exists or was deactivated")
        if _fingerprint(found.password_hash) != fingerprint:
            raise Invalid("this invitation was used already: sign in with your password")
        return found.user

    def accept(self, token: str, password: str, again: str, client: str | None) -> SignIn:
        """Set the invited person's password (once) and sign them in."""
        user = self.invited(token)
        if password != again:
            raise Invalid("the two passwords differ: type the same one twice")
        check_password(password)
        self.accounts.set_password(user.id, password, Actor.of(user, client))
        return self.accounts.sign_in(user.email, password, client)

    # --- roles, scopes, deactivation -------------------------------------------------------------

    def change(self, user_id: int, role: Role, lists: tuple[str, ...] | None, actor: Actor) -> None:
        """A user's role and the lists they may act on (None: every list)."""
        with self.engine.begin() as conn:
            user = self._user(conn, user_id)
            if role != Role.ADMIN:
                self._keep_an_admin(conn, user, "demote")
            store.update_user(conn, user_id, role=Role(role), lists=list(lists) if lists else None)
            audit.record(conn, actor, "user.change", "user", user_id,
                         {"role": role, "lists": list(lists) if lists else None, "was": user.role})  # fmt: skip

    def deactivate(self, user_id: int, actor: Actor) -> None:
        """The user can no longer sign in; every session of theirs ends now."""
        with self.engine.begin() as conn:
            user = self._user(conn, user_id)
            self._keep_an_admin(conn, user, "deactivate")
            store.update_user(conn, user_id, active=False)
            n = store.delete_sessions(conn, user_id=user_id)
            audit.record(conn, actor, "user.deactivate", "user", user_id, {"sessions": n})

    def reactivate(self, user_id: int, actor: Actor) -> None:
        with self.engine.begin() as conn:
            self._user(conn, user_id)
            store.update_user(conn, user_id, active=True)
            audit.record(conn, actor, "user.reactivate", "user", user_id)

    def require_second_factors(self, required: bool, actor: Actor) -> int:
        """Require (or stop requiring) a second factor of every user; returns how many changed."""
        with self.engine.begin() as conn:
            changed = [u for u in store.all_users(conn) if u.second_factor_required != required]
            for user in changed:
                store.update_user(conn, user.id, totp_required=required)
            audit.record(conn, actor, "user.second-factor.required-all", None, None,
                         {"required": required, "users": len(changed)})  # fmt: skip
        return len(changed)

    def _user(self, conn: Connection, user_id: int) -> User:
        found = store.user_by_id(conn, user_id)
        if found is None:
            raise NotFound(f"no user #{user_id}")
        return found

    def _keep_an_admin(self, conn: Connection, user: User, doing: str) -> None:
        if user.role != Role.ADMIN or not user.active:
            return
        admins = [u for u in store.all_users(conn) if u.role == Role.ADMIN and u.active]
        if len(admins) <= 1:
            raise Conflict(f"cannot {doing} {user.email}: they are the last active admin")
