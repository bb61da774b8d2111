"""Managing users (digest.accounts.users), on each store: an invitation's link is one person's and
sets their password once, within its days; a deactivated user's sessions end at once; the last
active admin stays one; each change is in the audit log under who made it."""

from __future__ import annotations

import re

import pytest
from itsdangerous import URLSafeTimedSerializer

from digest.accounts import audit
from digest.accounts.service import Accounts
from digest.accounts.users import INVITE_DAYS, PURPOSE, Users
from digest.domain import Actor, Role
from digest.errors import Conflict, Invalid

SECRET = "users-test-key"
PASSWORD = "a long enough password"
BASE = "https://news.example.org"


@pytest.fixture
def people(engine):
    accounts = Accounts(engine, SECRET)
    admin = accounts.create_user("boss@example.org", "Boss", Role.ADMIN, PASSWORD, Actor.named("test"))
    return accounts, Users(accounts, SECRET), admin


def _invite(users: Users, admin, email: str = "new@example.org", role: Role = Role.EDITOR):  # noqa: ANN001
    sent: list[tuple[str, str, str]] = []
    user = users.invite(email, "New Person", role, ("world",), Actor.of(admin), BASE,
                        lambda to, subject, text: sent.append((to, subject, text)))  # fmt: skip
    [(to, _, text)] = sent
    assert to == email
    found = re.search(re.escape(BASE) + r"/welcome/(\S+)", text)
    assert found, text
    return user, found.group(1)


def test_an_invitation_sets_the_password_once_and_signs_in_with_the_role_given(people):
    accounts, users, admin = people
    user, token = _invite(users, admin)
    assert users.invited(token).id == user.id
    with pytest.raises(Invalid, match="cannot sign in|do not match"):  # no password yet: nobody signs in
        accounts.sign_in("new@example.org", "", None)
    with pytest.raises(Invalid, match="differ"):
        users.accept(token, PASSWORD, PASSWORD + "!", None)
    with pytest.raises(Invalid, match="10 to 1000 characters"):
        users.accept(token, "short", "short", None)
    started = users.accept(token, PASSWORD, PASSWORD, "127.0.0.1")
    found = accounts.session_user(started.token)
    assert found is not None and found[0].role == Role.EDITOR and found[0].lists == ("world",)
    with pytest.raises(Invalid, match="used already"):
        users.accept(token, "another long password", "another long password", None)
    actions = [e.action for e in audit.entries(accounts.engine, object_type="user", object_id=str(user.id))]
    assert actions[:3] == ["user.password", "user.invite", "user.create"]
    assert audit.entries(accounts.engine, user_id=user.id, action="sign-in")


def test_a_token_is_one_persons_for_one_purpose_and_expires(people):
    accounts, users, admin = people
    user, token = _invite(users, admin)
    with pytest.raises(Invalid, match="changed or cut short"):
        users.invited(token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb"))
    other = URLSafeTimedSerializer(SECRET, salt="digest.review").dumps([user.id, PURPOSE, "x"])
    with pytest.raises(Invalid, match="changed or cut short"):  # signed for another purpose
        users.invited(other)
    wrong = URLSafeTimedSerializer(SECRET, salt="digest.accounts." + PURPOSE).dumps([user.id, "review", "x"])
    with pytest.raises(Invalid, match="made for something else"):
        users.invited(wrong)
    # another person's invitation does not set this one's password
    _, theirs = _invite(users, admin, "other@example.org")
    users.accept(theirs, PASSWORD, PASSWORD, None)
    assert users.invited(token).id == user.id  # still only for them
    lapsed = Users(accounts, SECRET, invite_days=-1)  # as if its days were over
    with pytest.raises(Invalid, match="expired"):
        lapsed.invited(token)
    assert INVITE_DAYS == 7 and users.invited(token).id == user.id


def test_deactivating_ends_sessions_and_the_last_admin_stays(people):
    accounts, users, admin = people
    user, token = _invite(users, admin)
    started = users.accept(token, PASSWORD, PASSWORD, None)
    users.deactivate(user.id, Actor.of(admin))
    assert accounts.session_user(started.token) is None
    with pytest.raises(Invalid):
        accounts.sign_in("new@example.org", PASSWORD, None)
    with pytest.raises(Invalid, match="deactivated"):
        users.invited(users.invitation_token(user.id))
    users.reactivate(user.id, Actor.of(admin))
    assert accounts.sign_in("new@example.org", PASSWORD, None).user.id == user.id

    with pytest.raises(Conflict, match="last active admin"):
        users.deactivate(admin.id, Actor.of(admin))
    with pytest.raises(Conflict, match="last active admin"):
        users.change(admin.id, Role.PUBLISHER, None, Actor.of(admin))
    users.change(user.id, Role.ADMIN, None, Actor.of(admin))  # a second admin: now the first may step down
    users.change(admin.id, Role.VIEWER, ("world",), Actor.of(admin))
    assert accounts.user(admin.id).role == Role.VIEWER and accounts.user(admin.id).lists == ("world",)
    actions = [e.action for e in audit.entries(accounts.engine, action_prefix="user.", user_id=admin.id)]
    assert {"user.deactivate", "user.reactivate", "user.change", "user.invite"} <= set(actions)


def test_second_factors_required_of_everyone(people):
    accounts, users, admin = people
    _invite(users, admin)
    assert users.require_second_factors(True, Actor.of(admin)) == 2
    assert all(u.second_factor_required for u in accounts.users())
    assert accounts.sign_in("boss@example.org", PASSWORD, None).second_factor_setup_due
    assert users.require_second_factors(False, Actor.of(admin)) == 2
    assert audit.entries(accounts.engine, action="user.second-factor.required-all")
